package main

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

// TestRouter checks the mount: files, index pages and the trailing-slash
// redirect all stay under /static.
func TestRouter(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "docs"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("a"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "docs", "index.html"), []byte("docs"), 0o644))
	r, files, err := newRouter(dir)
	require.NoError(t, err)
	defer func() { assert.NoError(t, files.Close()) }()
	srv := httptest.NewServer(r)
	defer srv.Close()

	tests := []struct {
		path, wantBody string
		wantStatus     int
	}{
		{path: "/static/a.txt", wantStatus: 200, wantBody: "a"},
		{path: "/static/docs", wantStatus: 200, wantBody: "docs"}, // through the redirect
		{path: "/static/nope", wantStatus: 404},
		{path: "/", wantStatus: 200, wantBody: "files are under /static/\n"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			resp, err := http.Get(srv.URL + tc.path)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tc.wantStatus, resp.StatusCode)
			if tc.wantBody != "" {
				assert.Equal(t, tc.wantBody, string(body))
			}
		})
	}

	// The redirect itself points under the mount.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(srv.URL + "/static/docs?x=1")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMovedPermanently, resp.StatusCode)
	loc, err := resp.Location()
	require.NoError(t, err)
	assert.Equal(t, "/static/docs/?x=1", loc.RequestURI())
}
