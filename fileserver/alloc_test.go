//go:build !race

// The race detector adds allocations of its own, so allocation counts are
// only meaningful without it.

package fileserver_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/fileserver"
	"github.com/simplehttp/simplehttp/internal/testutil"
)

// TestIdleAllocs pins that Index adds no allocation to a request for a
// file, which it passes on.
func TestIdleAllocs(t *testing.T) {
	discard, server := testutil.ExtraAllocs(testing.AllocsPerRun, fileserver.Index(fstest.MapFS{"a.txt": {Data: []byte("hello\n")}}))
	if discard > 0 || server > 0 {
		t.Errorf("Index adds %v allocations (%v on a server's writer), want none", discard, server)
	}
}

// TestSmallFileAllocs pins the allocations of a GET of a 1 KiB file
// (BenchmarkSmallFile's discard forms). Through RootFS it was 19 while the
// whole file went through http.ServeContent, 13 with each header's value
// allocated apart, 9 with a sizedFile for every file, 8 now: one path
// resolution (os.Root's own allocations: the path split and joined, the
// *os.File and its stat), the headers' values in one slice and one string.
// The file was just
// written, so it is not cached (it changed within the settle window); from
// the cache (cache-hit), a request makes 4: the stat of the name and the
// headers' values.
func TestSmallFileAllocs(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "small.txt"), make([]byte, 1024), 0o644))
	root := rootFS(t, dir)
	hit := func(h http.Handler) http.Handler {
		fileserver.SetCacheSettle(h, 0) // the file was just written
		return h
	}
	tests := []struct {
		name string
		h    http.Handler
		max  float64
	}{
		{"RootFS", fileserver.New(fileserver.RootFS(root)), 8},
		{"os.Root.FS", fileserver.New(root.FS()), 11},
		{"os.DirFS", fileserver.New(os.DirFS(dir)), 10},
		{"os.Root.FS/WithPythonHeaders", fileserver.New(root.FS(), fileserver.WithPythonHeaders()), 11},
		{"RootFS/cache-hit", hit(fileserver.New(fileserver.RootFS(root))), 4},
		{"os.Root.FS/cache-hit", hit(fileserver.New(root.FS())), 4},
		{"os.DirFS/cache-hit", hit(fileserver.New(os.DirFS(dir))), 4},
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
