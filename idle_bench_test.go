package simplehttp_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/simplehttp/simplehttp/compress"
	"github.com/simplehttp/simplehttp/conditional"
	"github.com/simplehttp/simplehttp/dirlist"
	"github.com/simplehttp/simplehttp/dotfiles"
	"github.com/simplehttp/simplehttp/errorpage"
	"github.com/simplehttp/simplehttp/fileserver"
	"github.com/simplehttp/simplehttp/headers"
	"github.com/simplehttp/simplehttp/internal/testutil"
	"github.com/simplehttp/simplehttp/logging"
)

// nopWriter is a ResponseWriter that keeps nothing, so that a benchmark
// measures the middleware and not a recorder. Of the optional interfaces it
// has io.ReaderFrom only.
type nopWriter struct{ h http.Header }

func (w nopWriter) Header() http.Header               { return w.h }
func (nopWriter) Write(b []byte) (int, error)         { return len(b), nil }
func (nopWriter) WriteHeader(int)                     {}
func (nopWriter) ReadFrom(r io.Reader) (int64, error) { return io.Copy(io.Discard, r) }

// BenchmarkIdle measures each middleware in front of a bare handler for a
// request it has nothing to do with (a 200 for a file, no precondition, no
// CGI path, no dot-name): what it costs every request of a stack (issue
// 12's target: at most 200 ns and 2 allocations over the bare handler).
// logging always has a line to write, and errorpage and compress must
// watch the status, so theirs is the cost of watching.
func BenchmarkIdle(b *testing.B) {
	fsys := fstest.MapFS{"a.txt": {Data: []byte("hello\n")}}
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("hello\n"))
	})
	for _, mw := range []struct {
		name string
		mw   func(http.Handler) http.Handler
	}{
		{"bare", func(h http.Handler) http.Handler { return h }},
		{"conditional", conditional.New()},
		{"index", fileserver.Index(fsys)},
		{"dirlist", dirlist.New(fsys)},
		{"dotfiles", dotfiles.New()},
		{"errorpage", errorpage.New()},
		{"headers", headers.New(http.Header{"X-Frame-Options": {"DENY"}})},
		{"compress", compress.New()},
		{"logging", logging.New(io.Discard)},
		// The four watchers together, as in a stack: they share one wrap
		// (internal/watch), so this is what watching costs a stack.
		{"watchers", func(h http.Handler) http.Handler {
			h = compress.New()(h)
			h = logging.New(io.Discard)(h)
			h = errorpage.New()(h)
			return headers.New(http.Header{"X-Frame-Options": {"DENY"}})(h)
		}},
	} {
		b.Run(mw.name, func(b *testing.B) {
			h := mw.mw(bare)
			r := httptest.NewRequest("GET", "/a.txt", nil)
			r.RemoteAddr = "127.0.0.1:1234"
			w := nopWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				h.ServeHTTP(w, r)
			}
		})
		// The same with a writer that has every method of net/http's
		// HTTP/1 writer, each of which a wrapper may hook.
		b.Run(mw.name+"-server", func(b *testing.B) {
			h := mw.mw(bare)
			r := httptest.NewRequest("GET", "/a.txt", nil)
			r.RemoteAddr = "127.0.0.1:1234"
			w := &testutil.ServerWriter{DiscardWriter: testutil.DiscardWriter{H: http.Header{}}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.H)
				h.ServeHTTP(w, r)
			}
		})
	}
}
