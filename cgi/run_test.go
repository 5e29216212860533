package cgi

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/felixge/httpsnoop"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

// TestResponses pins the parsing of a script's header block (RFC 3875 §6;
// Python has none: it sends "200 Script output follows" and passes the
// script's bytes on).
func TestResponses(t *testing.T) {
	dir := newDir(t)
	writeScript(t, dir, "cgi-bin/env.sh", envScript)
	f := serve(t, dir)
	tests := []struct {
		name   string
		script string // after #!/bin/sh
		method string
		code   int
		header map[string]string // "" value: must be absent
		body   string
		log    string
	}{
		{
			name: "document", script: `printf 'Content-Type: text/html\n\n<p>hi</p>'`,
			code: 200, header: map[string]string{"Content-Type": "text/html"}, body: "<p>hi</p>",
		},
		{
			name: "CRLF lines, repeated fields", script: `printf 'Content-Type: text/plain\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Tab:\tv \r\n\r\nok'`,
			code: 200, header: map[string]string{"Set-Cookie": "a=1|b=2", "X-Tab": "v"}, body: "ok",
		},
		{
			name: "Status", script: `printf 'Status: 404 Not Here\nContent-Type: text/plain\n\ngone\n'`,
			code: 404, body: "gone\n",
		},
		{
			name: "Status without a phrase", script: `printf 'Status: 201\nContent-Type: text/plain\n\nmade'`,
			code: 201, body: "made",
		},
		{
			name: "no body allowed", script: `printf 'Status: 204\n\nbody the client must not see'`,
			code: 204, body: "",
		},
		{
			name: "no Content-Type is not sniffed", script: `printf 'X-A: 1\n\n<html>'`,
			code: 200, header: map[string]string{"Content-Type": ""}, body: "<html>",
		},
		{
			name: "Content-Length", script: `printf 'Content-Type: text/plain\nContent-Length: 5\n\nhello'`,
			code: 200, header: map[string]string{"Content-Length": "5"}, body: "hello",
		},
		{
			name: "hop-by-hop fields dropped", script: `printf 'Content-Type: text/plain\nTransfer-Encoding: gzip\nUpgrade: x\n\nok'`,
			code: 200, header: map[string]string{"Upgrade": ""}, body: "ok",
		},
		{
			name: "absolute Location", script: `printf 'Location: http://example.com/x?y\n\n'`,
			code: 302, header: map[string]string{"Location": "http://example.com/x?y"},
		},
		{
			name: "Location with its own Status", script: `printf 'Status: 301\nLocation: /elsewhere\n\n'`,
			code: 301, header: map[string]string{"Location": "/elsewhere"},
		},
		{
			name: "local Location to a file", script: `printf 'Location: /a.txt?x=1\n\nignored'`,
			code: 200, body: "next GET /a.txt?x=1",
		},
		{
			name: "local Location from POST is a GET", method: "POST", script: `printf 'Location: /a.txt\n\n'`,
			code: 200, body: "next GET /a.txt?",
		},
		{
			name: "local Location to a script", script: `printf 'Location: /cgi-bin/env.sh?from+redirect\n\n'`,
			code: 200, body: "argc=1\narg=from redirect\n",
		},
		{
			name: "local redirect loop", script: `printf 'Location: /cgi-bin/t.sh\n\n'`,
			code: 502, body: "Bad Gateway\n", log: "more than 10 local redirects",
		},
		{
			name: "no header block", script: `echo hello`,
			code: 502, body: "Bad Gateway\n", log: `CGI script /cgi-bin/t.sh: no valid header block: malformed header line "hello"`,
		},
		{
			name: "unfinished header block", script: `printf 'Content-Type: text/plain\n'`,
			code: 502, body: "Bad Gateway\n", log: "no valid header block: output ended inside the header block",
		},
		{
			name: "not a header line", script: `printf 'hello world\n\n'`,
			code: 502, body: "Bad Gateway\n", log: `malformed header line "hello world"`,
		},
		{
			name: "no output", script: `exit 0`,
			code: 502, body: "Bad Gateway\n", log: "no valid header block: no output",
		},
		{
			name: "empty header block", script: `printf '\nbody'`,
			code: 502, body: "Bad Gateway\n", log: "empty header block",
		},
		{
			name: "control character", script: `printf 'Content-Type: text/plain\nX-A: a\033[2Jb\n\n'`,
			code: 502, body: "Bad Gateway\n", log: "control character in header line",
		},
		{
			name: "bare CR", script: `printf 'Content-Type: text/plain\rX-A: 1\n\n'`,
			code: 502, body: "Bad Gateway\n", log: "control character in header line",
		},
		{
			name: "folded line", script: `printf 'Content-Type: text/plain\n more\n\n'`,
			code: 502, body: "Bad Gateway\n", log: "malformed header line",
		},
		{
			name: "bad Status", script: `printf 'Status: 99 Low\n\n'`,
			code: 502, body: "Bad Gateway\n", log: `bad Status "99 Low"`,
		},
		{
			name: "two Status fields", script: `printf 'Status: 200\nStatus: 404\n\n'`,
			code: 502, body: "Bad Gateway\n", log: "more than one Status",
		},
		{
			name: "bad Content-Length", script: `printf 'Content-Length: -1\n\n'`,
			code: 502, body: "Bad Gateway\n", log: "bad Content-Length",
		},
		{
			name: "header block too large", script: `printf 'X-Big: '; head -c 70000 /dev/zero | tr '\0' a; printf '\n\n'`,
			code: 502, body: "Bad Gateway\n", log: "header block longer than 65536 bytes",
		},
		{
			name: "HEAD runs the script, no body", method: "HEAD", script: `printf 'Content-Type: text/plain\nX-Ran: yes\n\nbody'`,
			code: 200, header: map[string]string{"X-Ran": "yes"}, body: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeScript(t, dir, "cgi-bin/t.sh", tt.script+"\n")
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			resp, body := f.do(t, newRequest(t, method, f.srv.URL, "/cgi-bin/t.sh", nil))
			assert.Equal(t, tt.code, resp.StatusCode)
			if strings.HasPrefix(tt.body, "argc=") {
				assert.True(t, strings.HasPrefix(body, tt.body), "body %q", body)
			} else {
				assert.Equal(t, tt.body, body)
			}
			for k, want := range tt.header {
				if want == "" {
					assert.NotContains(t, resp.Header, k)
					continue
				}
				assert.Equal(t, want, strings.Join(resp.Header.Values(k), "|"), k)
			}
			if tt.log != "" {
				f.logs.waitFor(t, tt.log)
			}
		})
	}
}

// TestExitAndStderr pins the log: stderr lines as they are, Python's
// "CGI script exit code N" for a non-zero exit and -SIG for a signal.
func TestExitAndStderr(t *testing.T) {
	dir := newDir(t)
	tests := []struct {
		name, script string
		logs         []string
		noLog        string
	}{
		{"exit 0", "printf 'Content-Type: text/plain\\n\\nok'", nil, "exit code"},
		{"exit 3", "printf 'Content-Type: text/plain\\n\\nok'\necho 'oops: line 1' >&2\necho 'line 2' >&2\nexit 3",
			[]string{"oops: line 1", "line 2", "CGI script exit code 3"}, ""},
		{"signal", "printf 'Content-Type: text/plain\\n\\nok'\nkill -TERM $$", []string{"CGI script exit code -15"}, ""},
		{"segfault", "printf 'Content-Type: text/plain\\n\\nok'\nkill -SEGV $$", []string{"CGI script exit code -11"}, ""},
	}
	pids := pidDir(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := serve(t, dir)
			pidFile := pids + "/" + strings.ReplaceAll(tt.name, " ", "_")
			writeScript(t, dir, "cgi-bin/t.sh", "echo $$ > "+pidFile+"\n"+tt.script+"\n")
			resp, body := f.get(t, "/cgi-bin/t.sh")
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, "ok", body)
			// Reaped, not left a zombie, however it ended.
			assertGroupGone(t, pidFile)
			for _, l := range tt.logs {
				f.logs.waitFor(t, l)
			}
			if tt.noLog != "" {
				assert.NotContains(t, f.logs.String(), tt.noLog)
			}
		})
	}
}

// TestStartFailures pins scripts that cannot be started: a 502 with the
// reason logged (Python has already sent 200 and logs a traceback).
func TestStartFailures(t *testing.T) {
	dir := newDir(t)
	writeFile(t, dir, "cgi-bin/badinterp.sh", "#!/nonexistent/interpreter\n", 0o755)
	writeFile(t, dir, "cgi-bin/noshebang.txt", "just text\n", 0o755)
	f := serve(t, dir)
	for _, name := range []string{"badinterp.sh", "noshebang.txt"} {
		t.Run(name, func(t *testing.T) {
			resp, body := f.get(t, "/cgi-bin/"+name)
			assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
			assert.Equal(t, "Bad Gateway\n", body)
			f.logs.waitFor(t, "CGI script /cgi-bin/"+name+" could not be started")
		})
	}
}

// chacha returns n deterministic pseudo-random bytes as a stream.
func chacha(n int64) io.Reader {
	var seed [32]byte
	return io.LimitReader(rand.NewChaCha8(seed), n)
}

// TestLargePOST pins streaming in: a 100 MiB body reaches the script byte
// for byte and comes back while it is still being sent.
func TestLargePOST(t *testing.T) {
	if testing.Short() {
		t.Skip("100 MiB through a script")
	}
	dir := newDir(t)
	writeScript(t, dir, "cgi-bin/echo.sh", "printf 'Content-Type: application/octet-stream\\n\\n'\nexec cat\n")
	f := serve(t, dir)
	const size = 100 << 20
	sent := sha256.New()
	req := newRequest(t, http.MethodPost, f.srv.URL, "/cgi-bin/echo.sh", io.TeeReader(chacha(size), sent))
	req.ContentLength = size
	resp, err := noRedirect.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	got := sha256.New()
	n, err := io.Copy(got, resp.Body)
	require.NoError(t, err)
	assert.Equal(t, int64(size), n)
	assert.Equal(t, fmt.Sprintf("%x", sent.Sum(nil)), fmt.Sprintf("%x", got.Sum(nil)))
}

// TestChunkedPOST pins bodies without Content-Length: spooled so that
// CONTENT_LENGTH is right, refused with 413 over the limit.
func TestChunkedPOST(t *testing.T) {
	dir := newDir(t)
	writeScript(t, dir, "cgi-bin/echo.sh", "printf 'Content-Type: text/plain\\nX-Length: %s\\n\\n' \"$CONTENT_LENGTH\"\nexec cat\n")
	f := serve(t, dir, WithMaxSpool(100<<10))
	tests := []struct {
		name string
		size int64
		code int
	}{
		{"empty", 0, 200},
		{"small", 10, 200},
		{"at the limit", 100 << 10, 200},
		{"over the limit", 100<<10 + 1, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := io.ReadAll(chacha(tt.size))
			require.NoError(t, err)
			// A reader of unknown length makes the client send it chunked.
			req := newRequest(t, http.MethodPost, f.srv.URL, "/cgi-bin/echo.sh", io.MultiReader(strings.NewReader(""), strings.NewReader(string(data))))
			req.ContentLength = -1
			resp, body := f.do(t, req)
			require.Equal(t, tt.code, resp.StatusCode, body)
			if tt.code != 200 {
				assert.Equal(t, "Request Entity Too Large\n", body)
				assert.True(t, resp.Close, "Connection: close: the rest of the body is unread")
				f.logs.waitFor(t, "CGI: chunked request body over the 102400-byte limit: refused with 413")
				return
			}
			assert.Equal(t, strconv.FormatInt(tt.size, 10), resp.Header.Get("X-Length"))
			assert.Equal(t, string(data), body)
		})
	}
}

// TestStreaming pins both directions at once: the script's first line
// reaches the client before the client has sent the rest of its body, and
// the body sent after that reaches the script.
func TestStreaming(t *testing.T) {
	dir := newDir(t)
	writeScript(t, dir, "cgi-bin/chat.sh", "printf 'Content-Type: text/plain\\n\\nfirst\\n'\nread x\necho \"got $x\"\n")
	f := serve(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	pr, pw := io.Pipe()
	req := newRequest(t, http.MethodPost, f.srv.URL, "/cgi-bin/chat.sh", pr).WithContext(ctx)
	req.ContentLength = 3
	resp, err := noRedirect.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "first\n", line)
	_, err = pw.Write([]byte("go\n"))
	require.NoError(t, err)
	require.NoError(t, pw.Close())
	rest, err := io.ReadAll(br)
	require.NoError(t, err)
	assert.Equal(t, "got go\n", string(rest))
}

// hangScript records its pid and a child's, writes its header block and a
// first line when output is true, and waits for the child.
func hangScript(pidFile string, output bool) string {
	s := fmt.Sprintf("echo $$ > %s\nsleep 300 &\necho $! >> %s\n", pidFile, pidFile)
	if output {
		s += "printf 'Content-Type: text/plain\\n\\nstarted\\n'\n"
	}
	return s + "wait\n"
}

// assertGroupGone waits until every process the script recorded has
// ended and, for the script itself, been reaped.
func assertGroupGone(t *testing.T, pidFile string) {
	t.Helper()
	pids := readPids(t, pidFile)
	for _, pid := range pids {
		eventually(t, func() bool { return procGone(pid) }, "process %d to end", pid)
	}
	_, err := os.Stat(fmt.Sprintf("/proc/%d", pids[0]))
	assert.True(t, os.IsNotExist(err), "the script %d is still there (a zombie?)", pids[0])
}

// pidDir is a directory a script running as nobody can write its pids to.
func pidDir(t *testing.T) string {
	d := filepath.Join(t.TempDir(), "pids")
	require.NoError(t, os.Mkdir(d, 0o777))
	require.NoError(t, os.Chmod(d, 0o777))
	require.NoError(t, os.Chmod(filepath.Dir(d), 0o755))
	require.NoError(t, os.Chmod(filepath.Dir(filepath.Dir(d)), 0o755))
	return d
}

// TestTimeout pins WithTimeout: the whole process group is killed; before
// the header block the client gets a 504, after it the response is cut.
func TestTimeout(t *testing.T) {
	dir := newDir(t)
	pids := pidDir(t)
	writeScript(t, dir, "cgi-bin/silent.sh", hangScript(pids+"/silent", false))
	writeScript(t, dir, "cgi-bin/talks.sh", hangScript(pids+"/talks", true))
	f := serve(t, dir, WithTimeout(time.Second))

	t.Run("before the header block", func(t *testing.T) {
		resp, body := f.get(t, "/cgi-bin/silent.sh")
		assert.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)
		assert.Equal(t, "Gateway Timeout\n", body)
		assertGroupGone(t, pids+"/silent")
		f.logs.waitFor(t, "CGI script timed out after 1s")
		f.logs.waitFor(t, "CGI script exit code -9")
	})
	t.Run("after the header block", func(t *testing.T) {
		resp, err := noRedirect.Get(f.srv.URL + "/cgi-bin/talks.sh")
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		body, err := io.ReadAll(resp.Body)
		assert.Error(t, err, "a cut response must not look complete")
		assert.Equal(t, "started\n", string(body))
		assertGroupGone(t, pids+"/talks")
	})
}

// TestClientGone pins the kill when the client goes away mid-response
// (GET: net/http notices the closed connection) and mid-upload (POST: the
// body read fails).
func TestClientGone(t *testing.T) {
	dir := newDir(t)
	pids := pidDir(t)
	writeScript(t, dir, "cgi-bin/hang.sh", hangScript(pids+"/get", true))
	writeScript(t, dir, "cgi-bin/upload.sh", hangScript(pids+"/post", true))
	f := serve(t, dir)

	tests := []struct {
		name, path, pidFile string
		post                bool
	}{
		{"GET", "/cgi-bin/hang.sh", pids + "/get", false},
		{"POST", "/cgi-bin/upload.sh", pids + "/post", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var req *http.Request
			if tt.post {
				pr, pw := io.Pipe()
				defer pw.Close()
				go func() { _, _ = pw.Write([]byte("part of the body")) }()
				req = newRequest(t, http.MethodPost, f.srv.URL, tt.path, pr)
				req.ContentLength = 1 << 20
			} else {
				req = newRequest(t, http.MethodGet, f.srv.URL, tt.path, nil)
			}
			resp, err := noRedirect.Do(req.WithContext(ctx))
			require.NoError(t, err)
			line, err := bufio.NewReader(resp.Body).ReadString('\n')
			require.NoError(t, err)
			assert.Equal(t, "started\n", line)
			cancel() // the client goes away
			resp.Body.Close()
			assertGroupGone(t, tt.pidFile)
			f.logs.waitFor(t, "CGI script killed: client went away")
		})
	}
}

// TestUser pins the switch to nobody (uid and gid, no supplementary
// groups) when the server is root, and WithUser("") turning it off.
func TestUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	uid, gid := "65534", "65534"
	if u, err := user.Lookup("nobody"); err == nil {
		uid, gid = u.Uid, u.Gid
	}
	dir := newDir(t)
	writeScript(t, dir, "cgi-bin/id.sh", "printf 'Content-Type: text/plain\\n\\n%s %s %s\\n' \"$(id -u)\" \"$(id -g)\" \"$(id -G)\"\n")
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{"default", nil, uid + " " + gid + " " + gid + "\n"},
		{"WithUser(nobody)", []Option{WithUser("nobody")}, uid + " " + gid + " " + gid + "\n"},
		{"WithUser(\"\")", []Option{WithUser("")}, "0 0 0\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := serve(t, dir, tt.opts...)
			_, body := f.get(t, "/cgi-bin/id.sh")
			assert.Equal(t, tt.want, body)
		})
	}
}

// TestNotExecutableForNobody pins the permission test against the user
// scripts run as: a root-only script is "not executable" for them.
func TestNotExecutableForNobody(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	dir := newDir(t)
	writeFile(t, dir, "cgi-bin/rootonly.sh", "#!/bin/sh\necho\n", 0o700)
	f := serve(t, dir)
	resp, body := f.get(t, "/cgi-bin/rootonly.sh")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Equal(t, "CGI script is not executable ('/cgi-bin/rootonly.sh')\n", body)

	// A directory on the way that nobody may not enter: exec fails, 403.
	require.NoError(t, os.Mkdir(filepath.Join(dir, "cgi-bin/closed"), 0o700))
	writeScript(t, dir, "cgi-bin/closed/x.sh", "echo\n")
	resp, body = f.get(t, "/cgi-bin/closed/x.sh")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Equal(t, "CGI script is not executable ('/cgi-bin/closed/x.sh')\n", body)
}

// TestUnreadBody pins scripts that do not read their input: the response
// is complete, the connection stays usable when little is left unread,
// and net/http does not panic (golang.org/issue/68560, which full-duplex
// handlers hit when they leave a body unread).
func TestUnreadBody(t *testing.T) {
	dir := newDir(t)
	writeScript(t, dir, "cgi-bin/ignore.sh", "printf 'Content-Type: text/plain\\n\\nignored\\n'\n")
	f := serve(t, dir)
	for _, size := range []int64{1, 100 << 10, 4 << 20} {
		t.Run(strconv.FormatInt(size, 10), func(t *testing.T) {
			req := newRequest(t, http.MethodPost, f.srv.URL, "/cgi-bin/ignore.sh", chacha(size))
			req.ContentLength = size
			resp, body := f.do(t, req)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, "ignored\n", body)
			resp, body = f.get(t, "/cgi-bin/ignore.sh")
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, "ignored\n", body)
		})
	}
}

// TestTruncatedBody pins a request body that ends before its
// Content-Length (the client half-closes its side): the script is killed,
// as for a client gone, but a client still reading must not take the
// answer for a success. Before the header block it gets a 400 (Python
// would run the script on the truncated input); after it the response is
// cut off rather than ended as if complete.
func TestTruncatedBody(t *testing.T) {
	dir := newDir(t)
	pids := pidDir(t)
	// before: reads all its input before writing anything.
	writeScript(t, dir, "cgi-bin/before.sh", "echo $$ > "+pids+"/before\ncat >/dev/null\nprintf 'Content-Type: text/plain\\n\\ndone\\n'\n")
	// after: writes its header block first, then echoes its input.
	writeScript(t, dir, "cgi-bin/after.sh", "echo $$ > "+pids+"/after\nprintf 'Content-Type: text/plain\\n\\nstarted\\n'\nexec cat\n")
	f := serve(t, dir)
	addr := f.srv.Listener.Addr().String()

	send := func(t *testing.T, name string) (net.Conn, *bufio.Reader) {
		c, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		t.Cleanup(func() { c.Close() })
		require.NoError(t, c.SetDeadline(time.Now().Add(20*time.Second)))
		_, err = io.WriteString(c, "POST /cgi-bin/"+name+".sh HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
		require.NoError(t, err)
		return c, bufio.NewReader(c)
	}

	t.Run("before the header block", func(t *testing.T) {
		c, br := send(t, "before")
		eventually(t, func() bool { b, _ := os.ReadFile(pids + "/before"); return len(b) > 0 }, "the script to start")
		require.NoError(t, c.(*net.TCPConn).CloseWrite())
		resp, err := http.ReadResponse(br, nil)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.Equal(t, "Bad Request\n", string(body))
		assert.True(t, resp.Close, "Connection: close")
		assertGroupGone(t, pids+"/before")
		f.logs.waitFor(t, "CGI script killed: reading the request body: unexpected EOF")
	})
	t.Run("after the header block", func(t *testing.T) {
		c, br := send(t, "after")
		resp, err := http.ReadResponse(br, nil)
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		got := make([]byte, len("started\nabc"))
		_, err = io.ReadFull(resp.Body, got)
		require.NoError(t, err)
		assert.Equal(t, "started\nabc", string(got))
		require.NoError(t, c.(*net.TCPConn).CloseWrite())
		rest, err := io.ReadAll(resp.Body)
		assert.Empty(t, rest)
		assert.Error(t, err, "a cut response must not look complete")
		assertGroupGone(t, pids+"/after")
		f.logs.waitFor(t, "CGI script killed: reading the request body: unexpected EOF")
	})
}

// TestRunsWhatWasChecked pins that the file run is the one the lookup
// checked, by descriptor: a symbolic link to a script outside the
// directory, renamed over the script between the check and the start,
// is not what runs (run by name, it would be).
func TestRunsWhatWasChecked(t *testing.T) {
	dir := newDir(t)
	writeScript(t, dir, "cgi-bin/run.sh", "printf 'Content-Type: text/plain\\n\\nchecked %s\\n' \"$SCRIPT_FILENAME\"\n")
	outside := t.TempDir()
	require.NoError(t, os.Chmod(outside, 0o755))
	writeScript(t, outside, "evil.sh", "printf 'Content-Type: text/plain\\n\\nswapped\\n'\n")
	link := filepath.Join(dir, "cgi-bin", "swap")
	require.NoError(t, os.Symlink(filepath.Join(outside, "evil.sh"), link))

	testHookStart = func() error {
		return os.Rename(link, filepath.Join(dir, "cgi-bin", "run.sh"))
	}
	t.Cleanup(func() { testHookStart = nil })
	f := serve(t, dir)
	resp, body := f.get(t, "/cgi-bin/run.sh")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "checked "+filepath.Join(dir, "cgi-bin", "run.sh")+"\n", body)
}

// TestTransientFailures pins a lookup or a start that fails for want of
// descriptors: 503 with Retry-After and the cause logged, never the 404
// a missing script gets (that answer is permanent and cacheable).
func TestTransientFailures(t *testing.T) {
	dir := newDir(t)
	writeScript(t, dir, "cgi-bin/ok.sh", "printf 'Content-Type: text/plain\\n\\nok\\n'\n")
	f := serve(t, dir)
	emfile := func(op string) error { return &fs.PathError{Op: op, Path: "cgi-bin/ok.sh", Err: syscall.EMFILE} }

	t.Run("open", func(t *testing.T) {
		h := f.handler(t)
		open := h.open
		h.open = func(string) (*os.File, fs.FileInfo, error) { return nil, nil, emfile("openat") }
		t.Cleanup(func() { h.open = open })
		resp, body := f.get(t, "/cgi-bin/ok.sh")
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		assert.Equal(t, "1", resp.Header.Get("Retry-After"))
		assert.Equal(t, "Temporarily out of resources (too many open files)\n", body)
		f.logs.waitFor(t, "CGI script /cgi-bin/ok.sh: openat cgi-bin/ok.sh: too many open files")
	})
	t.Run("start", func(t *testing.T) {
		testHookStart = func() error { return emfile("pipe") }
		t.Cleanup(func() { testHookStart = nil })
		resp, body := f.get(t, "/cgi-bin/ok.sh")
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		assert.Equal(t, "1", resp.Header.Get("Retry-After"))
		assert.Equal(t, "Temporarily out of resources (too many open files)\n", body)
		f.logs.waitFor(t, "CGI script /cgi-bin/ok.sh could not be started: pipe cgi-bin/ok.sh: too many open files")
	})
	resp, body := f.get(t, "/cgi-bin/ok.sh")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "recovered")
	assert.Equal(t, "ok\n", body)
}

// TestDaemonHoldsOutput pins a script that leaves a process outside its
// process group (setsid) holding its stdout open: the response ends once
// the script has exited and its output has been passed on, complete, as
// in Python; before, it lasted as long as the daemon. A script that
// exits without a header block that way gets its 502 just as soon.
func TestDaemonHoldsOutput(t *testing.T) {
	_, err := exec.LookPath("setsid")
	require.NoError(t, err, "setsid (util-linux) is needed")
	dir := newDir(t)
	pids := pidDir(t)
	daemon := func(name string) string {
		return "setsid sh -c 'echo $$ > " + pids + "/" + name + "; exec sleep 60' &\n" +
			"while [ ! -s " + pids + "/" + name + " ]; do sleep 0.01; done\n"
	}
	writeScript(t, dir, "cgi-bin/daemon.sh", "printf 'Content-Type: text/plain\\n\\nbefore\\n'\n"+daemon("after")+"echo after\n")
	writeScript(t, dir, "cgi-bin/silent.sh", daemon("silent"))
	f := serve(t, dir)
	t.Cleanup(func() {
		for _, name := range []string{"after", "silent"} {
			if b, err := os.ReadFile(pids + "/" + name); err == nil {
				if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
					_ = syscall.Kill(pid, syscall.SIGKILL)
				}
			}
		}
	})

	for _, tt := range []struct {
		path, body string
		code       int
	}{
		{"/cgi-bin/daemon.sh", "before\nafter\n", http.StatusOK},
		{"/cgi-bin/silent.sh", "Bad Gateway\n", http.StatusBadGateway},
	} {
		t.Run(tt.path, func(t *testing.T) {
			start := time.Now()
			resp, body := f.get(t, tt.path) // fails on a cut response
			assert.Equal(t, tt.code, resp.StatusCode)
			assert.Equal(t, tt.body, body)
			assert.Less(t, time.Since(start), 30*time.Second, "the daemon (60 s) held the response")
		})
	}
	f.logs.waitFor(t, "CGI script left a process outside its group holding its output open")
}

// TestScriptName pins what README says a "#!" script sees of itself: it
// runs from descriptor 3, so its interpreter names it /proc/self/fd/3
// ($0), that descriptor still names the script, and SCRIPT_FILENAME has
// its path.
func TestScriptName(t *testing.T) {
	dir := newDir(t)
	writeScript(t, dir, "cgi-bin/me.sh", "printf 'Content-Type: text/plain\\n\\n%s\\n%s\\n%s\\n' \"$0\" \"$(readlink /proc/$$/fd/3)\" \"$SCRIPT_FILENAME\"\n")
	f := serve(t, dir)
	resp, body := f.get(t, "/cgi-bin/me.sh")
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	me := filepath.Join(dir, "cgi-bin", "me.sh")
	assert.Equal(t, "/proc/self/fd/3\n"+me+"\n"+me+"\n", body)
}

// TestOutputCoalesced pins how output reaches the client. Output that is
// ready at once (the script has written it all and exited) goes out with
// the header in one piece, without a flush; output the script is still
// writing is flushed before the middleware waits for more, so that the
// client sees each part as the script writes it. Either way the body is
// framed as Python frames it, by the script's own Content-Length or none:
// net/http may not invent one for a short body.
func TestOutputCoalesced(t *testing.T) {
	dir := newDir(t)
	writeScript(t, dir, "cgi-bin/quick.sh", "printf 'Content-Type: text/plain\\n\\nhello\\n'\n")
	writeScript(t, dir, "cgi-bin/length.sh", "printf 'Content-Type: text/plain\\nContent-Length: 6\\n\\nhello\\n'\n")
	writeScript(t, dir, "cgi-bin/slow.sh", "printf 'Content-Type: text/plain\\n\\none\\n'\nsleep 0.2\nprintf 'two\\n'\n")
	tests := []struct {
		path          string
		body          string
		contentLength string // "": none
		flushed       bool
	}{
		{"/cgi-bin/quick.sh", "hello\n", "", false},
		{"/cgi-bin/length.sh", "hello\n", "6", false},
		{"/cgi-bin/slow.sh", "one\ntwo\n", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var flushes atomic.Int32
			mw := mustNew(t, dir, WithLogf(func(*http.Request, string, ...any) {}))
			h := mw(http.NotFoundHandler())
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h.ServeHTTP(httpsnoop.Wrap(w, httpsnoop.Hooks{
					Flush: func(next httpsnoop.FlushFunc) httpsnoop.FlushFunc {
						return func() { flushes.Add(1); next() }
					},
				}), r)
			}))
			defer srv.Close()
			raw := testutil.Exchange(t, srv.Listener.Addr().String(),
				"GET "+tt.path+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
			resp, body := testutil.ReadResponse(t, raw, http.MethodGet)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, tt.body, body)
			assert.Equal(t, tt.contentLength, resp.Header.Get("Content-Length"))
			if tt.contentLength == "" {
				assert.Equal(t, []string{"chunked"}, resp.TransferEncoding)
			}
			assert.Equal(t, tt.flushed, flushes.Load() > 0, "flushes: %d", flushes.Load())
		})
	}
}
