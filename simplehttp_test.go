package simplehttp

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

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
		{name: "missing, following links", dir: filepath.Join(dir, "nope"), opts: []Option{WithFollowSymlinks(true)}, want: "simplehttp: stat " + filepath.Join(dir, "nope") + ": no such file or directory"},
		{name: "a file", dir: filepath.Join(dir, "a.txt"), want: "simplehttp: open " + filepath.Join(dir, "a.txt") + ": not a directory"},
		{name: "a file, following links", dir: filepath.Join(dir, "a.txt"), opts: []Option{WithFollowSymlinks(true)}, want: "simplehttp: open " + filepath.Join(dir, "a.txt") + ": not a directory"},
		{name: "cgi", dir: dir, opts: []Option{WithCGI(true)}, want: ErrCGIUnavailable.Error()},
		{name: "protocol", dir: dir, opts: []Option{WithProtocol("HTTP/2")}, want: `simplehttp: protocol "HTTP/2" is neither HTTP/1.0 nor HTTP/1.1`},
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
	})
	require.NoError(t, os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "out.txt")))
	require.NoError(t, os.Symlink("a.txt", filepath.Join(dir, "in.txt")))

	tests := []struct {
		name         string
		opts         []Option
		method, path string
		wantStatus   int
		wantBody     string
		wantLocation string
	}{
		{name: "file", path: "/a.txt", wantStatus: 200, wantBody: "a"},
		{name: "index", path: "/site/", wantStatus: 200, wantBody: "<p>index</p>"},
		{name: "redirect", path: "/site?q=1", wantStatus: 301, wantLocation: "/site/?q=1"},
		{name: "missing", path: "/nope", wantStatus: 404, wantBody: "File not found\n"},
		{name: "method", method: "PUT", path: "/a.txt", wantStatus: 501, wantBody: "Unsupported method ('PUT')\n"},
		{name: "link inside", path: "/in.txt", wantStatus: 200, wantBody: "a"},
		{name: "link outside refused", path: "/out.txt", wantStatus: 404, wantBody: "File not found\n"},
		{name: "link outside followed", opts: []Option{WithFollowSymlinks(true)}, path: "/out.txt", wantStatus: 200, wantBody: "secret"},
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
			h.ServeHTTP(rec, httptest.NewRequest(method, tc.path, nil))
			body, err := io.ReadAll(rec.Result().Body)
			require.NoError(t, err)
			assert.Equal(t, tc.wantStatus, rec.Code)
			assert.Equal(t, tc.wantBody, string(body))
			assert.Equal(t, tc.wantLocation, rec.Header().Get("Location"))
		})
	}
}
