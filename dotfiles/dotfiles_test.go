package dotfiles

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

// TestNew pins which request targets are hidden: a segment that starts
// with "." at any depth, percent-encoded or not, before or after "." and
// ".." are resolved; "." and ".." themselves are not names.
func TestNew(t *testing.T) {
	tests := []struct {
		target string
		hidden bool
	}{
		{"/", false},
		{"/a.txt", false},
		{"/a/b.c/d", false},
		{"/a/../b", false},
		{"/./a", false},
		{"/%2e%2e/a", false},
		{"/a/", false},
		{"/a/..", false},
		{"/.env", true},
		{"/.git/config", true},
		{"/.git/", true},
		{"/a/.hidden/x", true},
		{"/%2eenv", true},
		{"/%2Eenv", true},
		{"/a/%2Ehidden/x", true},
		{"/a%2f.env", true},
		{"/a/b/../.env", true},
		{"/.x/../a.txt", true},
		{"/...", true},
		{"/cgi-bin/.x.py", true},
		{"/cgi-bin/x.py/.path/info", true},
		{"/.env?x=1", true},
		{"/a.txt?.env", false},
		{"http://host/.env", true},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			reached := false
			h := New()(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				reached = true
				w.WriteHeader(http.StatusTeapot)
			}))
			for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
				reached = false
				rec := httptest.NewRecorder()
				rec.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				rec.Header().Set("Etag", `"x"`)
				h.ServeHTTP(rec, httptest.NewRequest(method, tc.target, nil))
				assert.Equal(t, !tc.hidden, reached, method)
				if tc.hidden {
					assert.Equal(t, http.StatusNotFound, rec.Code, method)
					assert.Equal(t, "File not found\n", rec.Body.String(), method)
					assert.Empty(t, rec.Header().Get("Cache-Control"), method)
					assert.Empty(t, rec.Header().Get("Etag"), method)
				} else {
					assert.Equal(t, http.StatusTeapot, rec.Code, method)
					assert.Equal(t, "public, max-age=31536000, immutable", rec.Header().Get("Cache-Control"), method)
				}
			}
		})
	}
}

// TestFileServer pins the middleware in front of http.FileServer over a
// real connection: a dotfile that exists is 404, its neighbours are served,
// and so is the file under http.StripPrefix.
func TestFileServer(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".env"), []byte("SECRET=1"), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, ".git"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".git", "config"), []byte("[core]"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("a"), 0o644))
	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static", New()(http.FileServerFS(os.DirFS(dir)))))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tests := []struct {
		path   string
		status int
		body   string
	}{
		{"/static/a.txt", http.StatusOK, "a"},
		{"/static/.env", http.StatusNotFound, "File not found\n"},
		{"/static/%2eenv", http.StatusNotFound, "File not found\n"},
		{"/static/.git/config", http.StatusNotFound, "File not found\n"},
		{"/static/%2Egit/config", http.StatusNotFound, "File not found\n"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			resp, err := srv.Client().Get(srv.URL + tc.path)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.body, string(body))
		})
	}
}

func TestNilNext(t *testing.T) {
	assert.PanicsWithValue(t, "dotfiles: nil next handler", func() { New()(nil) })
}
