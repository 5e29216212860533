//go:build !race

// The race detector adds allocations of its own, so allocation counts are
// only meaningful without it.

package logging

import (
	"io"
	"net/http"
	"testing"

	"github.com/felixge/httpsnoop"
	"github.com/stretchr/testify/assert"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

// floorWrap is the least a wrapper without shared state pays per request:
// a state of its own and the five hooks the logger needs bound to it.
func floorWrap(w http.ResponseWriter) http.ResponseWriter {
	st := &struct {
		code int
		n    int64
	}{}
	return httpsnoop.Wrap(w, httpsnoop.Hooks{
		WriteHeader: func(next httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc {
			return func(code int) { st.code = code; next(code) }
		},
		Write: func(next httpsnoop.WriteFunc) httpsnoop.WriteFunc {
			return func(b []byte) (int, error) { n, err := next(b); st.n += int64(n); return n, err }
		},
		WriteString: func(next httpsnoop.WriteStringFunc) httpsnoop.WriteStringFunc {
			return func(s string) (int, error) { n, err := next(s); st.n += int64(n); return n, err }
		},
		ReadFrom: func(next httpsnoop.ReadFromFunc) httpsnoop.ReadFromFunc {
			return func(src io.Reader) (int64, error) { n, err := next(src); st.n += n; return n, err }
		},
		Flush: func(next httpsnoop.FlushFunc) httpsnoop.FlushFunc {
			return func() { st.code++; next() }
		},
	})
}

// TestAllocationsOfWrapping checks that logging a request costs no
// allocation beyond what wrapping the writer with per-request state costs
// (floorWrap), in every line format, for a success, and one more for an
// error, whose message is kept.
func TestAllocationsOfWrapping(t *testing.T) {
	handlers := map[string]http.HandlerFunc{
		"200": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, "hello\n")
		},
		"404": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNotFound) // Content-Type preset below
			io.WriteString(w, "File not found\n")
		},
	}
	for name, hf := range handlers {
		r := request("GET", "/a.txt", "127.0.0.1:50000")
		w := &testutil.DiscardWriter{H: http.Header{"Content-Type": {"text/plain; charset=utf-8"}}}
		floor := testing.AllocsPerRun(200, func() { hf.ServeHTTP(floorWrap(w), r) })
		if name == "404" {
			floor++
		}
		for _, format := range []Format{Python, Common, Combined} {
			t.Run(name+"/"+format.String(), func(t *testing.T) {
				h := New(io.Discard, WithFormat(format))(hf)
				got := testing.AllocsPerRun(200, func() { h.ServeHTTP(w, r) })
				assert.LessOrEqual(t, got, floor)
			})
		}
	}
}
