package testutil

import (
	"net/http"
	"net/http/httptest"
)

// Bare is a handler that answers 200 with a small text/plain body, the
// handler middleware allocation tests put a middleware in front of.
var Bare = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte("hello\n"))
})

// ExtraAllocs returns how many allocations per request mw adds to Bare for
// a GET of /a.txt served into a DiscardWriter (io.ReaderFrom, Flusher and
// io.StringWriter) and into a ServerWriter (net/http's whole method set).
// It counts with allocsPerRun, which is testing.AllocsPerRun: passed in,
// so that the tests that use it name it (scripts/test.sh runs the packages
// whose tests do without the race detector, whose own allocations would
// count too).
func ExtraAllocs(allocsPerRun func(int, func()) float64, mw func(http.Handler) http.Handler) (discard, server float64) {
	r := httptest.NewRequest("GET", "/a.txt", nil)
	r.RemoteAddr = "127.0.0.1:50000"
	count := func(h http.Handler, w http.ResponseWriter, hdr http.Header) float64 {
		return allocsPerRun(200, func() {
			clear(hdr)
			h.ServeHTTP(w, r)
		})
	}
	h := mw(Bare)
	dw := &DiscardWriter{H: http.Header{}}
	sw := &ServerWriter{DiscardWriter{H: http.Header{}}}
	discard = count(h, dw, dw.H) - count(Bare, dw, dw.H)
	server = count(h, sw, sw.H) - count(Bare, sw, sw.H)
	return discard, server
}
