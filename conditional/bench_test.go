package conditional_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/simplehttp/simplehttp/conditional"
	"github.com/simplehttp/simplehttp/internal/testutil"
)

func benchmark(b *testing.B, h http.Handler, header ...string) {
	req := httptest.NewRequest("GET", "/a.txt", nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := &testutil.DiscardWriter{H: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clear(w.H)
		h.ServeHTTP(w, req)
	}
}

func handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Last-Modified", lastModified)
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(body))
	})
}

// BenchmarkBaseline is the handler without the middleware.
func BenchmarkBaseline(b *testing.B) { benchmark(b, handler()) }

// BenchmarkPassThrough: no precondition, the writer is not wrapped.
func BenchmarkPassThrough(b *testing.B) { benchmark(b, conditional.New()(handler())) }

// BenchmarkModified: the writer is wrapped and the answer is 200.
func BenchmarkModified(b *testing.B) {
	benchmark(b, conditional.New()(handler()), "If-Modified-Since", secondBefore)
}

// BenchmarkNotModified: the answer is 304.
func BenchmarkNotModified(b *testing.B) {
	benchmark(b, conditional.New()(handler()), "If-Modified-Since", lastModified)
}

func BenchmarkParseDate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		conditional.ParseDate("Sun, 06 Nov 1994 08:49:37 GMT")
	}
}
