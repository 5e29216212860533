//go:build !race

// The race detector makes sync.Pool drop items on purpose, so allocation
// counts are only meaningful without it.

package logging

import (
	"io"
	"net/http"
	"testing"

	"github.com/felixge/httpsnoop"
	"github.com/stretchr/testify/assert"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

// TestNoAllocationBeyondHttpsnoop checks that logging a request costs no
// allocation beyond what httpsnoop.Wrap itself makes with the same hooks,
// in every line format, for a success and for an error.
func TestNoAllocationBeyondHttpsnoop(t *testing.T) {
	hooks := httpsnoop.Hooks{
		WriteHeader: func(f httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc { return f },
		Write:       func(f httpsnoop.WriteFunc) httpsnoop.WriteFunc { return f },
		WriteString: func(f httpsnoop.WriteStringFunc) httpsnoop.WriteStringFunc { return f },
		ReadFrom:    func(f httpsnoop.ReadFromFunc) httpsnoop.ReadFromFunc { return f },
	}
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
		floor := testing.AllocsPerRun(200, func() { hf.ServeHTTP(httpsnoop.Wrap(w, hooks), r) })
		for _, format := range []Format{Python, Common, Combined} {
			t.Run(name+"/"+format.String(), func(t *testing.T) {
				h := New(io.Discard, WithFormat(format))(hf)
				got := testing.AllocsPerRun(200, func() { h.ServeHTTP(w, r) })
				assert.LessOrEqual(t, got, floor)
			})
		}
	}
}
