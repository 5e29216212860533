//go:build !race

// The race detector adds allocations of its own, so allocation counts are
// only meaningful without it (scripts/test.sh runs these without -race).

package watch

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestChainAllocs pins that a chain costs the same whatever its length:
// its states and the chain's in one allocation, httpsnoop's state, and
// three allocations for each of the two methods hooked (WriteHeader,
// Write) on a writer without optional methods: 8, from one layer to
// inline (the second of them begin-only); beyond inline two more, the
// observers and the levels.
func TestChainAllocs(t *testing.T) {
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(nil)
	})
	r := httptest.NewRequest("GET", "/", nil)
	w := plainWriter{h: http.Header{}}
	base := testing.AllocsPerRun(100, func() { bare.ServeHTTP(w, r) })
	for _, tt := range []struct {
		layers int
		want   float64
	}{{1, 8}, {2, 8}, {3, 8}, {inline, 8}, {inline + 1, 10}} {
		t.Run(fmt.Sprint(tt.layers), func(t *testing.T) {
			var h http.Handler = bare
			for i := range tt.layers {
				if i == 1 {
					h = Begin("begin", func(http.ResponseWriter, *http.Request) {})(h)
					continue
				}
				h = nopLayer()(h)
			}
			got := testing.AllocsPerRun(100, func() { h.ServeHTTP(w, r) }) - base
			if got != tt.want {
				t.Errorf("%v allocations, want %v", got, tt.want)
			}
		})
	}
}
