//go:build !race

// The race detector adds allocations of its own, so allocation counts are
// only meaningful without it.

package fileserver_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/fileserver"
	"github.com/simplehttp/simplehttp/internal/testutil"
)

// discardWriter is the least a ResponseWriter costs: a header map, reset
// for every request, and a body that goes nowhere.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

// TestServeFileAllocs pins the allocations of serving a 1 KiB file whole
// (9; 13 with each header's value formatted apart, 19 before the
// whole-file path stopped going through ServeContent)
// through the open-once path (RootFS): opening and fstat, the headers
// (their values in one array), the copy. http.FileServer pays 23-24 for
// the same request over a connection (BenchmarkSmallFile); this counts
// the handler alone.
func TestServeFileAllocs(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte(strings.Repeat("x", 1<<10)), 0o644))
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	defer root.Close()
	h := fileserver.New(fileserver.RootFS(root))
	req := httptest.NewRequest(http.MethodGet, "/a.txt", nil)
	w := &discardWriter{}
	serve := func() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
	w.h = http.Header{}
	serve()
	require.Equal(t, "1024", w.h.Get("Content-Length"))
	allocs := testing.AllocsPerRun(200, serve)
	t.Logf("%.0f allocations per request", allocs)
	assert.LessOrEqual(t, allocs, 9.0)
}

// TestIdleAllocs pins that Index adds no allocation to a request for a
// file, which it passes on.
func TestIdleAllocs(t *testing.T) {
	discard, server := testutil.ExtraAllocs(testing.AllocsPerRun, fileserver.Index(fstest.MapFS{"a.txt": {Data: []byte("hello\n")}}))
	if discard > 0 || server > 0 {
		t.Errorf("Index adds %v allocations (%v on a server's writer), want none", discard, server)
	}
}

// TestSmallFileAllocs pins the allocations of a GET of a 1 KiB file
// (BenchmarkSmallFile's discard forms): through RootFS, one path
// resolution (os.Root's own allocations: the path split and joined, the
// *os.File and its stat), the headers' values in one slice and one string,
// and the io.LimitedReader that sendfile reads through.
func TestSmallFileAllocs(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "small.txt"), make([]byte, 1024), 0o644))
	root := rootFS(t, dir)
	tests := []struct {
		name string
		h    http.Handler
		max  float64
	}{
		{"RootFS", fileserver.New(fileserver.RootFS(root)), 9},
		{"os.Root.FS", fileserver.New(root.FS()), 12},
		{"os.DirFS", fileserver.New(os.DirFS(dir)), 11},
		{"os.Root.FS/WithPythonHeaders", fileserver.New(root.FS(), fileserver.WithPythonHeaders()), 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/small.txt", nil)
			w := &testutil.DiscardWriter{H: http.Header{}}
			tt.h.ServeHTTP(w, r)
			require.Equal(t, "1024", w.H.Get("Content-Length"))
			got := testing.AllocsPerRun(200, func() {
				clear(w.H)
				tt.h.ServeHTTP(w, r)
			})
			if got > tt.max {
				t.Errorf("%v allocations per request, want at most %v", got, tt.max)
			}
		})
	}
}
