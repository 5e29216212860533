package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMux checks the mount: files, index pages and the trailing-slash
// redirect all stay under /static/.
func TestMux(t *testing.T) {
	fsys := fstest.MapFS{
		"a.txt":           {Data: []byte("a")},
		"docs/index.html": {Data: []byte("docs")},
	}
	srv := httptest.NewServer(newMux(fsys))
	defer srv.Close()
	tests := []struct {
		path, wantBody string
		wantStatus     int
	}{
		{path: "/static/a.txt", wantStatus: 200, wantBody: "a"},
		{path: "/static/docs", wantStatus: 200, wantBody: "docs"}, // through the redirect
		{path: "/static/nope", wantStatus: 404},
		{path: "/nope", wantStatus: 404},
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
}
