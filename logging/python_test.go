package logging

import (
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/fileserver"
	"github.com/simplehttp/simplehttp/internal/oracle"
	"github.com/simplehttp/simplehttp/internal/testutil"
)

// TestAgainstPython sends the same raw requests to Python 3.12's
// `python -m http.server` and to fileserver.New behind this logger, and
// compares the two logs line for line, dates masked: Python's log_request
// lines for 200, 301 and HEAD, send_error's "code N, message M" line before
// the request line for 404 and 501, the client address without its port,
// the request line as sent (HTTP/1.0 too, with a query), and the escaping
// of a raw C1 byte (CSI, 0x9b) and of a backslash, and
// a method whose repr takes double quotes.
func TestAgainstPython(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("hello\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a b.txt"), []byte("spaced\n"), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "dir"), 0o755))
	py := oracle.Start(t, dir)

	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	defer root.Close()
	var log testutil.SyncBuffer
	srv := httptest.NewServer(New(&log)(fileserver.New(root.FS())))
	defer srv.Close()

	requests := []string{
		"GET /a.txt HTTP/1.1",
		"HEAD /a.txt HTTP/1.1",
		"GET /a.txt HTTP/1.0",
		"GET /a%20b.txt?x=1 HTTP/1.1",
		"GET /missing HTTP/1.1",
		"GET /dir HTTP/1.1",
		"PUT /a.txt HTTP/1.1",
		"POST /a.txt HTTP/1.1",
		"DELETE /a.txt HTTP/1.0",
		"GE'T /a.txt HTTP/1.1",
		"GET /\x9b[31mred HTTP/1.1",
		"GET /back\\slash HTTP/1.1",
		"GET /%1b[2J HTTP/1.1",
	}
	for _, line := range requests {
		rawRequest(t, py.Addr, line)
		rawRequest(t, srv.Listener.Addr().String(), line)
	}
	want := awaitLines(t, py.Stderr, 21)
	got := awaitLines(t, log.String, 21)
	assert.Len(t, want, 21)
	assert.Equal(t, want, got)
	if t.Failed() || testing.Verbose() {
		t.Logf("Python's log:\n%s", strings.Join(want, "\n"))
	}
}

// rawRequest sends one request line (with Host, Content-Length: 0 and
// Connection: close) and reads the answer to the end.
func rawRequest(t *testing.T, addr, line string) {
	t.Helper()
	testutil.Exchange(t, addr, line+"\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
}

var logDate = regexp.MustCompile(`^(\S+ - - )\[\d\d/[A-Z][a-z][a-z]/\d{4} \d\d:\d\d:\d\d\] `)

// awaitLines waits (bounded) until log() holds n access log lines and
// returns them with their dates masked.
func awaitLines(t *testing.T, log func() string, n int) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var lines []string
		for _, line := range strings.Split(log(), "\n") {
			if logDate.MatchString(line) {
				lines = append(lines, logDate.ReplaceAllString(line, "$1[DATE] "))
			}
		}
		if len(lines) >= n || time.Now().After(deadline) {
			return lines
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestAgainstPythonIPv6 pins Python's address_string for an IPv6 client:
// client_address[0], "::1", without brackets or port.
func TestAgainstPythonIPv6(t *testing.T) {
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("hello\n"), 0o644))
	py := oracle.Start(t, dir, "-b", "::") // the last -b wins: dual stack
	_, port, err := net.SplitHostPort(py.Addr)
	require.NoError(t, err)

	var log testutil.SyncBuffer
	srv := httptest.NewUnstartedServer(New(&log)(fileserver.New(os.DirFS(dir))))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	defer srv.Close()

	for _, line := range []string{"GET /a.txt HTTP/1.1", "GET /missing HTTP/1.1"} {
		rawRequest(t, net.JoinHostPort("::1", port), line)
		rawRequest(t, ln.Addr().String(), line)
	}
	want := awaitLines(t, py.Stderr, 3)
	got := awaitLines(t, log.String, 3)
	assert.Equal(t, []string{
		`::1 - - [DATE] "GET /a.txt HTTP/1.1" 200 -`,
		`::1 - - [DATE] code 404, message File not found`,
		`::1 - - [DATE] "GET /missing HTTP/1.1" 404 -`,
	}, want)
	assert.Equal(t, want, got)
}
