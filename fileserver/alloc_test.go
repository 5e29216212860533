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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/fileserver"
)

// discardWriter is the least a ResponseWriter costs: a header map, reset
// for every request, and a body that goes nowhere.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

// TestServeFileAllocs pins the allocations of serving a 1 KiB file whole
// (13; 19 before the whole-file path stopped going through ServeContent)
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
	assert.LessOrEqual(t, allocs, 13.0)
}
