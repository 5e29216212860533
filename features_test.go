package simplehttp

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openForScripts makes dir and its parents searchable by nobody, whom
// scripts run as when the tests run as root.
func openForScripts(t *testing.T, dir string, paths ...string) {
	t.Helper()
	for _, p := range append(paths, dir) {
		require.NoError(t, os.Chmod(p, 0o755))
	}
	for d := filepath.Dir(dir); d != "/"; d = filepath.Dir(d) {
		info, err := os.Stat(d)
		require.NoError(t, err)
		require.NoError(t, os.Chmod(d, info.Mode().Perm()|0o011))
	}
}

// TestHeadersThroughStack pins that a header configured with WithHeaders
// reaches every kind of response of the whole stack: files, errorpage's
// pages (which replace the body), conditional's 304, the trailing-slash
// 301, CGI output and the 501 for an unknown method; and that a CORS
// preflight is answered 204 instead of 501.
func TestHeadersThroughStack(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.txt":           "a",
		"sub/index.html":  "<p>sub</p>",
		"cgi-bin/hi.sh":   "#!/bin/sh\nprintf 'Content-Type: text/plain\\nCache-Control: private\\n\\nhi'\n",
		"cgi-bin/oops.sh": "#!/bin/sh\nprintf 'Status: 500 Oops\\n\\n'\n",
	})
	openForScripts(t, dir, filepath.Join(dir, "cgi-bin/hi.sh"), filepath.Join(dir, "cgi-bin/oops.sh"), filepath.Join(dir, "cgi-bin"))
	h, err := NewHandler(dir, WithCGI(), WithHeaders(http.Header{
		"Cache-Control":               {"no-store"},
		"Access-Control-Allow-Origin": {"*"},
	}))
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	head, err := client.Head(srv.URL + "/a.txt")
	require.NoError(t, err)
	head.Body.Close()
	etag := head.Header.Get("ETag")
	require.NotEmpty(t, etag)

	tests := []struct {
		name   string
		method string
		path   string
		header http.Header
		code   int
	}{
		{name: "file", method: "GET", path: "/a.txt", code: 200},
		{name: "errorpage 404", method: "GET", path: "/missing", code: 404},
		{name: "conditional 304", method: "GET", path: "/a.txt", header: http.Header{"If-None-Match": {etag}}, code: 304},
		{name: "redirect 301", method: "GET", path: "/sub", code: 301},
		{name: "CGI output", method: "GET", path: "/cgi-bin/hi.sh", code: 200},
		{name: "CGI error", method: "GET", path: "/cgi-bin/oops.sh", code: 500},
		{name: "501", method: "PUT", path: "/a.txt", code: 501},
		{name: "OPTIONS without preflight", method: "OPTIONS", path: "/a.txt", code: 501},
		{name: "preflight", method: "OPTIONS", path: "/a.txt", header: http.Header{"Origin": {"http://o"}, "Access-Control-Request-Method": {"GET"}}, code: 204},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			require.NoError(t, err)
			for k, v := range tc.header {
				req.Header[k] = v
			}
			resp, err := client.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			_, err = io.Copy(io.Discard, resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tc.code, resp.StatusCode)
			assert.Equal(t, []string{"no-store"}, resp.Header.Values("Cache-Control"))
			assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
		})
	}
}

// TestHeadersInvalid pins that an invalid configured header is an error
// of NewHandler, not a broken response.
func TestHeadersInvalid(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.txt": "a"})
	for _, h := range []http.Header{
		{"Bad Name": {"x"}},
		{"X-A": {"a\r\nInjected: yes"}},
		{"Content-Length": {"1"}},
	} {
		_, err := NewHandler(dir, WithHeaders(h))
		assert.ErrorContains(t, err, "simplehttp: headers: ")
	}
}

// TestCompressionThroughStack pins WithCompression on a file, a directory
// listing, a small file (not compressed) and CGI output, with the
// conditional request for the compressed variant answered 304.
func TestCompressionThroughStack(t *testing.T) {
	big := strings.Repeat("compress me please\n", 200)
	dir := writeFiles(t, map[string]string{
		"big.txt":        big,
		"small.txt":      "small",
		"cgi-bin/gen.sh": "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\ni=0\nwhile [ $i -lt 200 ]; do echo 'compress me please'; i=$((i+1)); done\n",
	})
	for i := range 100 {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "file-with-a-long-name-"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+".txt"), nil, 0o644))
	}
	openForScripts(t, dir, filepath.Join(dir, "cgi-bin/gen.sh"), filepath.Join(dir, "cgi-bin"))
	h, err := NewHandler(dir, WithCGI(), WithCompression())
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	defer srv.Close()
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}

	get := func(path string, hdr http.Header) (*http.Response, string) {
		req, err := http.NewRequest("GET", srv.URL+path, nil)
		require.NoError(t, err)
		req.Header = hdr
		resp, err := client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var r io.Reader = resp.Body
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(resp.Body)
			require.NoError(t, err)
			r = zr
		}
		body, err := io.ReadAll(r)
		require.NoError(t, err)
		return resp, string(body)
	}
	gz := http.Header{"Accept-Encoding": {"gzip"}}
	tests := []struct {
		path     string
		encoding string
		body     string
	}{
		{"/big.txt", "gzip", big},
		{"/small.txt", "", "small"},
		{"/cgi-bin/gen.sh", "gzip", big},
		{"/", "gzip", ""},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := get(tc.path, gz)
			assert.Equal(t, 200, resp.StatusCode)
			assert.Equal(t, tc.encoding, resp.Header.Get("Content-Encoding"))
			if tc.body != "" {
				assert.Equal(t, tc.body, body)
			} else {
				assert.Contains(t, body, "file-with-a-long-name-")
			}
		})
	}

	resp, _ := get("/big.txt", gz)
	etag := resp.Header.Get("ETag")
	require.True(t, strings.HasPrefix(etag, `W/"`) && strings.HasSuffix(etag, `-gz"`), etag)
	resp, _ = get("/big.txt", http.Header{"Accept-Encoding": {"gzip"}, "If-None-Match": {etag}})
	assert.Equal(t, http.StatusNotModified, resp.StatusCode)
	assert.Equal(t, etag, resp.Header.Get("ETag"))
	assert.Equal(t, "Accept-Encoding", resp.Header.Get("Vary"))
}
