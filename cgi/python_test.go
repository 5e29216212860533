package cgi

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/oracle"
)

// pythonMessage is the message of Python's error page.
var pythonMessage = regexp.MustCompile(`<p>Message: (.*)\.</p>`)

// TestMatchesPython runs the same scripts under Python 3.12's
// `http.server --cgi` and under the middleware, and compares what Python's
// behaviour is the contract for: the status, the error messages of the
// lookup, the 501 for POST outside the CGI directories, the script's
// output, the CGI variables Python sets the same way (QUERY_STRING,
// PATH_INFO, SCRIPT_NAME, REQUEST_METHOD, CONTENT_LENGTH, ...) and the
// argument a query without "=" becomes.
func TestMatchesPython(t *testing.T) {
	dir := newDir(t)
	writeScript(t, dir, "cgi-bin/env.sh", envScript)
	writeScript(t, dir, "cgi-bin/sub/env.sh", envScript)
	writeScript(t, dir, "htbin/env.sh", envScript)
	writeScript(t, dir, "cgi-bin/hello.sh", "printf 'Content-Type: text/plain\\n\\nhello\\n'\n")
	writeScript(t, dir, "cgi-bin/echo.sh", "printf 'Content-Type: application/octet-stream\\n\\n'\nexec head -c \"$CONTENT_LENGTH\"\n")
	writeFile(t, dir, "cgi-bin/noexec.sh", "#!/bin/sh\n", 0o644)
	py := oracle.Start(t, dir, "--cgi")
	f := serve(t, dir)

	// The variables both set the same way. SERVER_PORT and REMOTE_PORT
	// differ by nature; see the README for the ones we set differently.
	compared := []string{"QUERY_STRING", "PATH_INFO", "SCRIPT_NAME", "REQUEST_METHOD", "CONTENT_LENGTH",
		"GATEWAY_INTERFACE", "SERVER_PROTOCOL", "REMOTE_ADDR", "AUTH_TYPE", "REMOTE_USER", "HTTP_USER_AGENT",
		"HTTP_ACCEPT", "HTTP_COOKIE", "HTTP_REFERER"}

	tests := []struct {
		method, path, body string
		auth               bool
		header             http.Header
	}{
		{method: "GET", path: "/cgi-bin/env.sh?headers", header: http.Header{
			"Accept": {"text/html", "application/json;q=0.5"}, "User-Agent": {"probe/1"},
			"Referer": {"http://r/x"}, "Cookie": {"a=1"},
		}},
		{method: "GET", path: "/cgi-bin/hello.sh"},
		{method: "GET", path: "/cgi-bin/env.sh?a=1&b=x+y%21"},
		{method: "GET", path: "/cgi-bin/env.sh?hello+world%21"},
		{method: "GET", path: "/cgi-bin/env.sh?a+b=c"},
		{method: "GET", path: "/cgi-bin/env.sh/extra/path?x=1"},
		{method: "GET", path: "/cgi-bin/env.sh/a%20b/"},
		{method: "GET", path: "/cgi-bin/env.sh/"},
		{method: "GET", path: "/cgi-bin/sub/env.sh/p"},
		{method: "GET", path: "/htbin/env.sh"},
		{method: "GET", path: "/cgi-bin%2fenv.sh"},
		{method: "GET", path: "/x/../cgi-bin/./env.sh"},
		{method: "GET", path: "//cgi-bin//env.sh"},
		{method: "GET", path: "/cgi-bin/env.sh", auth: true},
		{method: "POST", path: "/cgi-bin/env.sh", body: "a=1"},
		{method: "POST", path: "/cgi-bin/echo.sh", body: strings.Repeat("0123456789", 1000)},
		{method: "GET", path: "/cgi-bin/nope.sh"},
		{method: "GET", path: "/cgi-bin/nope.sh/more?q"},
		{method: "GET", path: "/cgi-bin/it's.sh"},
		{method: "GET", path: "/cgi-bin/"},
		{method: "GET", path: "/cgi-bin/sub"},
		{method: "GET", path: "/cgi-bin/sub/"},
		{method: "GET", path: "/cgi-bin/env.sh/.."},
		{method: "GET", path: "/cgi-bin/noexec.sh"},
		{method: "POST", path: "/a.txt", body: "x"},
		{method: "POST", path: "/cgi-bin", body: "x"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			send := func(base string) (*http.Response, string) {
				var req *http.Request
				if tt.body != "" {
					req = newRequest(t, tt.method, base, tt.path, strings.NewReader(tt.body))
				} else {
					req = newRequest(t, tt.method, base, tt.path, nil)
				}
				if tt.auth {
					req.SetBasicAuth("alice", "secret")
				}
				for k, v := range tt.header {
					req.Header[k] = v
				}
				return f.do(t, req)
			}
			pyResp, pyBody := send(py.URL)
			resp, body := send(f.srv.URL)
			require.Equal(t, pyResp.StatusCode, resp.StatusCode, "status; Python's body: %s", pyBody)

			if pyResp.StatusCode != http.StatusOK {
				m := pythonMessage.FindStringSubmatch(pyBody)
				require.NotNil(t, m, "Python's error page: %s", pyBody)
				assert.Equal(t, html.UnescapeString(m[1])+"\n", body, "message")
				return
			}
			if !strings.Contains(tt.path, "env.sh") {
				assert.Equal(t, pyBody, body)
				return
			}
			pyArgs, pyEnv := parseEnv(pyBody)
			args, env := parseEnv(body)
			for _, k := range compared {
				assert.Equal(t, pyEnv[k], env[k], k)
			}
			// Python also passes one empty argument when the query is
			// empty; we pass none (see the README).
			if len(pyArgs) == 1 && pyArgs[0] == "" {
				pyArgs = nil
			}
			assert.Equal(t, pyArgs, args, "argv")
		})
	}

	t.Run("PUT goes to the next handler", func(t *testing.T) {
		// Python's CGI handler has no do_PUT: the 501 "Unsupported method"
		// comes from the file handler, which is next in the stack.
		pyResp, pyBody := f.do(t, newRequest(t, http.MethodPut, py.URL, "/cgi-bin/env.sh", nil))
		assert.Equal(t, http.StatusNotImplemented, pyResp.StatusCode)
		assert.Contains(t, pyBody, "Unsupported method ('PUT')")
		_, body := f.do(t, newRequest(t, http.MethodPut, f.srv.URL, "/cgi-bin/env.sh", nil))
		assert.Equal(t, "next PUT /cgi-bin/env.sh?", body)
	})
}
