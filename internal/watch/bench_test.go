package watch

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkChain measures chains of watching layers that pass everything
// on, over a bare handler and a writer without optional methods.
func BenchmarkChain(b *testing.B) {
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(nil)
	})
	for _, n := range []int{0, 1, 2, 4} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var h http.Handler = bare
			for range n {
				h = nopLayer()(h)
			}
			r := httptest.NewRequest("GET", "/", nil)
			w := plainWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(w, r)
			}
		})
	}
}

// nop is an observer that passes everything on and allocates nothing.
type nop struct {
	out   *Level
	calls int
}

func (n *nop) WriteHeader(code int)                  { n.calls++; n.out.WriteHeader(code) }
func (n *nop) Write(b []byte) (int, error)           { n.calls++; return n.out.Write(b) }
func (n *nop) WriteString(s string) (int, error)     { n.calls++; return n.out.WriteString(s) }
func (n *nop) ReadFrom(src io.Reader) (int64, error) { n.calls++; return n.out.ReadFrom(src) }
func (n *nop) Flush()                                { n.calls++; n.out.Flush() }
func (n *nop) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return n.out.Hijack()
}
func (n *nop) End(bool) {}

func nopLayer() func(http.Handler) http.Handler {
	return Middleware("nop", 0, func(n *nop, out *Level, r *http.Request) (*http.Request, bool) {
		n.out = out
		return r, true
	})
}

// plainWriter has no optional method.
type plainWriter struct{ h http.Header }

func (w plainWriter) Header() http.Header       { return w.h }
func (plainWriter) Write(b []byte) (int, error) { return len(b), nil }
func (plainWriter) WriteHeader(int)             {}
