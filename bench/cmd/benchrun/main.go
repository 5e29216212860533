// Command benchrun measures simplehttp side by side with Go's
// http.FileServer and net/http/cgi (bench/cmd/stdfs), nginx and Python
// 3.12's http.server, all on 127.0.0.1, and prints markdown tables of
// medians, ranges and ratios, then issue 12's targets, each met or missed.
// bench/run installs its tools, builds it and runs it.
//
//	benchrun [-quick] [-runs N] [-duration D] [-without wrk,curl,nginx]
//
// Every workload of issue 12 runs interleaved: each repetition runs every
// server in turn, so that noise on a shared machine hits them alike. The
// load generator is wrk (-t1, keep-alive) when it is installed, else a
// Go client in this program (said in the output); downloads use curl, else
// a Go client. Servers missing from the machine (nginx, Python 3.12) are
// left out with a note. -quick is a smoke test of the whole procedure in
// well under two minutes: short runs, smaller fixtures, one repetition; its
// figures mean nothing. -without runs as if the named tools were missing
// (to try the fallbacks on a machine that has them).
//
// It exits non-zero only when it cannot do its job: a build fails, a
// server does not start, or a server answers a workload wrongly. A slow
// machine makes slow figures, never a failure: every wait is bounded, but
// generously. Every server runs in a process group of its own and is
// killed, group and all, when benchrun ends, on SIGINT, SIGTERM or SIGHUP
// too (and, should benchrun itself be killed, by the kernel: Pdeathsig).
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	quick := flag.Bool("quick", false, "smoke test: short runs, small fixtures, one repetition")
	runs := flag.Int("runs", 3, "repetitions of each measurement (1-10)")
	duration := flag.Duration("duration", 10*time.Second, "length of each load run (1s-120s)")
	without := flag.String("without", "", "comma-separated `tools` to act as if missing: wrk, curl, nginx")
	flag.Parse()
	cfg := config{runs: *runs, duration: *duration, quick: *quick, without: map[string]bool{}}
	for _, t := range strings.Split(*without, ",") {
		switch t {
		case "":
		case "wrk", "curl", "nginx":
			cfg.without[t] = true
		default:
			fmt.Fprintf(os.Stderr, "benchrun: -without: unknown tool %q (wrk, curl, nginx)\n", t)
			os.Exit(2)
		}
	}
	if *quick {
		cfg.runs, cfg.duration = 1, time.Second
	}
	if cfg.runs < 1 || cfg.runs > 10 || cfg.duration < time.Second || cfg.duration > 2*time.Minute {
		fmt.Fprintln(os.Stderr, "benchrun: -runs must be 1-10 and -duration 1s-2m")
		os.Exit(2)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b := &bench{config: cfg, ctx: ctx}

	// On a signal: stop every server, remove the fixtures, exit. The
	// servers are in process groups of their own, so a Ctrl-C on the
	// terminal does not reach them: this does.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		sig := <-sigs
		fmt.Fprintf(os.Stderr, "benchrun: %v: stopping the servers\n", sig)
		cancel()
		b.stopAll()
		b.removeWork()
		os.Exit(128 + int(sig.(syscall.Signal)))
	}()

	err := b.run()
	b.stopAll()
	b.removeWork()
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchrun:", err)
		os.Exit(1)
	}
}

type config struct {
	runs     int
	duration time.Duration
	quick    bool
	without  map[string]bool // tools to act as if missing
}

// has says whether tool is on PATH and not excluded by -without.
func (c config) has(tool string) bool {
	if c.without[tool] {
		return false
	}
	_, err := exec.LookPath(tool)
	return err == nil
}

type bench struct {
	config
	ctx             context.Context // canceled on a signal
	repo, work, bin string
	notes           []string
	wrk, curl       bool
	results         map[string]float64  // medians, by key, for the targets
	socketErrors    map[string][]string // wrk's socket errors, by workload and server
	socketOrder     []string

	mu      sync.Mutex // guards servers, against the signal handler
	servers []*server
}

// A server is one running server process (nginx: its master).
type server struct {
	name string
	url  string
	cmd  *exec.Cmd
	log  *os.File
	done chan struct{} // closed once the process has been waited for
}

// launch starts cmd in a process group of its own (so that the whole
// group can be killed: nginx's worker, CGI scripts), which the kernel
// kills should benchrun die without cleaning up, and waits for it in the
// background.
func launch(name string, cmd *exec.Cmd) (*server, error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	s := &server{name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(s.done)
	}()
	return s, nil
}

// The columns of the tables, in order.
const (
	colOurs = iota
	colRef
	colNginx
	colPython
	nCols
)

var colNames = [nCols]string{"simplehttp", "FileServer / net/http/cgi", "nginx", "Python 3.12"}

func (b *bench) run() error {
	var err error
	b.results = map[string]float64{}
	b.socketErrors = map[string][]string{}
	b.repo, err = os.Getwd()
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "simplehttp-bench-")
	if err != nil {
		return err
	}
	b.mu.Lock()
	b.work = work
	b.mu.Unlock()
	// nginx workers and Python's CGI scripts run as other users: open the tree.
	if err := os.Chmod(b.work, 0o755); err != nil {
		return err
	}
	b.bin = filepath.Join(b.work, "bin")
	if err := b.build(); err != nil {
		return err
	}
	dir := filepath.Join(b.work, "www")
	sizes := b.fixtures(dir)
	if err := sizes.err; err != nil {
		return err
	}
	if b.has("wrk") {
		b.wrk = true
	} else {
		b.note("wrk is not installed (or -without wrk): the load comes from this program's Go client, which takes more of the CPU the servers share with it than wrk does; ratios are rougher")
	}
	if b.has("curl") {
		b.curl = true
	} else {
		b.note("curl is not installed (or -without curl): downloads are read by this program's Go client")
	}

	ours, err := b.start("simplehttp", filepath.Join(b.bin, "simplehttp"), "-p", "HTTP/1.1", "--cgi", "-b", "127.0.0.1", "-d", dir, "0")
	if err != nil {
		return err
	}
	oursGz, err := b.start("simplehttp --compress --precompressed", filepath.Join(b.bin, "simplehttp"), "-p", "HTTP/1.1", "--compress", "--precompressed", "-b", "127.0.0.1", "-d", dir, "0")
	if err != nil {
		return err
	}
	ref, err := b.start("FileServer / net/http/cgi", filepath.Join(b.bin, "stdfs"), "-b", "127.0.0.1", "-d", dir, "-cgi", filepath.Join(dir, "cgi-bin"), "0")
	if err != nil {
		return err
	}
	nginx, err := b.startNginx(dir)
	if err != nil {
		b.note("nginx left out: " + err.Error())
		nginx = nil
	}
	python, err := b.startPython(dir)
	if err != nil {
		b.note("Python 3.12 left out: " + err.Error())
		python = nil
	}

	gz := http.Header{"Accept-Encoding": {"gzip"}}
	workloads := []workload{
		{key: "1k", name: "1 KiB file, 32 conns", path: "/1k.bin", conns: 32, size: 1 << 10, servers: [nCols]*server{ours, ref, nginx, python}},
		{key: "100k", name: "100 KiB file, 32 conns", path: "/100k.bin", conns: 32, size: 100 << 10, servers: [nCols]*server{ours, ref, nginx, python}},
		{key: "list", name: fmt.Sprintf("%d-entry listing, 1 conn", sizes.listing), path: "/list/", conns: 1, servers: [nCols]*server{ours, ref, nginx, python}},
		{key: "cgi", name: "CGI hello (/bin/sh), 8 conns", path: "/cgi-bin/hello.sh", conns: 8, servers: [nCols]*server{ours, ref, nil, python}},
		{key: "gzlive", name: "100 KiB JS, `Accept-Encoding: gzip`, on the fly (`--compress`; nginx `gzip on`), 32 conns", path: "/live.js", conns: 32, header: gz, servers: [nCols]*server{oursGz, nil, nginx, nil}},
		{key: "gzstatic", name: "100 KiB JS, `Accept-Encoding: gzip`, `.gz` sidecar (`--precompressed`; nginx `gzip_static`), 32 conns", path: "/app.js", conns: 32, header: gz, servers: [nCols]*server{oursGz, nil, nginx, nil}},
	}
	for i := range workloads {
		if err := b.check(&workloads[i]); err != nil {
			return err
		}
	}

	load := map[bool]string{true: "wrk -t1, keep-alive", false: "Go client, keep-alive"}[b.wrk]
	fmt.Printf("# simplehttp side by side\n\n%s UTC; %d run(s) of %s per workload and server, interleaved; load: %s; %d CPUs; load average before: %s\n\n",
		time.Now().UTC().Format("2006-01-02 15:04"), b.runs, b.duration, load, runtime.NumCPU(), loadavg())
	if b.quick {
		fmt.Print("**--quick: a smoke test of the procedure; these figures mean nothing.**\n\n")
	}

	results := make([][nCols][]float64, len(workloads)) // workload, column, run
	cpu := make([][nCols][]float64, len(workloads))     // server CPU µs per request
	for run := 0; run < b.runs; run++ {
		for i, w := range workloads {
			for c, s := range w.servers {
				if s == nil {
					continue
				}
				fmt.Fprintf(os.Stderr, "run %d/%d: %s: %s\n", run+1, b.runs, w.name, s.name)
				c0, cerr := cpuSeconds(s.cmd.Process.Pid)
				start := time.Now()
				rate, err := b.load(w.name+", "+s.name, s.url+w.path, w.conns, w.header)
				if err != nil {
					return fmt.Errorf("%s, %s: %w", w.name, s.name, err)
				}
				elapsed := time.Since(start)
				c1, cerr2 := cpuSeconds(s.cmd.Process.Pid)
				results[i][c] = append(results[i][c], rate)
				if n := rate * min(elapsed, b.duration).Seconds(); cerr == nil && cerr2 == nil && n > 0 {
					cpu[i][c] = append(cpu[i][c], (c1-c0)/n*1e6)
				}
			}
		}
	}
	fmt.Println("## Requests per second: median (min–max)")
	fmt.Println()
	tableHead("workload")
	for i, w := range workloads {
		var cells [nCols]string
		var medians [nCols]float64
		for c := range nCols {
			if len(results[i][c]) > 0 {
				cells[c] = spread(results[i][c], fmtRate)
				medians[c] = median(results[i][c])
				b.results[w.key+"/"+strconv.Itoa(c)] = medians[c]
			}
		}
		tableRow(w.name, cells, medians)
	}
	fmt.Println()
	fmt.Println("## Server CPU per request, µs (lower is better): median (min–max)")
	fmt.Println()
	fmt.Println("The servers' own user and system time (/proc, 10 ms ticks) over each load run, divided by")
	fmt.Println("the requests served; a CGI script's own time is not in it (it is its children's). Less")
	fmt.Println("sensitive to other load on the machine than the rates above.")
	fmt.Println()
	tableHead("workload")
	for i, w := range workloads {
		var cells [nCols]string
		var medians [nCols]float64
		for c := range nCols {
			if len(cpu[i][c]) > 0 {
				cells[c] = spread(cpu[i][c], fmtRate)
				medians[c] = median(cpu[i][c])
				b.results["cpu/"+w.key+"/"+strconv.Itoa(c)] = medians[c]
			}
		}
		tableRow(w.name, cells, medians)
	}
	fmt.Println()

	if err := b.measurements(dir, sizes, ours, ref, nginx, python); err != nil {
		return err
	}
	b.targets(sizes)
	for _, key := range b.socketOrder {
		why := ""
		if strings.Contains(key, "Python") {
			// Python answers CGI as HTTP/1.0 and closes the connection,
			// which wrk counts as a read error (then reconnects).
			why = "; Python closes the connection after a CGI response, which wrk counts as a read error"
		}
		b.note(fmt.Sprintf("%s: wrk counted socket errors in %d of %d runs (%s)%s", key, len(b.socketErrors[key]), b.runs, strings.Join(b.socketErrors[key], "; "), why))
	}
	if len(b.notes) > 0 {
		fmt.Println("Notes:")
		fmt.Println()
		for _, n := range b.notes {
			fmt.Println("- " + n)
		}
		fmt.Println()
	}
	fmt.Printf("Load average after: %s\n", loadavg())
	return nil
}

// tableHead prints the header of a table with the server columns and the
// ratios of simplehttp to each other server.
func tableHead(first string) {
	fmt.Printf("| %s | %s | simplehttp ÷ FileServer | ÷ nginx | ÷ Python |\n", first, strings.Join(colNames[:], " | "))
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|")
}

// tableRow prints one row: the cells, then simplehttp's median divided by
// each other server's (for a lower-is-better quantity too: the label says
// which way is better).
func tableRow(label string, cells [nCols]string, medians [nCols]float64) {
	row := []string{label}
	for _, c := range cells {
		if c == "" {
			c = "–"
		}
		row = append(row, c)
	}
	for c := colRef; c < nCols; c++ {
		if medians[colOurs] == 0 || medians[c] == 0 {
			row = append(row, "–")
			continue
		}
		row = append(row, fmt.Sprintf("%.2f×", medians[colOurs]/medians[c]))
	}
	fmt.Println("| " + strings.Join(row, " | ") + " |")
}

func (b *bench) note(s string) { b.notes = append(b.notes, s) }

// build builds the command and the reference server.
func (b *bench) build() error {
	for _, pkg := range []struct{ out, pkg string }{{"simplehttp", "./cmd/simplehttp"}, {"stdfs", "./bench/cmd/stdfs"}} {
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Minute)
		cmd := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(b.bin, pkg.out), pkg.pkg)
		cmd.Dir = b.repo
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			return fmt.Errorf("go build %s: %v\n%s", pkg.pkg, err, out)
		}
	}
	return nil
}

type fixtureSizes struct {
	listing, bigListing int
	big                 int64
	err                 error
}

// fixtures writes the served tree: the files, the listings, the CGI
// script, the JavaScript (with a .gz sidecar for app.js) and the big file.
func (b *bench) fixtures(dir string) (s fixtureSizes) {
	s = fixtureSizes{listing: 10000, bigListing: 100000, big: 1 << 30}
	if b.quick {
		s = fixtureSizes{listing: 2000, bigListing: 10000, big: 64 << 20}
	}
	must := func(err error) {
		if err != nil && s.err == nil {
			s.err = err
		}
	}
	for _, d := range []string{"list", "biglist/many", "cgi-bin"} {
		must(os.MkdirAll(filepath.Join(dir, d), 0o755))
	}
	must(os.WriteFile(filepath.Join(dir, "1k.bin"), bytes.Repeat([]byte("x"), 1<<10), 0o644))
	must(os.WriteFile(filepath.Join(dir, "100k.bin"), bytes.Repeat([]byte("y"), 100<<10), 0o644))
	for i := range s.listing {
		must(os.WriteFile(filepath.Join(dir, "list", fmt.Sprintf("file-%05d.txt", i)), nil, 0o644))
	}
	for i := range s.bigListing {
		must(os.WriteFile(filepath.Join(dir, "biglist/many", fmt.Sprintf("entry-%06d.dat", i)), nil, 0o644))
	}
	must(os.WriteFile(filepath.Join(dir, "cgi-bin", "hello.sh"), []byte("#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nhello\\n'\n"), 0o755))
	js, err := sourceText(b.repo, 100<<10)
	must(err)
	must(os.WriteFile(filepath.Join(dir, "live.js"), js, 0o644))
	must(os.WriteFile(filepath.Join(dir, "app.js"), js, 0o644))
	var zb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&zb, gzip.BestCompression)
	_, _ = zw.Write(js)
	must(zw.Close())
	must(os.WriteFile(filepath.Join(dir, "app.js.gz"), zb.Bytes(), 0o644))
	f, err := os.Create(filepath.Join(dir, "big.bin"))
	must(err)
	if err == nil {
		must(f.Truncate(s.big)) // sparse: the page cache serves zeros, no disk
		must(f.Close())
	}
	for _, d := range []string{dir, filepath.Join(dir, "cgi-bin")} {
		must(os.Chmod(d, 0o755))
	}
	return s
}

// sourceText returns n bytes of program text that compresses as real
// source does (about 4× with gzip): this module's own Go files, in name
// order, repeated if need be.
func sourceText(repo string, n int) ([]byte, error) {
	var files []string
	err := filepath.WalkDir(repo, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != repo && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	var b bytes.Buffer
	for i := 0; b.Len() < n && len(files) > 0; i++ {
		data, err := os.ReadFile(files[i%len(files)])
		if err != nil {
			return nil, err
		}
		b.Write(data)
	}
	if b.Len() < n {
		return nil, errors.New("no Go source files to make the compressible file from")
	}
	return b.Bytes()[:n], nil
}

// banner is the first line every server prints: "Serving HTTP on HOST
// port N (URL) ...".
var banner = regexp.MustCompile(`^Serving HTTP on \S+ port (\d+) `)

// start runs a server that prints the banner on stdout and waits for it.
func (b *bench) start(name, path string, args ...string) (*server, error) {
	return b.startCmd(name, exec.Command(path, args...))
}

// add records a started server, or kills it at once when benchrun is
// stopping.
func (b *bench) add(s *server) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ctx.Err() != nil {
		kill(s)
		return b.ctx.Err()
	}
	b.servers = append(b.servers, s)
	return nil
}

func (b *bench) startCmd(name string, cmd *exec.Cmd) (*server, error) {
	log, err := os.Create(filepath.Join(b.work, strings.NewReplacer(" ", "-", "/", "-").Replace(name)+".log"))
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = log // the access log
	s, err := launch(name, cmd)
	if err != nil {
		log.Close()
		return nil, err
	}
	s.log = log
	if err := b.add(s); err != nil {
		return nil, err
	}
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := banner.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case port <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case p := <-port:
		s.url = "http://127.0.0.1:" + p
		return s, nil
	case <-s.done:
		return nil, fmt.Errorf("%s exited at start: %v", name, s.cmd.ProcessState)
	case <-time.After(30 * time.Second):
		return nil, fmt.Errorf("%s printed no banner in 30 s", name)
	}
}

func (b *bench) startPython(dir string) (*server, error) {
	env := append(os.Environ(), "PYENV_VERSION=3.12.1")
	check := exec.Command("python3", "-c", "import sys; print(sys.version.split()[0]); print(sys.executable)")
	check.Env = env
	out, err := check.Output()
	lines := strings.Fields(string(out))
	if err != nil || len(lines) != 2 || !strings.HasPrefix(lines[0], "3.12.") {
		return nil, fmt.Errorf("PYENV_VERSION=3.12.1 python3 is not Python 3.12 (%q, %v)", bytes.TrimSpace(out), err)
	}
	// The interpreter itself, not pyenv's shim, so that the process is
	// Python's from the start.
	cmd := exec.Command(lines[1], "-u", "-m", "http.server", "--cgi", "-b", "127.0.0.1", "-d", dir, "0")
	cmd.Env = env
	cmd.Dir = dir
	return b.startCmd("Python 3.12", cmd)
}

// startNginx runs nginx with one worker, sendfile and an access log, on a
// port it is given (nginx cannot report one it picked).
func (b *bench) startNginx(dir string) (*server, error) {
	if b.without["nginx"] {
		return nil, errors.New("-without nginx")
	}
	path, err := exec.LookPath("nginx")
	if err != nil {
		if _, err := os.Stat("/usr/sbin/nginx"); err != nil {
			return nil, errors.New("not installed")
		}
		path = "/usr/sbin/nginx"
	}
	conf := filepath.Join(b.work, "nginx")
	if err := os.MkdirAll(conf, 0o755); err != nil {
		return nil, err
	}
	mime := "include /etc/nginx/mime.types;"
	if _, err := os.Stat("/etc/nginx/mime.types"); err != nil {
		mime = ""
	}
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // the fixtures are root's
	}
	for try := 0; try < 5; try++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		text := fmt.Sprintf(`worker_processes 1;
daemon off;
%[5]s
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 4096; }
http {
  %[2]s
  access_log %[1]s/access.log;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  gzip on;
  gzip_types application/javascript text/javascript;
  gzip_static on;
  client_body_temp_path %[1]s/body;
  proxy_temp_path %[1]s/proxy;
  fastcgi_temp_path %[1]s/fastcgi;
  uwsgi_temp_path %[1]s/uwsgi;
  scgi_temp_path %[1]s/scgi;
  server {
    listen 127.0.0.1:%[3]d;
    root %[4]s;
    location / { autoindex on; }
  }
}
`, conf, mime, port, dir, user)
		file := filepath.Join(conf, "nginx.conf")
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			return nil, err
		}
		cmd := exec.Command(path, "-c", file, "-p", conf)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		s, err := launch("nginx", cmd)
		if err != nil {
			return nil, err
		}
		s.url = fmt.Sprintf("http://127.0.0.1:%d", port)
		if err := b.add(s); err != nil {
			return nil, err
		}
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if c, err := net.DialTimeout("tcp", s.url[len("http://"):], time.Second); err == nil {
				c.Close()
				return s, nil
			}
			select {
			case <-s.done:
				deadline = time.Time{}
			case <-time.After(50 * time.Millisecond):
			}
		}
		b.stop(s)
		if !strings.Contains(stderr.String(), "Address already in use") {
			return nil, fmt.Errorf("did not start: %s", bytes.TrimSpace(stderr.Bytes()))
		}
	}
	return nil, errors.New("no free port after 5 tries")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// kill kills a server's process group and reaps it.
func kill(s *server) {
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
	}
	if s.log != nil {
		s.log.Close()
	}
}

// stopAll kills every server.
func (b *bench) stopAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.servers {
		kill(s)
	}
	b.servers = nil
}

// stop kills one server.
func (b *bench) stop(s *server) {
	b.mu.Lock()
	defer b.mu.Unlock()
	kill(s)
	b.servers = slices.DeleteFunc(b.servers, func(x *server) bool { return x == s })
}

func (b *bench) removeWork() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.work != "" {
		os.RemoveAll(b.work)
		b.work = ""
	}
}

// A workload is one URL path loaded with a number of connections, on the
// servers of the table's columns (nil: not measured).
type workload struct {
	key     string // for the targets
	name    string
	path    string
	conns   int
	size    int // the body's length, when fixed
	header  http.Header
	servers [nCols]*server
}

// check asks every server once and fails on a wrong answer.
func (b *bench) check(w *workload) error {
	for _, s := range w.servers {
		if s == nil {
			continue
		}
		req, _ := http.NewRequestWithContext(b.ctx, http.MethodGet, s.url+w.path, nil)
		for k, v := range w.header {
			req.Header[k] = v
		}
		tr := &http.Transport{DisableCompression: true}
		resp, err := (&http.Client{Transport: tr, Timeout: 60 * time.Second}).Do(req)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", w.name, s.name, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		tr.CloseIdleConnections()
		switch {
		case err != nil:
			return fmt.Errorf("%s: %s: %w", w.name, s.name, err)
		case resp.StatusCode != http.StatusOK:
			return fmt.Errorf("%s: %s answers %s", w.name, s.name, resp.Status)
		case w.size != 0 && len(body) != w.size:
			return fmt.Errorf("%s: %s sends %d bytes, want %d", w.name, s.name, len(body), w.size)
		case w.header != nil && resp.Header.Get("Content-Encoding") != "gzip":
			return fmt.Errorf("%s: %s does not compress (Content-Encoding %q)", w.name, s.name, resp.Header.Get("Content-Encoding"))
		case w.header != nil:
			b.note(fmt.Sprintf("%s: %s sends %d gzip bytes", w.path, s.name, len(body)))
		}
	}
	return nil
}

var (
	wrkRate         = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkSocketErrors = regexp.MustCompile(`Socket errors: (.*)`)
)

// load runs the load generator against url for the run's duration and
// returns requests per second. Error answers (non-2xx) fail it; socket
// errors are noted.
func (b *bench) load(label, url string, conns int, header http.Header) (float64, error) {
	if !b.wrk {
		return goLoad(b.ctx, url, conns, header, b.duration)
	}
	args := []string{"-t1", fmt.Sprintf("-c%d", conns), fmt.Sprintf("-d%ds", int(b.duration.Seconds())), "--timeout", "10s"}
	for k, vv := range header {
		for _, v := range vv {
			args = append(args, "-H", k+": "+v)
		}
	}
	ctx, cancel := context.WithTimeout(b.ctx, b.duration+2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "wrk", append(args, url)...).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("wrk: %v: %s", err, out)
	}
	if bytes.Contains(out, []byte("Non-2xx")) {
		return 0, fmt.Errorf("wrk saw error responses:\n%s", out)
	}
	if m := wrkSocketErrors.FindSubmatch(out); m != nil {
		if _, ok := b.socketErrors[label]; !ok {
			b.socketOrder = append(b.socketOrder, label)
		}
		b.socketErrors[label] = append(b.socketErrors[label], string(m[1]))
	}
	m := wrkRate.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("no rate in wrk's output:\n%s", out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}

// goLoad is the load generator when wrk is missing: conns keep-alive
// clients requesting url in a loop for d.
func goLoad(ctx context.Context, url string, conns int, header http.Header, d time.Duration) (float64, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var n atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range conns {
		wg.Go(func() {
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
				for k, v := range header {
					req.Header[k] = v
				}
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						once.Do(func() { firstErr = err })
					}
					return
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err == nil && resp.StatusCode/100 == 2 {
					n.Add(1)
				} else if ctx.Err() == nil {
					once.Do(func() { firstErr = fmt.Errorf("%s: %v", resp.Status, err) })
					return
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return 0, firstErr
	}
	return float64(n.Load()) / time.Since(start).Seconds(), nil
}

// measurements runs the rows that are not a request rate: the first
// listing of the big directory on fresh servers, the big download, the
// idle connections; then CGI's process start-up alone.
func (b *bench) measurements(dir string, sizes fixtureSizes, ours, ref, nginx, python *server) error {
	fmt.Println("## Other measurements: median (min–max)")
	fmt.Println()
	tableHead("measurement")
	if err := b.firstListing(dir, sizes); err != nil {
		return err
	}
	if err := b.download(sizes.big, [nCols]*server{ours, ref, nginx, python}); err != nil {
		return err
	}
	if err := b.idle(dir); err != nil {
		return err
	}
	fmt.Println()
	return b.spawn(filepath.Join(dir, "cgi-bin", "hello.sh"))
}

// firstListing starts fresh servers and times their first listing of the
// big directory, then reads their peak RSS; each run goes through every
// server in turn.
func (b *bench) firstListing(dir string, sizes fixtureSizes) error {
	type starter func() (*server, error)
	var starts [nCols]starter
	starts[colOurs] = func() (*server, error) {
		return b.start("simplehttp (fresh)", filepath.Join(b.bin, "simplehttp"), "-p", "HTTP/1.1", "--cgi", "-b", "127.0.0.1", "-d", dir, "0")
	}
	starts[colRef] = func() (*server, error) {
		return b.start("FileServer (fresh)", filepath.Join(b.bin, "stdfs"), "-b", "127.0.0.1", "-d", dir, "0")
	}
	starts[colPython] = func() (*server, error) { return b.startPython(dir) }
	var times, rss [nCols][]float64
	client := &http.Client{Timeout: 2 * time.Minute}
	for run := 0; run < b.runs; run++ {
		for c, st := range starts {
			if st == nil || (c == colPython && run > 0 && len(times[c]) == 0) {
				continue
			}
			s, err := st()
			if err != nil {
				if c == colPython {
					b.note("first listing: Python 3.12 left out: " + err.Error())
					continue
				}
				return err
			}
			fmt.Fprintf(os.Stderr, "run %d/%d: first listing of %d entries: %s\n", run+1, b.runs, sizes.bigListing, s.name)
			t0 := time.Now()
			resp, err := client.Get(s.url + "/biglist/many/")
			if err != nil {
				return fmt.Errorf("%s: first listing: %w", s.name, err)
			}
			n, err := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			secs := time.Since(t0).Seconds()
			if err != nil || resp.StatusCode != http.StatusOK || n < int64(sizes.bigListing)*20 {
				return fmt.Errorf("%s: listing answered %s with %d bytes (%v)", s.name, resp.Status, n, err)
			}
			hwm, err := procStatus(s.cmd.Process.Pid, "VmHWM")
			if err != nil {
				return err
			}
			times[c] = append(times[c], secs)
			rss[c] = append(rss[c], hwm)
			b.stop(s)
		}
	}
	b.row("list100k/time", fmt.Sprintf("first listing of %d entries, fresh server: seconds (lower is better)", sizes.bigListing), times, fmtSecs)
	b.row("list100k/rss", "… its peak RSS (VmHWM), MB (lower is better)", rss, fmtInt)
	return nil
}

// row prints a row of the other measurements and records the medians.
func (b *bench) row(key, label string, values [nCols][]float64, format func(float64) string) {
	var cells [nCols]string
	var medians [nCols]float64
	for c := range nCols {
		if len(values[c]) > 0 {
			cells[c] = spread(values[c], format)
			medians[c] = median(values[c])
			b.results[key+"/"+strconv.Itoa(c)] = medians[c]
		}
	}
	tableRow(label, cells, medians)
}

// procStatus reads a "kB" field of /proc/PID/status, in MB.
func procStatus(pid int, field string) (float64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1000, err
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// cpuSeconds is the CPU time, user and system, that the live processes of
// process group pgid have used (nginx serves from a worker process).
func cpuSeconds(pgid int) (float64, error) {
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	total := 0.0
	for _, p := range procs {
		if _, err := strconv.Atoi(p.Name()); err != nil {
			continue
		}
		data, err := os.ReadFile("/proc/" + p.Name() + "/stat")
		if err != nil {
			continue // gone
		}
		// The fields after the command name, which is in parentheses.
		f := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+2:]))
		if len(f) < 13 || f[2] != strconv.Itoa(pgid) {
			continue
		}
		utime, _ := strconv.ParseFloat(f[11], 64)
		stime, _ := strconv.ParseFloat(f[12], 64)
		total += (utime + stime) / 100 // USER_HZ is 100 on Linux
	}
	return total, nil
}

// fetch downloads url to nowhere, with curl when it is installed, and
// returns the bytes received.
func (b *bench) fetch(url string) (int64, error) {
	if !b.curl {
		client := &http.Client{Timeout: 5 * time.Minute}
		resp, err := client.Get(url)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return 0, errors.New(resp.Status)
		}
		return io.CopyBuffer(io.Discard, resp.Body, make([]byte, 256<<10))
	}
	ctx, cancel := context.WithTimeout(b.ctx, 6*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "curl", "-sS", "-o", "/dev/null", "--max-time", "300",
		"-w", "%{http_code} %{size_download}", url).Output()
	if err != nil {
		return 0, fmt.Errorf("curl: %v", err)
	}
	var code int
	var n int64
	if _, err := fmt.Sscan(string(out), &code, &n); err != nil || code != http.StatusOK {
		return 0, fmt.Errorf("curl: %q", out)
	}
	return n, nil
}

// download fetches the big file from each server, interleaved, and
// reports throughput and the server's CPU time per GiB.
func (b *bench) download(size int64, servers [nCols]*server) error {
	// Read the file once first: the first read of a file fills the page
	// cache (for this sparse file, with zeroed pages), work the kernel
	// would charge to whichever server happened to be measured first.
	f, err := os.Open(filepath.Join(b.work, "www", "big.bin"))
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, f)
	f.Close()
	if err != nil {
		return err
	}
	var rate, cpu [nCols][]float64
	sampleGiB := float64(size) * float64(b.fetches()) / (1 << 30) // fetched per sample
	for run := 0; run < b.runs; run++ {
		for c, s := range servers {
			if s == nil {
				continue
			}
			fmt.Fprintf(os.Stderr, "run %d/%d: download of %d MiB, %d times: %s\n", run+1, b.runs, size>>20, b.fetches(), s.name)
			c0, err := cpuSeconds(s.cmd.Process.Pid)
			if err != nil {
				return err
			}
			t0 := time.Now()
			for range b.fetches() {
				n, err := b.fetch(s.url + "/big.bin")
				if err != nil || n != size {
					return fmt.Errorf("%s: big.bin: %d of %d bytes: %v", s.name, n, size, err)
				}
			}
			secs := time.Since(t0).Seconds()
			c1, err := cpuSeconds(s.cmd.Process.Pid)
			if err != nil {
				return err
			}
			rate[c] = append(rate[c], sampleGiB*1024/secs)
			cpu[c] = append(cpu[c], (c1-c0)/sampleGiB)
		}
	}
	client := map[bool]string{true: "curl", false: "Go client"}[b.curl]
	b.row("big/rate", fmt.Sprintf("download of %d MiB (%s, one at a time, %d per sample): MiB/s", size>>20, client, b.fetches()), rate, fmtInt)
	b.row("big/cpu", "… server CPU s per GiB, /proc utime+stime, 10 ms ticks (lower is better)", cpu, fmtSecs)
	return nil
}

// fetches is how many times one sample of the download fetches the big
// file. /proc counts CPU time in 10 ms ticks, and sendfile serves a GiB in
// about 0.35 s of CPU, so one GiB per sample would leave a tick or two of
// noise to decide "no worse"; four GiB make a tick a quarter of that.
func (b *bench) fetches() int {
	if b.quick {
		return 1
	}
	return 4
}

// idle holds many idle keep-alive connections on a fresh server while it
// serves load, and reads its RSS: simplehttp, and FileServer for scale.
func (b *bench) idle(dir string) error {
	conns := 1000
	if b.quick {
		conns = 200
	}
	var starts [nCols][]string
	starts[colOurs] = []string{filepath.Join(b.bin, "simplehttp"), "-p", "HTTP/1.1", "--cgi", "--max-connections", "2000", "-b", "127.0.0.1", "-d", dir, "0"}
	starts[colRef] = []string{filepath.Join(b.bin, "stdfs"), "-b", "127.0.0.1", "-d", dir, "0"}
	var rates, rss [nCols][]float64
	for run := 0; run < b.runs; run++ {
		for c, args := range starts {
			if args == nil {
				continue
			}
			// The default connection cap derives from the descriptor
			// limit, which a child gets at its soft value: ask for room.
			cmd := exec.Command("sh", append([]string{"-c", `ulimit -n 4096 2>/dev/null; exec "$@"`, "sh"}, args...)...)
			name := colNames[c] + " (idle)"
			s, err := b.startCmd(name, cmd)
			if err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "run %d/%d: %d idle connections plus load: %s\n", run+1, b.runs, conns, s.name)
			rate, mb, err := b.idleOne(s, conns)
			b.stop(s)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			rates[c] = append(rates[c], rate)
			rss[c] = append(rss[c], mb)
		}
	}
	b.row("idle/rss", fmt.Sprintf("%d idle keep-alive connections plus load (1 KiB, 32 conns), fresh server: RSS after, MB (lower is better)", conns), rss, fmtInt)
	b.row("idle/rate", "… req/s under that load", rates, fmtRate)
	return nil
}

func (b *bench) idleOne(s *server, conns int) (rate, rssMB float64, err error) {
	addr := s.url[len("http://"):]
	var held []net.Conn
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for range conns {
		c, err := net.DialTimeout("tcp", addr, 10*time.Second)
		if err != nil {
			return 0, 0, fmt.Errorf("idle connection %d: %w", len(held), err)
		}
		held = append(held, c)
		// One request each, so that the connection is served and then
		// idles in keep-alive, as a browser's does.
		_ = c.SetDeadline(time.Now().Add(30 * time.Second))
		if _, err := io.WriteString(c, "GET /1k.bin HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			return 0, 0, err
		}
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return 0, 0, fmt.Errorf("idle connection %d: %w", len(held), err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return 0, 0, fmt.Errorf("idle connection %d: %s", len(held), resp.Status)
		}
		_ = c.SetDeadline(time.Time{})
	}
	rate, err = b.load("idle connections plus load, "+s.name, s.url+"/1k.bin", 32, nil)
	if err != nil {
		return 0, 0, err
	}
	rssMB, err = procStatus(s.cmd.Process.Pid, "VmRSS")
	return rate, rssMB, err
}

// spawn measures what every CGI request costs before any server code
// runs: starting the script and waiting for it, serially, from Go.
func (b *bench) spawn(script string) error {
	n, limit := 0, time.Now().Add(3*time.Second)
	if b.quick {
		limit = time.Now().Add(500 * time.Millisecond)
	}
	t0 := time.Now()
	for ; n < 2000 && time.Now().Before(limit); n++ {
		ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
		out, err := exec.CommandContext(ctx, script).Output()
		cancel()
		if err != nil || !bytes.HasSuffix(out, []byte("hello\n")) {
			return fmt.Errorf("%s: %q, %v", script, out, err)
		}
	}
	per := time.Since(t0).Seconds() / float64(n)
	b.results["spawn"] = 1 / per
	fmt.Printf("CGI script start-up alone (fork, exec of /bin/sh, wait; from Go, serially, %d times): %.2f ms each, %.0f per second on one core.\n\n", n, per*1000, 1/per)
	return nil
}

// targets prints issue 12's targets that these measurements decide, each
// met or missed, with the figures.
func (b *bench) targets(sizes fixtureSizes) {
	get := func(key string, col int) (float64, bool) {
		v, ok := b.results[key+"/"+strconv.Itoa(col)]
		return v, ok && v > 0
	}
	type target struct {
		what string
		ok   func() (string, bool, bool) // figures, met, measured
	}
	ratio := func(key string, col int, min float64) func() (string, bool, bool) {
		return func() (string, bool, bool) {
			ours, ok1 := get(key, colOurs)
			other, ok2 := get(key, col)
			if !ok1 || !ok2 {
				return "not measured", false, false
			}
			r := ours / other
			return fmt.Sprintf("%.2f× (%s vs %s)", r, fmtRate(ours), fmtRate(other)), r >= min, true
		}
	}
	atMost := func(key string, col int, factor float64, format func(float64) string) func() (string, bool, bool) {
		return func() (string, bool, bool) {
			ours, ok1 := get(key, colOurs)
			other, ok2 := get(key, col)
			if !ok1 || !ok2 {
				return "not measured", false, false
			}
			return fmt.Sprintf("%s vs %s (%.2f×)", format(ours), format(other), ours/other), ours <= other*factor, true
		}
	}
	ts := []target{
		{"1 KiB file ≥ 1.1× FileServer", ratio("1k", colRef, 1.1)},
		{"100 KiB file ≥ 1.1× FileServer", ratio("100k", colRef, 1.1)},
		{fmt.Sprintf("%d-entry listing ≥ 2× FileServer", sizes.listing), ratio("list", colRef, 2)},
		{fmt.Sprintf("%d-entry listing ≥ 5× Python", sizes.listing), ratio("list", colPython, 5)},
		{fmt.Sprintf("first listing of %d entries < 0.3 s", sizes.bigListing), func() (string, bool, bool) {
			t, ok := get("list100k/time", colOurs)
			if !ok {
				return "not measured", false, false
			}
			return fmtSecs(t) + " s", t < 0.3, true
		}},
		{"… its peak RSS ≤ Python's", atMost("list100k/rss", colPython, 1, func(v float64) string { return fmtInt(v) + " MB" })},
		{"CGI ≥ 1.2× net/http/cgi", ratio("cgi", colRef, 1.2)},
		{"download ≥ 0.95× FileServer's throughput", ratio("big/rate", colRef, 0.95)},
		{"… server CPU per GiB no worse than FileServer's (within one 10 ms tick over all the bytes of a sample)", func() (string, bool, bool) {
			ours, ok1 := b.results["big/cpu/0"]
			other, ok2 := b.results["big/cpu/1"]
			_, ran := get("big/rate", colOurs)
			if !ok1 || !ok2 || !ran {
				return "not measured", false, false
			}
			return fmt.Sprintf("%s s vs %s s", fmtSecs(ours), fmtSecs(other)), ours <= other+0.01*float64(1<<30)/float64(sizes.big*int64(b.fetches()))+1e-9, true
		}},
		{"idle connections plus load: RSS < 64 MiB (67.1 MB)", func() (string, bool, bool) {
			v, ok := get("idle/rss", colOurs)
			if !ok {
				return "not measured", false, false
			}
			return fmtInt(v) + " MB", v < 64*1.048576, true
		}},
	}
	fmt.Println("## Issue 12's targets")
	fmt.Println()
	if b.quick {
		fmt.Print("(--quick: smaller fixtures and 1 s runs; a verdict here means nothing.)\n\n")
	}
	fmt.Println("| target | measured | verdict |")
	fmt.Println("|---|---|---|")
	for _, t := range ts {
		figures, met, measured := t.ok()
		verdict := map[bool]string{true: "met", false: "**missed**"}[met]
		if !measured {
			verdict = "–"
		}
		fmt.Printf("| %s | %s | %s |\n", t.what, figures, verdict)
	}
	fmt.Println()
	fmt.Print("Not decided here: the middleware costs (`go test -bench . -benchmem` in each package) and allocations per request (`BenchmarkStack`).\n\n")
}

func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// spread formats the median and, with more than one run, the range.
func spread(xs []float64, format func(float64) string) string {
	if len(xs) == 0 {
		return "–"
	}
	m := format(median(xs))
	if len(xs) == 1 {
		return m
	}
	return fmt.Sprintf("%s (%s–%s)", m, format(slices.Min(xs)), format(slices.Max(xs)))
}

// fmtRate formats a rate with about three significant figures.
func fmtRate(v float64) string {
	switch {
	case v >= 100:
		return fmtInt(v)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// fmtInt formats a rounded number with thin groups of three digits
// (12 345), as the README's tables do.
func fmtInt(v float64) string {
	s := strconv.FormatFloat(v, 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ' ')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

func fmtSecs(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }
