package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEmbedded checks that the embedded files are served with their index
// pages, content types and the trailing-slash redirect.
func TestEmbedded(t *testing.T) {
	srv := httptest.NewServer(newHandler())
	defer srv.Close()
	tests := []struct {
		path, wantType, wantPrefix string
		wantStatus                 int
	}{
		{path: "/", wantStatus: 200, wantType: "text/html", wantPrefix: "<!doctype html>\n<title>embedded</title>"},
		{path: "/docs", wantStatus: 200, wantType: "text/html", wantPrefix: "<!doctype html><title>docs</title>"},
		{path: "/docs/readme.txt", wantStatus: 200, wantType: "text/plain", wantPrefix: "Plain text"},
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
			if tc.wantStatus == 200 {
				assert.Equal(t, tc.wantType, resp.Header.Get("Content-Type"))
				assert.Contains(t, string(body), tc.wantPrefix)
			}
		})
	}
}
