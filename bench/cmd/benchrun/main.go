// Command benchrun measures simplehttp side by side with Go's
// http.FileServer and net/http/cgi (bench/cmd/stdfs), nginx and Python
// 3.12's http.server, all on 127.0.0.1, and prints a markdown table of
// medians, ranges and ratios. bench/run installs its tools and runs it.
//
//	benchrun [-quick] [-runs N] [-duration D]
//
// Every workload of issue 12 runs interleaved: each repetition runs every
// server in turn, so that noise on a shared machine hits them alike. The
// load generator is wrk (-t1, keep-alive) when it is installed, else a
// Go client in this program (said in the output). Servers missing from
// the machine (nginx, Python 3.12) are left out with a note. -quick is a
// smoke test of the whole procedure in well under two minutes: short runs,
// smaller fixtures, one repetition; its figures mean nothing.
//
// It exits non-zero only when it cannot do its job: a build fails, a
// server does not start, or a server answers a workload wrongly before the
// measurements.
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
	"path/filepath"
	"regexp"
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
	flag.Parse()
	cfg := config{runs: *runs, duration: *duration, quick: *quick}
	if *quick {
		cfg.runs, cfg.duration = 1, time.Second
	}
	if cfg.runs < 1 || cfg.runs > 10 || cfg.duration < time.Second || cfg.duration > 2*time.Minute {
		fmt.Fprintln(os.Stderr, "benchrun: -runs must be 1-10 and -duration 1s-2m")
		os.Exit(2)
	}
	b := &bench{config: cfg}
	err := b.run()
	b.stopAll()
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchrun:", err)
		os.Exit(1)
	}
}

type config struct {
	runs     int
	duration time.Duration
	quick    bool
}

type bench struct {
	config
	repo, work, bin string
	servers         []*server
	notes           []string
	wrk             bool
}

// A server is one running server process.
type server struct {
	name string
	url  string
	cmd  *exec.Cmd
	log  *os.File
}

func (b *bench) run() error {
	var err error
	b.repo, err = os.Getwd()
	if err != nil {
		return err
	}
	b.work, err = os.MkdirTemp("", "simplehttp-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(b.work)
	// nginx workers and CGI scripts run as other users: open the tree.
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
	_, wrkErr := exec.LookPath("wrk")
	b.wrk = wrkErr == nil
	if !b.wrk {
		b.note("wrk is not installed: load comes from this program's Go client, which costs the servers' CPU more than wrk does")
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
	}
	python, err := b.startPython(dir)
	if err != nil {
		b.note("Python 3.12 left out: " + err.Error())
	}

	gz := http.Header{"Accept-Encoding": {"gzip"}}
	workloads := []workload{
		{name: "1 KiB file, 32 conns", path: "/1k.bin", conns: 32, size: 1 << 10, servers: []*server{ours, ref, nginx, python}},
		{name: "100 KiB file, 32 conns", path: "/100k.bin", conns: 32, size: 100 << 10, servers: []*server{ours, ref, nginx, python}},
		{name: fmt.Sprintf("%d-entry listing, 1 conn", sizes.listing), path: "/list/", conns: 1, servers: []*server{ours, ref, nginx, python}},
		{name: "CGI hello, 8 conns", path: "/cgi-bin/hello.sh", conns: 8, servers: []*server{ours, ref, python}},
		{name: "100 KiB JS, gzip on the fly, 32 conns", path: "/live.js", conns: 32, header: gz, servers: []*server{oursGz, nginx}},
		{name: "100 KiB JS, precompressed .gz, 32 conns", path: "/app.js", conns: 32, header: gz, servers: []*server{oursGz, nginx}},
	}
	for i := range workloads {
		workloads[i].servers = slices.DeleteFunc(workloads[i].servers, func(s *server) bool { return s == nil })
		if err := workloads[i].check(); err != nil {
			return err
		}
	}

	fmt.Printf("# simplehttp side by side (%s, %d run(s) of %s each, load: %s)\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), b.runs, b.duration, map[bool]string{true: "wrk -t1", false: "Go client"}[b.wrk])
	results := make([][][]float64, len(workloads)) // workload, server, run
	for i, w := range workloads {
		results[i] = make([][]float64, len(w.servers))
	}
	for run := 0; run < b.runs; run++ {
		for i, w := range workloads {
			for j, s := range w.servers {
				rate, err := b.load(s.url+w.path, w.conns, w.header)
				if err != nil {
					return fmt.Errorf("%s, %s: %w", w.name, s.name, err)
				}
				results[i][j] = append(results[i][j], rate)
			}
		}
	}
	fmt.Println("## Requests per second (median, min–max)")
	fmt.Println()
	fmt.Println("| workload | server | req/s | simplehttp ÷ this |")
	fmt.Println("|---|---|---|---|")
	for i, w := range workloads {
		first := median(results[i][0])
		for j, s := range w.servers {
			ratio := "–"
			if j > 0 {
				ratio = fmt.Sprintf("%.2f×", first/median(results[i][j]))
			}
			fmt.Printf("| %s | %s | %s | %s |\n", w.name, s.name, spread(results[i][j], "%.0f"), ratio)
		}
	}
	fmt.Println()

	if err := b.firstListing(dir, sizes); err != nil {
		return err
	}
	if err := b.download(sizes.big, ours, ref, nginx); err != nil {
		return err
	}
	if err := b.idle(dir); err != nil {
		return err
	}
	for _, n := range b.notes {
		fmt.Println("- note:", n)
	}
	return nil
}

func (b *bench) note(s string) { b.notes = append(b.notes, s) }

// build builds the command and the reference server.
func (b *bench) build() error {
	for _, pkg := range []struct{ out, pkg string }{{"simplehttp", "./cmd/simplehttp"}, {"stdfs", "./bench/cmd/stdfs"}} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(b.bin, pkg.out), pkg.pkg)
		cmd.Dir = b.repo
		if out, err := cmd.CombinedOutput(); err != nil {
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
	js := javascript(100 << 10)
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

// javascript returns n bytes of text that compresses as real source does.
func javascript(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "export function handler%d(request, options = {}) {\n  const url = new URL(request.url, location.href);\n  if (url.searchParams.has(%q)) { return fetch(url, { ...options, cache: 'no-store' }); }\n  return cache.match(request).then((r) => r || fetch(request));\n}\n", i, fmt.Sprint("key", i%97))
	}
	return b.Bytes()[:n]
}

// banner is the first line every server prints: "Serving HTTP on HOST
// port N (URL) ...".
var banner = regexp.MustCompile(`^Serving HTTP on \S+ port (\d+) `)

// start runs a server that prints the banner on stdout and waits for it.
func (b *bench) start(name, path string, args ...string) (*server, error) {
	return b.startCmd(name, exec.Command(path, args...))
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
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	s := &server{name: name, cmd: cmd, log: log}
	b.servers = append(b.servers, s)
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
	case <-time.After(20 * time.Second):
		return nil, fmt.Errorf("%s printed no banner in 20 s", name)
	}
}

func (b *bench) startPython(dir string) (*server, error) {
	env := append(os.Environ(), "PYENV_VERSION=3.12.1")
	check := exec.Command("python3", "--version")
	check.Env = env
	if out, err := check.CombinedOutput(); err != nil || !strings.HasPrefix(string(out), "Python 3.12") {
		return nil, fmt.Errorf("PYENV_VERSION=3.12.1 python3 is not Python 3.12 (%q)", bytes.TrimSpace(out))
	}
	cmd := exec.Command("python3", "-u", "-m", "http.server", "--cgi", "-b", "127.0.0.1", "-d", dir, "0")
	cmd.Env = env
	cmd.Dir = dir
	return b.startCmd("Python 3.12", cmd)
}

// startNginx runs nginx with one worker, sendfile and an access log, on a
// port it is given (nginx cannot report one it picked).
func (b *bench) startNginx(dir string) (*server, error) {
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
	for try := 0; try < 5; try++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		text := fmt.Sprintf(`worker_processes 1;
daemon off;
user root;
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
`, conf, mime, port, dir)
		file := filepath.Join(conf, "nginx.conf")
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			return nil, err
		}
		cmd := exec.Command(path, "-c", file, "-p", conf)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		s := &server{name: "nginx", cmd: cmd, url: fmt.Sprintf("http://127.0.0.1:%d", port)}
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if c, err := net.Dial("tcp", s.url[len("http://"):]); err == nil {
				c.Close()
				b.servers = append(b.servers, s)
				return s, nil
			}
			if cmd.ProcessState != nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
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

// stopAll kills every server's process group and waits for it.
func (b *bench) stopAll() {
	for _, s := range b.servers {
		if s.cmd.Process != nil {
			_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
			_ = s.cmd.Wait()
		}
		if s.log != nil {
			s.log.Close()
		}
	}
	b.servers = nil
}

// A workload is one URL path loaded with a number of connections.
type workload struct {
	name    string
	path    string
	conns   int
	size    int // the body's length, when fixed
	header  http.Header
	servers []*server
}

// check asks every server once and fails on a wrong answer.
func (w *workload) check() error {
	for _, s := range w.servers {
		req, _ := http.NewRequest(http.MethodGet, s.url+w.path, nil)
		for k, v := range w.header {
			req.Header[k] = v
		}
		tr := &http.Transport{DisableCompression: true}
		resp, err := (&http.Client{Transport: tr, Timeout: 30 * time.Second}).Do(req)
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
		}
	}
	return nil
}

var (
	wrkRate         = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkSocketErrors = regexp.MustCompile(`Socket errors: (.*)`)
)

// load runs the load generator against url for the run's duration and
// returns requests per second. Errors and non-2xx answers fail it.
func (b *bench) load(url string, conns int, header http.Header) (float64, error) {
	if !b.wrk {
		return goLoad(url, conns, header, b.duration)
	}
	args := []string{"-t1", fmt.Sprintf("-c%d", conns), fmt.Sprintf("-d%ds", int(b.duration.Seconds())), "--timeout", "10s"}
	for k, vv := range header {
		for _, v := range vv {
			args = append(args, "-H", k+": "+v)
		}
	}
	out, err := exec.Command("wrk", append(args, url)...).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("wrk: %v: %s", err, out)
	}
	if bytes.Contains(out, []byte("Non-2xx")) {
		return 0, fmt.Errorf("wrk saw error responses:\n%s", out)
	}
	if m := wrkSocketErrors.FindSubmatch(out); m != nil {
		// Python closes every connection (HTTP/1.0), which wrk counts as
		// read errors, and its listen backlog of 5 refuses connections.
		b.note(fmt.Sprintf("%s: wrk counted socket errors (%s)", url, m[1]))
	}
	m := wrkRate.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("no rate in wrk's output:\n%s", out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}

// goLoad is the load generator when wrk is missing: conns keep-alive
// clients requesting url in a loop for d.
func goLoad(url string, conns int, header http.Header, d time.Duration) (float64, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), d)
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
				if err == nil && resp.StatusCode == http.StatusOK {
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

// firstListing starts fresh servers and times their first listing of the
// big directory, then reads their peak RSS.
func (b *bench) firstListing(dir string, sizes fixtureSizes) error {
	type start func() (*server, error)
	starts := []start{
		func() (*server, error) {
			return b.start("simplehttp", filepath.Join(b.bin, "simplehttp"), "-p", "HTTP/1.1", "-b", "127.0.0.1", "-d", dir, "0")
		},
		func() (*server, error) {
			return b.start("FileServer", filepath.Join(b.bin, "stdfs"), "-b", "127.0.0.1", "-d", dir, "0")
		},
		func() (*server, error) { return b.startPython(dir) },
	}
	fmt.Printf("## First listing of a %d-entry directory (fresh server each run)\n\n", sizes.bigListing)
	fmt.Println("| server | time | peak RSS (VmHWM) |")
	fmt.Println("|---|---|---|")
	for _, st := range starts {
		var times, rss []float64
		name := ""
		for run := 0; run < b.runs; run++ {
			s, err := st()
			if err != nil {
				b.note("first listing: " + err.Error())
				break
			}
			name = s.name
			t0 := time.Now()
			resp, err := http.Get(s.url + "/biglist/many/")
			if err != nil {
				return err
			}
			n, _ := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			times = append(times, time.Since(t0).Seconds())
			if resp.StatusCode != http.StatusOK || n < int64(sizes.bigListing)*20 {
				return fmt.Errorf("%s: listing answered %s with %d bytes", s.name, resp.Status, n)
			}
			hwm, err := procStatus(s.cmd.Process.Pid, "VmHWM")
			if err != nil {
				return err
			}
			rss = append(rss, hwm)
			b.stop(s)
		}
		if name != "" {
			fmt.Printf("| %s | %s s | %s MB |\n", name, spread(times, "%.2f"), spread(rss, "%.0f"))
		}
	}
	fmt.Println()
	return nil
}

// stop kills one server started by b.
func (b *bench) stop(s *server) {
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	_ = s.cmd.Wait()
	if s.log != nil {
		s.log.Close()
	}
	b.servers = slices.DeleteFunc(b.servers, func(x *server) bool { return x == s })
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

// download fetches the big file from each server, interleaved, and
// reports throughput and the server's CPU time per GiB.
func (b *bench) download(size int64, servers ...*server) error {
	servers = slices.DeleteFunc(servers, func(s *server) bool { return s == nil })
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
	rate := make([][]float64, len(servers))
	cpu := make([][]float64, len(servers))
	for run := 0; run < b.runs; run++ {
		for i, s := range servers {
			c0, err := cpuSeconds(s.cmd.Process.Pid)
			if err != nil {
				return err
			}
			t0 := time.Now()
			resp, err := http.Get(s.url + "/big.bin")
			if err != nil {
				return err
			}
			n, err := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err != nil || n != size {
				return fmt.Errorf("%s: big.bin: %d of %d bytes: %v", s.name, n, size, err)
			}
			secs := time.Since(t0).Seconds()
			c1, err := cpuSeconds(s.cmd.Process.Pid)
			if err != nil {
				return err
			}
			gib := float64(size) / (1 << 30)
			rate[i] = append(rate[i], float64(size)/(1<<20)/secs)
			cpu[i] = append(cpu[i], (c1-c0)/gib)
		}
	}
	fmt.Printf("## Download of a %d MiB file (one client, keep-alive; server CPU from /proc, 10 ms ticks)\n\n", size>>20)
	fmt.Println("| server | MiB/s | server CPU s per GiB | simplehttp ÷ this (MiB/s) |")
	fmt.Println("|---|---|---|---|")
	for i, s := range servers {
		ratio := "–"
		if i > 0 {
			ratio = fmt.Sprintf("%.2f×", median(rate[0])/median(rate[i]))
		}
		fmt.Printf("| %s | %s | %s | %s |\n", s.name, spread(rate[i], "%.0f"), spread(cpu[i], "%.3f"), ratio)
	}
	fmt.Println()
	return nil
}

// idle holds many idle keep-alive connections on a fresh simplehttp while
// it serves load, and reads its RSS.
func (b *bench) idle(dir string) error {
	conns := 1000
	if b.quick {
		conns = 200
	}
	// The default connection cap derives from the descriptor limit, which
	// a child gets at its soft value: ask for room explicitly.
	cmd := exec.Command("sh", "-c", `ulimit -n 4096 2>/dev/null; exec "$@"`, "sh",
		filepath.Join(b.bin, "simplehttp"), "-p", "HTTP/1.1", "--cgi", "--max-connections", "2000", "-b", "127.0.0.1", "-d", dir, "0")
	s, err := b.startCmd("simplehttp (idle)", cmd)
	if err != nil {
		return err
	}
	defer b.stop(s)
	addr := s.url[len("http://"):]
	var held []net.Conn
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return fmt.Errorf("idle connection %d: %w", len(held), err)
		}
		held = append(held, c)
		// One request each, so that the connection is served and then
		// idles in keep-alive, as a browser's does.
		if _, err := io.WriteString(c, "GET /1k.bin HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			return err
		}
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return fmt.Errorf("idle connection %d: %w", len(held), err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	rate, err := b.load(s.url+"/1k.bin", 32, nil)
	if err != nil {
		return err
	}
	rss, err := procStatus(s.cmd.Process.Pid, "VmRSS")
	if err != nil {
		return err
	}
	hwm, err := procStatus(s.cmd.Process.Pid, "VmHWM")
	if err != nil {
		return err
	}
	fmt.Printf("## %d idle keep-alive connections plus load (1 KiB file, 32 conns)\n\n", conns)
	fmt.Println("| server | req/s under load | RSS after | peak RSS |")
	fmt.Println("|---|---|---|---|")
	fmt.Printf("| simplehttp | %.0f | %.0f MB | %.0f MB |\n\n", rate, rss, hwm)
	return nil
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
func spread(xs []float64, format string) string {
	if len(xs) == 0 {
		return "–"
	}
	m := fmt.Sprintf(format, median(xs))
	if len(xs) == 1 {
		return m
	}
	return fmt.Sprintf("%s (%s–%s)", m, fmt.Sprintf(format, slices.Min(xs)), fmt.Sprintf(format, slices.Max(xs)))
}
