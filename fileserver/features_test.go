package fileserver_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/fileserver"
	"github.com/simplehttp/simplehttp/internal/sendfiletest"
)

// writeTree writes files under a new directory and returns its os.Root FS.
func writeTree(t testing.TB, files map[string]string) (string, *os.Root) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	t.Cleanup(func() { root.Close() })
	return dir, root
}

func TestWithPrecompressed(t *testing.T) {
	_, root := writeTree(t, map[string]string{
		"a.js":              "original",
		"a.js.br":           "brotli bytes",
		"a.js.zst":          "zstd bytes",
		"a.js.gz":           "gzip bytes",
		"g.css":             "css",
		"g.css.gz":          "gzip css",
		"orphan.js.gz":      "no original",
		"plain.txt":         "plain",
		"dir/index.html":    "<p>index</p>",
		"dir/index.html.gz": "gzipped index",
	})
	h := fileserver.Index(root.FS())(fileserver.New(root.FS(), fileserver.WithPrecompressed()))
	tests := []struct {
		name, path, accept string
		code               int
		body, encoding, ct string
		vary               bool
	}{
		{name: "brotli first", path: "/a.js", accept: "gzip, deflate, br, zstd", code: 200, body: "brotli bytes", encoding: "br", ct: "text/javascript", vary: true},
		{name: "zstd over gzip on a tie", path: "/a.js", accept: "gzip, zstd", code: 200, body: "zstd bytes", encoding: "zstd", ct: "text/javascript", vary: true},
		{name: "q-values", path: "/a.js", accept: "br;q=0.1, gzip;q=0.9", code: 200, body: "gzip bytes", encoding: "gzip", ct: "text/javascript", vary: true},
		{name: "star", path: "/a.js", accept: "*", code: 200, body: "brotli bytes", encoding: "br", ct: "text/javascript", vary: true},
		{name: "star with exclusion", path: "/a.js", accept: "*, br;q=0", code: 200, body: "zstd bytes", encoding: "zstd", ct: "text/javascript", vary: true},
		{name: "no Accept-Encoding", path: "/a.js", code: 200, body: "original", ct: "text/javascript", vary: true},
		{name: "identity preferred", path: "/a.js", accept: "identity, gzip;q=0.5", code: 200, body: "original", ct: "text/javascript", vary: true},
		{name: "identity refused, gzip missing", path: "/g.css", accept: "identity;q=0, br", code: 200, body: "css", ct: "text/css", vary: true},
		{name: "only gzip exists", path: "/g.css", accept: "br, gzip", code: 200, body: "gzip css", encoding: "gzip", ct: "text/css", vary: true},
		{name: "sidecar without original", path: "/orphan.js", accept: "gzip", code: 404},
		{name: "sidecar by name", path: "/orphan.js.gz", accept: "gzip", code: 200, body: "no original", ct: "application/gzip"},
		{name: "no sidecar, no Vary", path: "/plain.txt", accept: "gzip", code: 200, body: "plain", ct: "text/plain"},
		{name: "index page", path: "/dir/", accept: "gzip", code: 200, body: "gzipped index", encoding: "gzip", ct: "text/html", vary: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var header []string
			if tc.accept != "" {
				header = append(header, "Accept-Encoding: "+tc.accept)
			}
			res := serve(t, h, "GET", tc.path, header...)
			assert.Equal(t, tc.code, res.StatusCode)
			if tc.code != 200 {
				return
			}
			assert.Equal(t, tc.body, body(t, res))
			assert.Equal(t, tc.encoding, res.Header.Get("Content-Encoding"))
			assert.Equal(t, tc.ct, res.Header.Get("Content-Type"))
			assert.Equal(t, tc.vary, res.Header.Get("Vary") == "Accept-Encoding", "Vary: %q", res.Header.Values("Vary"))
		})
	}

	t.Run("distinct ETags and conditional requests", func(t *testing.T) {
		tags := map[string]string{}
		for _, accept := range []string{"", "br", "zstd", "gzip"} {
			res := serve(t, h, "GET", "/a.js", "Accept-Encoding: "+accept)
			tag := res.Header.Get("Etag")
			require.NotEmpty(t, tag)
			assert.NotContains(t, tags, tag, "coding %q", accept)
			tags[tag] = accept
			if accept != "" {
				assert.True(t, strings.HasSuffix(tag, "-"+map[string]string{"br": "br", "zstd": "zst", "gzip": "gz"}[accept]+`"`), tag)
			}
			res = serve(t, h, "GET", "/a.js", "Accept-Encoding: "+accept, "If-None-Match: "+tag)
			assert.Equal(t, http.StatusNotModified, res.StatusCode)
			assert.Equal(t, tag, res.Header.Get("Etag"))
		}
	})
	t.Run("ranges over the encoded bytes", func(t *testing.T) {
		res := serve(t, h, "GET", "/a.js", "Accept-Encoding: gzip", "Range: bytes=0-3")
		assert.Equal(t, http.StatusPartialContent, res.StatusCode)
		assert.Equal(t, "gzip", body(t, res))
		assert.Equal(t, "bytes 0-3/10", res.Header.Get("Content-Range"))
		assert.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
	})
	t.Run("HEAD", func(t *testing.T) {
		res := serve(t, h, "HEAD", "/a.js", "Accept-Encoding: br")
		assert.Equal(t, "br", res.Header.Get("Content-Encoding"))
		assert.Equal(t, "12", res.Header.Get("Content-Length"))
	})
	t.Run("default off", func(t *testing.T) {
		res := serve(t, fileserver.New(root.FS()), "GET", "/a.js", "Accept-Encoding: br")
		assert.Equal(t, "original", body(t, res))
		assert.Empty(t, res.Header.Get("Content-Encoding"))
		assert.Empty(t, res.Header.Get("Vary"))
	})
}

func TestWithSPA(t *testing.T) {
	_, root := writeTree(t, map[string]string{
		"index.html":  "<p>app</p>",
		"app.js":      "js",
		"docs/a.html": "<p>a</p>",
	})
	const browser = "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	h := fileserver.New(root.FS(), fileserver.WithSPA())
	tests := []struct {
		name, method, path string
		header             []string
		code               int
		body               string
	}{
		{"route", "GET", "/users/42", []string{browser}, 200, "<p>app</p>"},
		{"route with a dot", "GET", "/users/john.doe", []string{browser}, 200, "<p>app</p>"},
		{"missing html page", "GET", "/docs/b.html", []string{browser}, 200, "<p>app</p>"},
		{"route with a slash", "GET", "/settings/", []string{browser}, 200, "<p>app</p>"},
		{"HEAD", "HEAD", "/users/42", []string{browser}, 200, ""},
		{"existing file", "GET", "/app.js", []string{browser}, 200, "js"},
		{"missing asset", "GET", "/missing.js", []string{browser}, 404, ""},
		{"missing image", "GET", "/logo.png", []string{browser}, 404, ""},
		{"fetch for JSON", "GET", "/api/users", []string{"Accept: application/json"}, 404, ""},
		{"only a wildcard", "GET", "/users/42", []string{"Accept: */*"}, 404, ""},
		{"html refused", "GET", "/users/42", []string{"Accept: text/html;q=0, */*"}, 404, ""},
		{"no Accept", "GET", "/users/42", nil, 404, ""},
		{"under a file", "GET", "/app.js/x", []string{browser}, 200, "<p>app</p>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := serve(t, h, tc.method, tc.path, tc.header...)
			assert.Equal(t, tc.code, res.StatusCode)
			if tc.code == 200 {
				assert.Equal(t, tc.body, body(t, res))
				if tc.path != "/app.js" {
					assert.Equal(t, "text/html", res.Header.Get("Content-Type"))
					assert.Equal(t, "Accept", res.Header.Get("Vary"))
				}
			}
		})
	}
	t.Run("no index.html", func(t *testing.T) {
		_, root := writeTree(t, map[string]string{"a.txt": "a"})
		res := serve(t, fileserver.New(root.FS(), fileserver.WithSPA()), "GET", "/route", browser)
		assert.Equal(t, 404, res.StatusCode)
	})
	t.Run("default off", func(t *testing.T) {
		res := serve(t, fileserver.New(root.FS()), "GET", "/users/42", browser)
		assert.Equal(t, 404, res.StatusCode)
	})
}

func TestWithDefaultContentType(t *testing.T) {
	_, root := writeTree(t, map[string]string{"noext": "x", "data.unknownext": "x", "a.Z": "x", "a.txt": "x"})
	h := fileserver.New(root.FS(), fileserver.WithDefaultContentType("text/plain; charset=utf-8"))
	for path, want := range map[string]string{
		"/noext":           "text/plain; charset=utf-8",
		"/data.unknownext": "text/plain; charset=utf-8",
		"/a.Z":             "application/octet-stream", // Python's own mapping
		"/a.txt":           "text/plain",
	} {
		res := serve(t, h, "GET", path)
		assert.Equal(t, want, res.Header.Get("Content-Type"), path)
	}
	res := serve(t, fileserver.New(root.FS()), "GET", "/noext")
	assert.Equal(t, "application/octet-stream", res.Header.Get("Content-Type"))
	for _, bad := range []string{"", "text", "text/plain\r\nX: y"} {
		assert.Panics(t, func() { fileserver.WithDefaultContentType(bad) }, bad)
	}
}

// TestPrecompressedSendfile proves that a sidecar goes out through
// sendfile, as any file does.
func TestPrecompressedSendfile(t *testing.T) {
	res := sendfiletest.Run(t, "TestPrecompressedSendfileChild")
	assert.GreaterOrEqual(t, res.Bytes, int64(sendfileSize-512), "the sidecar did not go out through sendfile")
}

func TestPrecompressedSendfileChild(t *testing.T) {
	sendfiletest.Child(t)
	big := strings.Repeat("x", sendfileSize)
	_, root := writeTree(t, map[string]string{"big.js": "original", "big.js.gz": big})
	srv := httptest.NewServer(fileserver.New(root.FS(), fileserver.WithPrecompressed()))
	defer srv.Close()
	req, err := http.NewRequest("GET", srv.URL+"/big.js", nil)
	require.NoError(t, err)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
	n, err := io.Copy(io.Discard, res.Body)
	require.NoError(t, err)
	require.Equal(t, int64(sendfileSize), n)
}
