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

// BenchmarkSmallFile serves a 1 KiB file from disk with this handler,
// without its cache and from it (cache-hit), and with the standard
// library's http.FileServer, into a recorder, and (discard/...) into a
// writer that keeps nothing, so that only the handler counts.
func BenchmarkSmallFile(b *testing.B) {
	dir := b.TempDir()
	require.NoError(b, os.WriteFile(filepath.Join(dir, "small.txt"), make([]byte, 1024), 0o644))
	root := rootFS(b, dir)
	noCache := fileserver.WithCache(0)
	cached := func(h http.Handler) http.Handler {
		fileserver.SetCacheSettle(h, 0) // the file was just written
		return h
	}
	handlers := []struct {
		name string
		h    http.Handler
	}{
		{"fileserver/os.Root", fileserver.New(root.FS(), noCache)},
		{"fileserver/RootFS", fileserver.New(fileserver.RootFS(root), noCache)},
		{"fileserver/os.DirFS", fileserver.New(os.DirFS(dir), noCache)},
		{"fileserver/os.Root/no-extras", fileserver.New(root.FS(), fileserver.WithPythonHeaders(), noCache)},
		{"fileserver/os.Root/cache-hit", cached(fileserver.New(root.FS()))},
		{"fileserver/RootFS/cache-hit", cached(fileserver.New(fileserver.RootFS(root)))},
		{"fileserver/os.DirFS/cache-hit", cached(fileserver.New(os.DirFS(dir)))},
		{"http.FileServer/http.Dir", http.FileServer(http.Dir(dir))},
		{"http.FileServer/http.FS(os.Root)", http.FileServer(http.FS(root.FS()))},
	}
	for _, hh := range handlers {
		b.Run(hh.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", "/small.txt", nil)
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				hh.h.ServeHTTP(w, r)
				if w.Code != http.StatusOK || w.Body.Len() != 1024 {
					b.Fatalf("status %d, %d bytes", w.Code, w.Body.Len())
				}
			}
		})
	}
	for _, hh := range handlers {
		b.Run("discard/"+hh.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", "/small.txt", nil)
			w := &testutil.DiscardWriter{H: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.H)
				hh.h.ServeHTTP(w, r)
			}
		})
	}
}

// BenchmarkContentType measures the table lookup.
func BenchmarkContentType(b *testing.B) {
	names := []string{"index.html", "archive.tgz", "t.txt.br", "README", "photo.JPG"}
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range names {
			_ = fileserver.ContentType(n)
		}
	}
}

// BenchmarkUndatedFile serves files without a modification time (HEAD, so
// only the ETag work counts): an embed.FS file, whose content hash is
// computed once, and a 1 MiB fstest.MapFS file, hashed on every request.
func BenchmarkUndatedFile(b *testing.B) {
	mapFS := fstest.MapFS{"big.js": {Data: make([]byte, 1<<20)}}
	tests := []struct {
		name, target string
		h            http.Handler
	}{
		{"embed.FS", "/testdata/site/hello.txt", fileserver.New(embedded)},
		{"MapFS-1MiB", "/big.js", fileserver.New(mapFS)},
		{"MapFS-1MiB/no-etag", "/big.js", fileserver.New(mapFS, fileserver.WithPythonHeaders())},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			r := httptest.NewRequest("HEAD", tt.target, nil)
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				tt.h.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}
