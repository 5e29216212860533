package cgi

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const absent = "\x00absent"

// TestEnv pins the environment for each shape of request: Python's
// variables (QUERY_STRING raw, PATH_INFO decoded once, SCRIPT_NAME on the
// collapsed path, CONTENT_LENGTH empty without a body, REMOTE_USER from
// Basic auth, the query-without-"=" argument), plus every header as
// HTTP_* but Proxy and credentials, and no leak of the server's own
// environment.
func TestEnv(t *testing.T) {
	t.Setenv("SIMPLEHTTP_SECRET", "leak")
	dir := newDir(t)
	writeScript(t, dir, "cgi-bin/env.sh", envScript)
	writeScript(t, dir, "cgi-bin/sub/env.sh", envScript)
	writeScript(t, dir, "htbin/env.sh", envScript)
	f := serve(t, dir)
	_, port, err := net.SplitHostPort(f.srv.Listener.Addr().String())
	require.NoError(t, err)

	tests := []struct {
		name   string
		method string
		path   string
		body   string
		header map[string]string
		auth   []string // user, password
		args   []string
		want   map[string]string // absent: must not be set
	}{
		{
			name: "plain GET", path: "/cgi-bin/env.sh",
			want: map[string]string{
				"SERVER_SOFTWARE": "simplehttp", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": port,
				"SERVER_PROTOCOL": "HTTP/1.0", "GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": "GET",
				"SCRIPT_NAME": "/cgi-bin/env.sh", "SCRIPT_FILENAME": filepath.Join(dir, "cgi-bin/env.sh"),
				"PATH_INFO": "", "PATH_TRANSLATED": absent, "QUERY_STRING": "", "REQUEST_URI": "/cgi-bin/env.sh",
				"REMOTE_ADDR": "127.0.0.1", "REMOTE_HOST": "127.0.0.1", "CONTENT_LENGTH": "", "CONTENT_TYPE": absent,
				"AUTH_TYPE": absent, "REMOTE_USER": absent, "HTTPS": absent,
				"HTTP_HOST": f.srv.Listener.Addr().String(), "HTTP_USER_AGENT": "Go-http-client/1.1",
				// Set empty without the header, as Python does.
				"HTTP_ACCEPT": "", "HTTP_COOKIE": "", "HTTP_REFERER": "",
				"PATH": os.Getenv("PATH"), "SIMPLEHTTP_SECRET": absent, "HOME": absent,
			},
		},
		{
			name: "form query", path: "/cgi-bin/env.sh?a=1&b=x+y%21",
			want: map[string]string{"QUERY_STRING": "a=1&b=x+y%21"},
		},
		{
			name: "query without = is an argument", path: "/cgi-bin/env.sh?hello+world%21",
			args: []string{"hello world%21"},
			want: map[string]string{"QUERY_STRING": "hello+world%21"},
		},
		{
			name: "PATH_INFO decoded once", path: "/cgi-bin/env.sh/a%20b//c/./x%2541/",
			want: map[string]string{
				"PATH_INFO": "/a b/c/x%41/", "SCRIPT_NAME": "/cgi-bin/env.sh",
				"PATH_TRANSLATED": filepath.Join(dir, "a b/c/x%41") + "/",
			},
		},
		{
			name: "a decoded %3F stays in PATH_INFO", path: "/cgi-bin/env.sh/a%3Fb?q=1",
			want: map[string]string{"PATH_INFO": "/a?b", "QUERY_STRING": "q=1"},
		},
		{
			// Python's unquote turns the byte into U+FFFD; it is kept.
			name: "PATH_INFO keeps a byte that is not UTF-8", path: "/cgi-bin/env.sh/%ff",
			want: map[string]string{"PATH_INFO": "/\xff", "SCRIPT_NAME": "/cgi-bin/env.sh"},
		},
		{
			name: "walk into a sub-directory", path: "/cgi-bin/sub/env.sh/p",
			want: map[string]string{"SCRIPT_NAME": "/cgi-bin/sub/env.sh", "PATH_INFO": "/p"},
		},
		{
			name: "encoded separator", path: "/cgi-bin%2fenv.sh",
			want: map[string]string{"SCRIPT_NAME": "/cgi-bin/env.sh", "REQUEST_URI": "/cgi-bin%2fenv.sh"},
		},
		{
			name: "dot segments", path: "/x/../cgi-bin/./env.sh",
			want: map[string]string{"SCRIPT_NAME": "/cgi-bin/env.sh"},
		},
		{
			name: "htbin", path: "/htbin/env.sh",
			want: map[string]string{"SCRIPT_NAME": "/htbin/env.sh"},
		},
		{
			name: "Basic auth, password with a colon", path: "/cgi-bin/env.sh", auth: []string{"alice", "se:cret"},
			want: map[string]string{"AUTH_TYPE": "Basic", "REMOTE_USER": "alice", "HTTP_AUTHORIZATION": absent},
		},
		{
			name: "Basic auth with a NUL in the user", path: "/cgi-bin/env.sh", auth: []string{"al\x00ice", "pw"},
			want: map[string]string{"AUTH_TYPE": "Basic", "REMOTE_USER": absent},
		},
		{
			name: "other auth scheme", path: "/cgi-bin/env.sh", header: map[string]string{"Authorization": "Bearer tok"},
			want: map[string]string{"AUTH_TYPE": "Bearer", "REMOTE_USER": absent, "HTTP_AUTHORIZATION": absent},
		},
		{
			name: "headers", path: "/cgi-bin/env.sh",
			header: map[string]string{
				"X-Custom": "v1", "Proxy": "http://evil:8080", "X_Under": "spoof", "Accept": "text/html",
				"Referer": "http://r/", "Proxy-Authorization": "Basic eDp5",
			},
			want: map[string]string{
				"HTTP_X_CUSTOM": "v1", "HTTP_PROXY": absent, "HTTP_X_UNDER": absent, "HTTP_ACCEPT": "text/html",
				"HTTP_REFERER": "http://r/", "HTTP_PROXY_AUTHORIZATION": absent,
			},
		},
		{
			name: "POST body", method: http.MethodPost, path: "/cgi-bin/env.sh", body: "abc",
			header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			want: map[string]string{
				"REQUEST_METHOD": "POST", "CONTENT_LENGTH": "3", "CONTENT_TYPE": "application/x-www-form-urlencoded",
				"HTTP_CONTENT_TYPE": absent, "HTTP_CONTENT_LENGTH": absent,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			var body *strings.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			var req *http.Request
			if body != nil {
				req = newRequest(t, method, f.srv.URL, tt.path, body)
			} else {
				req = newRequest(t, method, f.srv.URL, tt.path, nil)
			}
			for k, v := range tt.header {
				req.Header[k] = []string{v}
			}
			if tt.auth != nil {
				req.SetBasicAuth(tt.auth[0], tt.auth[1])
			}
			resp, out := f.do(t, req)
			require.Equal(t, http.StatusOK, resp.StatusCode, out)
			args, env := parseEnv(out)
			assert.Equal(t, tt.args, args, "argv")
			for k, want := range tt.want {
				got, ok := env[k]
				if want == absent {
					assert.False(t, ok, "%s should not be set, is %q", k, got)
					continue
				}
				if assert.True(t, ok, "%s not set", k) {
					assert.Equal(t, want, got, k)
				}
			}
		})
	}
}

// TestEnvOptions pins WithServerProtocol, WithServerSoftware and WithEnv.
func TestEnvOptions(t *testing.T) {
	t.Setenv("SIMPLEHTTP_OK", "passed")
	t.Setenv("SIMPLEHTTP_SECRET", "leak")
	dir := newDir(t)
	writeScript(t, dir, "cgi-bin/env.sh", envScript)
	f := serve(t, dir, WithServerProtocol("HTTP/1.1"), WithServerSoftware("SimpleHTTP/0.6 Python/3.12.1"),
		WithEnv("PATH", "SIMPLEHTTP_OK"))
	_, out := f.get(t, "/cgi-bin/env.sh")
	_, env := parseEnv(out)
	assert.Equal(t, "HTTP/1.1", env["SERVER_PROTOCOL"])
	assert.Equal(t, "SimpleHTTP/0.6 Python/3.12.1", env["SERVER_SOFTWARE"])
	assert.Equal(t, "passed", env["SIMPLEHTTP_OK"])
	assert.NotContains(t, env, "SIMPLEHTTP_SECRET")
}

// TestRouting pins which requests are the middleware's (Python's is_cgi
// and do_POST) and the lookup errors with Python's messages.
func TestRouting(t *testing.T) {
	dir := newDir(t)
	outside := t.TempDir()
	require.NoError(t, os.Chmod(outside, 0o755))
	writeScript(t, dir, "cgi-bin/ok.sh", "printf 'Content-Type: text/plain\\n\\nran %s\\n' \"$SCRIPT_NAME\"\n")
	writeScript(t, dir, "cgi-bin/sub/ok.sh", "printf 'Content-Type: text/plain\\n\\nran %s\\n' \"$SCRIPT_NAME\"\n")
	writeScript(t, outside, "out.sh", "printf 'Content-Type: text/plain\\n\\nran outside\\n'\n")
	writeFile(t, dir, "cgi-bin/noexec.sh", "#!/bin/sh\n", 0o644)
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "cgi-bin/fifo"), 0o644))
	require.NoError(t, os.Symlink(filepath.Join(outside, "out.sh"), filepath.Join(dir, "cgi-bin/out.sh")))
	require.NoError(t, os.Symlink("sub/ok.sh", filepath.Join(dir, "cgi-bin/in.sh")))
	f := serve(t, dir)

	const next = "next "
	tests := []struct {
		method, path string
		code         int
		body         string // next: the request went to the next handler
	}{
		{"GET", "/cgi-bin/ok.sh", 200, "ran /cgi-bin/ok.sh\n"},
		{"HEAD", "/cgi-bin/ok.sh", 200, ""},
		{"POST", "/cgi-bin/ok.sh", 200, "ran /cgi-bin/ok.sh\n"},
		{"GET", "/cgi-bin/nope.sh", 404, "No such CGI script ('/cgi-bin/nope.sh')\n"},
		{"GET", "/cgi-bin/nope.sh/more", 404, "No such CGI script ('/cgi-bin/nope.sh')\n"},
		{"GET", "/cgi-bin/sub/nope.sh", 404, "No such CGI script ('/cgi-bin/sub/nope.sh')\n"},
		{"GET", "/cgi-bin/it's.sh", 404, "No such CGI script (\"/cgi-bin/it's.sh\")\n"},
		{"GET", "/cgi-bin/", 403, "CGI script is not a plain file ('/cgi-bin/')\n"},
		{"GET", "/cgi-bin/sub", 403, "CGI script is not a plain file ('/cgi-bin/sub')\n"},
		{"GET", "/cgi-bin/sub/", 403, "CGI script is not a plain file ('/cgi-bin/sub/')\n"},
		{"GET", "/cgi-bin/fifo", 403, "CGI script is not a plain file ('/cgi-bin/fifo')\n"},
		{"GET", "/cgi-bin/noexec.sh", 403, "CGI script is not executable ('/cgi-bin/noexec.sh')\n"},
		{"GET", "/cgi-bin/out.sh", 404, "No such CGI script ('/cgi-bin/out.sh')\n"}, // link out of the root
		{"GET", "/cgi-bin/in.sh", 200, "ran /cgi-bin/in.sh\n"},                      // link inside it
		{"GET", "/cgi-bin%2fok.sh", 200, "ran /cgi-bin/ok.sh\n"},
		{"GET", "/cgi-bin%2Fsub%2fok.sh", 200, "ran /cgi-bin/sub/ok.sh\n"},
		{"GET", "//cgi-bin//ok.sh", 200, "ran /cgi-bin/ok.sh\n"},
		{"GET", "/cgi-bin/sub/../ok.sh", 200, "ran /cgi-bin/ok.sh\n"},
		{"GET", "/cgi-bin/ok.sh/..", 403, "CGI script is not a plain file ('/cgi-bin/')\n"},
		{"GET", "/cgi-bin/ok.sh#frag", 200, "ran /cgi-bin/ok.sh\n"},
		{"GET", "/cgi-bin", 200, next + "GET /cgi-bin?"},
		{"GET", "/cgi-bin/..", 200, next + "GET /cgi-bin/..?"},
		{"GET", "/CGI-BIN/ok.sh", 200, next + "GET /CGI-BIN/ok.sh?"},
		{"GET", "/a/cgi-bin/ok.sh", 200, next + "GET /a/cgi-bin/ok.sh?"},
		{"GET", "/a.txt", 200, next + "GET /a.txt?"},
		{"PUT", "/cgi-bin/ok.sh", 200, next + "PUT /cgi-bin/ok.sh?"},
		{"DELETE", "/a.txt", 200, next + "DELETE /a.txt?"},
		{"POST", "/a.txt", 501, "Can only POST to CGI scripts\n"},
		{"POST", "/cgi-bin", 501, "Can only POST to CGI scripts\n"},
		{"GET", "/../a.txt", 404, "File not found\n"},
		{"POST", "/../cgi-bin/ok.sh", 404, "File not found\n"},
		{"GET", "/cgi-bin/../../cgi-bin/ok.sh", 404, "File not found\n"},
		{"GET", "/cgi-bin/%2e%2e/%2E%2E/x", 404, "File not found\n"},
		{"GET", "/cgi-bin/ok%00.sh", 404, "File not found\n"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			before := f.next.count()
			resp, body := f.do(t, newRequest(t, tt.method, f.srv.URL, tt.path, nil))
			assert.Equal(t, tt.code, resp.StatusCode)
			if strings.HasPrefix(tt.body, next) {
				assert.Equal(t, tt.body, body)
				assert.Equal(t, before+1, f.next.count(), "next handler calls")
				return
			}
			assert.Equal(t, tt.body, body)
			assert.Equal(t, before, f.next.count(), "next handler calls")
		})
	}
}

// TestFollowSymlinks pins the opt-in that follows links out of the root
// (Python's behaviour).
func TestFollowSymlinks(t *testing.T) {
	dir := newDir(t)
	outside := t.TempDir()
	require.NoError(t, os.Chmod(outside, 0o755))
	writeScript(t, outside, "out.sh", "printf 'Content-Type: text/plain\\n\\nran outside\\n'\n")
	require.NoError(t, os.Symlink(filepath.Join(outside, "out.sh"), filepath.Join(dir, "cgi-bin/out.sh")))
	f := serve(t, dir, WithFollowSymlinks())
	resp, body := f.get(t, "/cgi-bin/out.sh")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "ran outside\n", body)
}

// TestWithDirs pins a configured list: nested directories work, the
// defaults are gone.
func TestWithDirs(t *testing.T) {
	dir := newDir(t)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "app/bin"), 0o755))
	writeScript(t, dir, "app/bin/ok.sh", "printf 'Content-Type: text/plain\\n\\nran %s\\n' \"$SCRIPT_NAME\"\n")
	writeScript(t, dir, "cgi-bin/ok.sh", "printf 'Content-Type: text/plain\\n\\nran\\n'\n")
	f := serve(t, dir, WithDirs("/app/bin"))
	_, body := f.get(t, "/app/bin/ok.sh")
	assert.Equal(t, "ran /app/bin/ok.sh\n", body)
	_, body = f.get(t, "/cgi-bin/ok.sh")
	assert.Equal(t, "next GET /cgi-bin/ok.sh?", body)
}

// TestNewPanics pins configuration errors: they panic in New with a
// "cgi: " message.
func TestNewPanics(t *testing.T) {
	dir := newDir(t)
	tests := map[string][]Option{
		"nil option":       {nil},
		"no dirs":          {WithDirs()},
		"relative cgi dir": {WithDirs("cgi-bin")},
		"root cgi dir":     {WithDirs("/")},
		"unclean cgi dir":  {WithDirs("/cgi-bin/")},
		"negative timeout": {WithTimeout(-1)},
		"negative spool":   {WithMaxSpool(-1)},
		"empty protocol":   {WithServerProtocol("")},
		"bad env name":     {WithEnv("A=B")},
	}
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	defer root.Close()
	for name, opts := range tests {
		t.Run(name, func(t *testing.T) {
			defer func() {
				r := recover()
				msg, ok := r.(string)
				assert.True(t, ok && strings.HasPrefix(msg, "cgi: "), "New should panic with a \"cgi: \" message, got %#v", r)
			}()
			_, _ = New(root, opts...)
		})
	}
	t.Run("nil root", func(t *testing.T) {
		assert.PanicsWithValue(t, "cgi: nil root", func() { _, _ = New(nil) })
	})
	t.Run("nil next", func(t *testing.T) {
		mw, err := New(root)
		require.NoError(t, err)
		assert.PanicsWithValue(t, "cgi: nil next handler", func() { mw(nil) })
	})
}

// TestNewErrors pins what New returns, rather than panics with, for what
// depends on the machine rather than on the program.
func TestNewErrors(t *testing.T) {
	root, err := os.OpenRoot(newDir(t))
	require.NoError(t, err)
	defer root.Close()
	_, err = New(root, WithUser("no-such-user-simplehttp"))
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "cgi: "), err.Error())
}

// TestStripPrefix pins the middleware mounted under a prefix: the CGI test,
// the lookup and PATH_INFO work on the path below the mount, as every
// other simplehttp middleware does; SCRIPT_NAME keeps the mount.
func TestStripPrefix(t *testing.T) {
	dir := newDir(t)
	writeScript(t, dir, "cgi-bin/env.sh", envScript)
	writeScript(t, dir, "cgi-bin/redirect.sh", "printf 'Location: /a.txt\\n\\n'\n")
	writeScript(t, dir, "cgi-bin/redirect-env.sh", "printf 'Location: /cgi-bin/env.sh/y?from+redirect\\n\\n'\n")
	l := &logs{}
	next := &nextHandler{}
	mux := http.NewServeMux()
	h := mustNew(t, dir, WithLogf(l.logf))(next)
	mux.Handle("/app/", http.StripPrefix("/app", h))
	mux.Handle("/tr/", http.StripPrefix("/tr/", h))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := &fixture{dir: dir, srv: srv, logs: l, next: next}

	tests := []struct {
		path, scriptName, pathInfo, query string
	}{
		{"/app/cgi-bin%2Fenv.sh/x?q=1", "/app/cgi-bin/env.sh", "/x", "q=1"},
		{"/app/%63gi-bin/env.sh/%41b", "/app/cgi-bin/env.sh", "/Ab", ""},
		{"/app/cgi-bin/redirect-env.sh", "/app/cgi-bin/env.sh", "/y", "from+redirect"},
		{"/tr/cgi-bin/env.sh", "/tr/cgi-bin/env.sh", "", ""}, // StripPrefix("/tr/") leaves "cgi-bin/env.sh"
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := f.get(t, tt.path)
			require.Equal(t, http.StatusOK, resp.StatusCode, body)
			_, env := parseEnv(body)
			// SCRIPT_NAME is the script's path as the client sees it
			// (RFC 3875 §4.1.13), so that a script can link to itself.
			assert.Equal(t, tt.scriptName, env["SCRIPT_NAME"])
			assert.Equal(t, tt.pathInfo, env["PATH_INFO"])
			assert.Equal(t, tt.query, env["QUERY_STRING"])
		})
	}
	_, body := f.get(t, "/app/cgi-bin%2Fenv.sh/x?q=1")
	_, env := parseEnv(body)
	assert.Equal(t, "/app/cgi-bin%2Fenv.sh/x?q=1", env["REQUEST_URI"])

	_, body = f.get(t, "/app/cgi-bin/redirect.sh")
	assert.Equal(t, "next GET /a.txt?", body)
}

// TestDefaultLogf pins the default log: one line per call, the client's
// address then the message, with a script's control characters escaped
// (C0, DEL and C1, raw or as UTF-8) and other text kept.
func TestDefaultLogf(t *testing.T) {
	var buf bytes.Buffer
	logf := writerLogf(&buf)
	r := httptest.NewRequest("GET", "/cgi-bin/x.sh", nil)
	logf(r, "%s", "a\x1b[2Jb\n\x7f")
	logf(r, "%s", "plain text, é \u009b1m \x9b1m")
	lines := strings.Split(buf.String(), "\n")
	require.Len(t, lines, 3, "%q", buf.String())
	assert.Regexp(t, `^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d 192\.0\.2\.1:1234 a\\x1b\[2Jb\\x0a\\x7f$`, lines[0])
	assert.Regexp(t, `^\S+ \S+ 192\.0\.2\.1:1234 plain text, é \\x9b1m \\x9b1m$`, lines[1])
	assert.Empty(t, lines[2])
	assert.True(t, Supported())
}

// TestEnvHTTPS pins HTTPS=on in a script's environment when the request
// came over TLS, and no HTTPS over plain HTTP (Python has no TLS, so never
// sets it).
func TestEnvHTTPS(t *testing.T) {
	dir := newDir(t)
	writeScript(t, dir, "cgi-bin/env.sh", envScript)
	tests := []struct {
		name  string
		start func(*httptest.Server)
		want  string // absent: must not be set
	}{
		{name: "plain HTTP", start: (*httptest.Server).Start, want: absent},
		{name: "TLS", start: (*httptest.Server).StartTLS, want: "on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(mustNew(t, dir, WithLogf((&logs{}).logf))(&nextHandler{}))
			tt.start(srv)
			defer srv.Close()
			resp, err := srv.Client().Get(srv.URL + "/cgi-bin/env.sh")
			require.NoError(t, err)
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
			_, env := parseEnv(string(b))
			got, ok := env["HTTPS"]
			if tt.want == absent {
				assert.False(t, ok, "HTTPS should not be set, is %q", got)
				return
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestWorkingDir pins a script's working directory: its own directory
// (Python runs it in the server's).
func TestWorkingDir(t *testing.T) {
	dir := newDir(t)
	const pwd = "printf 'Content-Type: text/plain\\n\\n'\npwd\n"
	writeScript(t, dir, "cgi-bin/pwd.sh", pwd)
	writeScript(t, dir, "cgi-bin/sub/pwd.sh", pwd)
	f := serve(t, dir)
	tests := []struct{ path, want string }{
		{"/cgi-bin/pwd.sh", "cgi-bin"},
		{"/cgi-bin/sub/pwd.sh/more", "cgi-bin/sub"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := f.get(t, tt.path)
			require.Equal(t, http.StatusOK, resp.StatusCode, body)
			assert.Equal(t, filepath.Join(dir, tt.want)+"\n", body)
		})
	}
}

// TestErrorsDropSuccessHeaders pins the toolkit's error rule in cgi's own
// answers: headers a handler in front set for a successful response
// (Cache-Control, ETag, Last-Modified) do not go out on an error, so that
// a 404 behind "Cache-Control: immutable" is not cached for a year.
func TestErrorsDropSuccessHeaders(t *testing.T) {
	dir := newDir(t)
	writeFile(t, dir, "cgi-bin/noexec.sh", "#!/bin/sh\n", 0o644)
	h := mustNew(t, dir, WithLogf((&logs{}).logf))(&nextHandler{})
	for _, tt := range []struct {
		method, target string
		code           int
	}{
		{http.MethodGet, "/cgi-bin/missing.sh", http.StatusNotFound},
		{http.MethodGet, "/cgi-bin/noexec.sh", http.StatusForbidden},
		{http.MethodPost, "/a.txt", http.StatusNotImplemented},
	} {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			w := httptest.NewRecorder()
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			w.Header().Set("Etag", `"v1"`)
			w.Header().Set("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT")
			h.ServeHTTP(w, httptest.NewRequest(tt.method, tt.target, strings.NewReader("x")))
			assert.Equal(t, tt.code, w.Code)
			for _, k := range []string{"Cache-Control", "Etag", "Last-Modified"} {
				assert.Empty(t, w.Header().Get(k), k)
			}
		})
	}
}
