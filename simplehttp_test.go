package simplehttp

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return dir
}

// TestNewHandlerErrors pins that what NewHandler cannot serve is an error
// at construction, never a failure per request.
func TestNewHandlerErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.txt": "a"})
	tests := []struct {
		name string
		dir  string
		opts []Option
		want string
	}{
		{name: "missing", dir: filepath.Join(dir, "nope"), want: "simplehttp: open " + filepath.Join(dir, "nope") + ": no such file or directory"},
		{name: "missing, following links", dir: filepath.Join(dir, "nope"), opts: []Option{WithFollowSymlinks()}, want: "simplehttp: open " + filepath.Join(dir, "nope") + ": no such file or directory"},
		{name: "a file", dir: filepath.Join(dir, "a.txt"), want: "simplehttp: open " + filepath.Join(dir, "a.txt") + ": not a directory"},
		{name: "a file, following links", dir: filepath.Join(dir, "a.txt"), opts: []Option{WithFollowSymlinks()}, want: "simplehttp: open " + filepath.Join(dir, "a.txt") + ": not a directory"},
		{name: "protocol", dir: dir, opts: []Option{WithCGI(), WithCGIProtocol("HTTP/2")}, want: `simplehttp: protocol "HTTP/2" is neither HTTP/1.0 nor HTTP/1.1`},
		{name: "protocol without CGI", dir: dir, opts: []Option{WithCGIProtocol("HTTP/1.1")}, want: "simplehttp: WithCGIProtocol needs WithCGI"},
		{name: "timeout without CGI", dir: dir, opts: []Option{WithCGITimeout(time.Second)}, want: "simplehttp: WithCGITimeout needs WithCGI"},
		{name: "negative timeout", dir: dir, opts: []Option{WithCGI(), WithCGITimeout(-time.Second)}, want: "simplehttp: negative CGI timeout -1s"},
		{name: "negative cache size", dir: dir, opts: []Option{WithCache(-1)}, want: "simplehttp: negative cache size -1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := NewHandler(tc.dir, tc.opts...)
			assert.Nil(t, h)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// TestNewHandler pins the composed stack on what the module ships: files,
// the index page, the trailing-slash redirect, 404 and 501, with symbolic
// links refused when they leave the directory unless WithFollowSymlinks.
func TestNewHandler(t *testing.T) {
	outside := writeFiles(t, map[string]string{"secret.txt": "secret"})
	dir := writeFiles(t, map[string]string{
		"a.txt":           "a",
		"site/index.html": "<p>index</p>",
		"site/sub/x.txt":  "x",
	})
	require.NoError(t, os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "out.txt")))
	require.NoError(t, os.Symlink("a.txt", filepath.Join(dir, "in.txt")))

	tests := []struct {
		name         string
		opts         []Option
		method, path string
		wantStatus   int
		header       http.Header
		wantBody     string
		wantContains string // instead of wantBody
		wantLocation string
		wantHeader   http.Header // exact values; nil values: absent
	}{
		{name: "file", path: "/a.txt", wantStatus: 200, wantBody: "a"},
		{name: "index", path: "/site/", wantStatus: 200, wantBody: "<p>index</p>"},
		{name: "redirect", path: "/site?q=1", wantStatus: 301, wantLocation: "/site/?q=1"},
		{name: "missing", path: "/nope", wantStatus: 404, wantBody: errorPage(404, "File not found", "Nothing matches the given URI")},
		{name: "method", method: "PUT", path: "/a.txt", wantStatus: 501, wantBody: errorPage(501, "Unsupported method ('PUT')", "Server does not support this operation")},
		{name: "link inside", path: "/in.txt", wantStatus: 200, wantBody: "a"},
		{name: "link outside refused", path: "/out.txt", wantStatus: 404, wantBody: errorPage(404, "File not found", "Nothing matches the given URI")},
		{name: "listing", path: "/site/sub/", wantStatus: 200, wantBody: listingPage("/site/sub/", "x.txt")},
		{name: "not modified", path: "/a.txt", header: http.Header{"If-Modified-Since": {"Fri, 01 Jan 2100 00:00:00 GMT"}}, wantStatus: 304},
		{name: "modified", path: "/a.txt", header: http.Header{"If-Modified-Since": {"Sat, 01 Jan 2000 00:00:00 GMT"}}, wantStatus: 200, wantBody: "a"},
		{name: "zone ignored as Python does", path: "/a.txt", header: http.Header{"If-Modified-Since": {"Fri, 01 Jan 2100 00:00:00 +0100"}}, wantStatus: 200, wantBody: "a"},
		{name: "no Server header by default", path: "/a.txt", wantStatus: 200, wantBody: "a", wantHeader: http.Header{"Server": nil}},
		{name: "Server header", opts: []Option{WithServerHeader("SimpleHTTP/0.6 Python/3.12.1")}, path: "/nope", wantStatus: 404,
			wantBody: errorPage(404, "File not found", "Nothing matches the given URI"), wantHeader: http.Header{"Server": {"SimpleHTTP/0.6 Python/3.12.1"}}},
		{name: "rich listing", opts: []Option{WithRichListing()}, path: "/site/sub/", wantStatus: 200, wantContains: `<input`},
		{name: "link outside followed", opts: []Option{WithFollowSymlinks()}, path: "/out.txt", wantStatus: 200, wantBody: "secret"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := NewHandler(dir, tc.opts...)
			require.NoError(t, err)
			method := tc.method
			if method == "" {
				method = http.MethodGet
			}
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(method, tc.path, nil)
			maps.Copy(req.Header, tc.header)
			h.ServeHTTP(rec, req)
			body, err := io.ReadAll(rec.Result().Body)
			require.NoError(t, err)
			assert.Equal(t, tc.wantStatus, rec.Code)
			if tc.wantContains != "" {
				assert.Contains(t, string(body), tc.wantContains)
			} else {
				assert.Equal(t, tc.wantBody, string(body))
			}
			assert.Equal(t, tc.wantLocation, rec.Header().Get("Location"))
			for name, values := range tc.wantHeader {
				assert.Equal(t, values, rec.Header().Values(name), name)
			}
		})
	}
}

// errorPage is Python 3.12's error page (error_message_format).
func errorPage(code int, message, explain string) string {
	return fmt.Sprintf(`<!DOCTYPE HTML>
<html lang="en">
    <head>
        <meta charset="utf-8">
        <title>Error response</title>
    </head>
    <body>
        <h1>Error response</h1>
        <p>Error code: %d</p>
        <p>Message: %s.</p>
        <p>Error code explanation: %d - %s.</p>
    </body>
</html>
`, code, message, code, explain)
}

// listingPage is Python 3.12's listing of a directory holding one file.
func listingPage(path, name string) string {
	return fmt.Sprintf(`<!DOCTYPE HTML>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Directory listing for %[1]s</title>
</head>
<body>
<h1>Directory listing for %[1]s</h1>
<hr>
<ul>
<li><a href="%[2]s">%[2]s</a></li>
</ul>
<hr>
</body>
</html>
`, path, name)
}

// TestCGIServerSoftware pins that WithServerHeader's name reaches CGI
// scripts as SERVER_SOFTWARE (Python gives its server_version and
// sys_version there too), and that the default is cgi's.
func TestCGIServerSoftware(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"cgi-bin/sw.sh": "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n%s' \"$SERVER_SOFTWARE\"\n",
	})
	// Scripts run as nobody when the tests run as root: the script, its
	// directories and every parent of the served directory must be open.
	for _, p := range []string{filepath.Join(dir, "cgi-bin/sw.sh"), filepath.Join(dir, "cgi-bin"), dir} {
		require.NoError(t, os.Chmod(p, 0o755))
	}
	for d := filepath.Dir(dir); d != "/"; d = filepath.Dir(d) {
		info, err := os.Stat(d)
		require.NoError(t, err)
		require.NoError(t, os.Chmod(d, info.Mode().Perm()|0o011))
	}
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{name: "default", want: "simplehttp"},
		{name: "WithServerHeader", opts: []Option{WithServerHeader("X/1")}, want: "X/1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := NewHandler(dir, append(tc.opts, WithCGI())...)
			require.NoError(t, err)
			srv := httptest.NewServer(h)
			defer srv.Close()
			resp, err := srv.Client().Get(srv.URL + "/cgi-bin/sw.sh")
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
			assert.Equal(t, tc.want, string(body))
		})
	}
}
