package errorpage_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/simplehttp/simplehttp/errorpage"
	"github.com/simplehttp/simplehttp/internal/testutil"
)

func benchmark(b *testing.B, h http.Handler) {
	req := httptest.NewRequest("GET", "/a.txt", nil)
	w := &testutil.DiscardWriter{H: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clear(w.H)
		h.ServeHTTP(w, req)
	}
}

var ok = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte("hello, world\n"))
})

// BenchmarkBaseline is the handler without the middleware.
func BenchmarkBaseline(b *testing.B) { benchmark(b, ok) }

// BenchmarkPassThrough is a 200 through the middleware.
func BenchmarkPassThrough(b *testing.B) { benchmark(b, errorpage.New()(ok)) }

// BenchmarkPage is an http.Error turned into Python's page.
func BenchmarkPage(b *testing.B) {
	benchmark(b, errorpage.New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "File not found", http.StatusNotFound)
	})))
}
