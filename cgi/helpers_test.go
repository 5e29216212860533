package cgi

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// envScript prints its arguments and its environment.
const envScript = `printf 'Content-Type: text/plain\n\n'
printf 'argc=%s\n' "$#"
for a in "$@"; do printf 'arg=%s\n' "$a"; done
echo --env--
env
`

// newDir returns a served directory with cgi-bin, cgi-bin/sub and htbin,
// open to the user scripts run as (t.TempDir's parent is private).
func newDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.Chmod(filepath.Dir(dir), 0o755))
	require.NoError(t, os.Chmod(dir, 0o755))
	for _, d := range []string{"cgi-bin", "cgi-bin/sub", "htbin"} {
		require.NoError(t, os.Mkdir(filepath.Join(dir, d), 0o755))
	}
	writeFile(t, dir, "a.txt", "hello\n", 0o644)
	return dir
}

// writeScript writes a "#!/bin/sh" script at dir/name.
func writeScript(t testing.TB, dir, name, body string) {
	t.Helper()
	writeFile(t, dir, name, "#!/bin/sh\n"+body, 0o755)
}

func writeFile(t testing.TB, dir, name, body string, mode os.FileMode) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	require.NoError(t, os.WriteFile(p, []byte(body), mode))
	require.NoError(t, os.Chmod(p, mode))
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// logs collects what the middleware logs.
type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) logf(_ *http.Request, format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// waitFor waits (a bounded time) until a logged line contains s.
func (l *logs) waitFor(t *testing.T, s string) {
	t.Helper()
	eventually(t, func() bool { return strings.Contains(l.String(), s) }, "log line %q; log:\n%s", s, l)
}

// eventually polls cond until it holds or 10 s pass.
func eventually(t *testing.T, cond func() bool, msg string, args ...any) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for "+msg, args...)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// nextHandler stands in for the file handler: it answers
// "next METHOD PATH?QUERY" and counts its calls.
type nextHandler struct {
	mu    sync.Mutex
	calls int
}

func (n *nextHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n.mu.Lock()
	n.calls++
	n.mu.Unlock()
	fmt.Fprintf(w, "next %s %s?%s", r.Method, r.URL.Path, r.URL.RawQuery)
}

func (n *nextHandler) count() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.calls
}

type fixture struct {
	dir  string
	srv  *httptest.Server
	logs *logs
	next *nextHandler
}

// handler returns the middleware's handler under f's server.
func (f *fixture) handler(t testing.TB) *handler {
	t.Helper()
	h, ok := f.srv.Config.Handler.(*handler)
	require.True(t, ok, "the server's handler is %T", f.srv.Config.Handler)
	return h
}

// mustNew returns the middleware over dir, whose root the test closes.
func mustNew(t testing.TB, dir string, opts ...Option) func(http.Handler) http.Handler {
	t.Helper()
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	t.Cleanup(func() { root.Close() })
	mw, err := New(root, opts...)
	require.NoError(t, err)
	return mw
}

// serve runs the middleware over dir on a real server.
func serve(t testing.TB, dir string, opts ...Option) *fixture {
	t.Helper()
	f := &fixture{dir: dir, logs: &logs{}, next: &nextHandler{}}
	opts = append([]Option{WithLogf(f.logs.logf)}, opts...)
	f.srv = httptest.NewUnstartedServer(mustNew(t, dir, opts...)(f.next))
	// net/http logs a handler's panic (other than http.ErrAbortHandler)
	// here; no test may cause one.
	serverLog := &logs{}
	f.srv.Config.ErrorLog = log.New(writerFunc(func(p []byte) (int, error) {
		serverLog.logf(nil, "%s", p)
		return len(p), nil
	}), "", 0)
	f.srv.Start()
	t.Cleanup(func() {
		f.srv.Close()
		assert.NotContains(t, serverLog.String(), "panic", "net/http's log")
	})
	return f
}

// do sends a request with the path as given (not cleaned) and returns the
// response with its body read.
func (f *fixture) do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := noRedirect.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func (f *fixture) get(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	return f.do(t, newRequest(t, http.MethodGet, f.srv.URL, path, nil))
}

// newRequest builds a request that sends path exactly as written: no
// cleaning, no re-escaping, a "#" kept.
func newRequest(t *testing.T, method, base, path string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, base+"/", body)
	require.NoError(t, err)
	p, q, hasQuery := strings.Cut(path, "?")
	if strings.HasPrefix(p, "//") {
		// An opaque "//x" would be sent as "http://x".
		u, err := url.Parse(base + path)
		require.NoError(t, err)
		req.URL = u
		return req
	}
	req.URL.Opaque, req.URL.RawQuery, req.URL.ForceQuery = p, q, hasQuery && q == ""
	return req
}

var noRedirect = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// parseEnv splits envScript's output into its arguments and environment.
func parseEnv(body string) (args []string, env map[string]string) {
	env = map[string]string{}
	head, tail, _ := strings.Cut(body, "--env--\n")
	for line := range strings.Lines(head) {
		if a, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "arg="); ok {
			args = append(args, a)
		}
	}
	sc := bufio.NewScanner(strings.NewReader(tail))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			env[k] = v
		}
	}
	return args, env
}

// procGone reports whether process pid has ended: it no longer exists, or
// it is a zombie some other parent must reap (an orphan handed to init,
// which may not reap in a container). A zombie of ours is not gone.
func procGone(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	// pid (comm) state ppid ...
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 2 || fields[0] != "Z" {
		return false
	}
	ppid, _ := strconv.Atoi(fields[1])
	return ppid != os.Getpid()
}

// readPids reads the pids a script wrote to file, one a line.
func readPids(t *testing.T, file string) []int {
	t.Helper()
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	var pids []int
	for f := range strings.FieldsSeq(string(b)) {
		pid, err := strconv.Atoi(f)
		require.NoError(t, err)
		pids = append(pids, pid)
	}
	require.NotEmpty(t, pids)
	return pids
}
