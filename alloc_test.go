//go:build !race

// The race detector adds allocations of its own, so allocation counts are
// only meaningful without it (scripts/test.sh runs these without -race).

package simplehttp

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

// TestStackAllocs pins the allocations of a GET of a 1 KiB file through
// each of stackForms (BenchmarkStack1KiB's discard forms, without the
// file cache: the file was just written): the file server's (8), and for
// the watching middleware (errorpage, logging, compress, headers), which
// share one wrap (internal/watch), the chain's states in one allocation,
// httpsnoop's, and three per hooked method.
func TestStackAllocs(t *testing.T) {
	dir := writeFiles(t, map[string]string{"small.txt": strings.Repeat("x", 1024)})
	ceiling := map[string]float64{"default": 25, "cli": 25, "cli-all": 28}
	for _, form := range stackForms {
		t.Run(form.name, func(t *testing.T) {
			h, err := NewHandler(dir, form.opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			r := httptest.NewRequest("GET", "/small.txt", nil)
			r.RemoteAddr = "127.0.0.1:50000"
			w := &testutil.DiscardWriter{H: http.Header{}}
			h.ServeHTTP(w, r)
			if got := w.H.Get("Content-Length"); got != "1024" {
				t.Fatalf("Content-Length %q, want 1024", got)
			}
			got := testing.AllocsPerRun(200, func() {
				clear(w.H)
				h.ServeHTTP(w, r)
			})
			if got > ceiling[form.name] {
				t.Errorf("%v allocations per request, want at most %v", got, ceiling[form.name])
			}
		})
	}
}
