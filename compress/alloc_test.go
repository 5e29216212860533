//go:build !race

// The race detector adds allocations of its own, so allocation counts are
// only meaningful without it (scripts/test.sh runs these without -race).

package compress

import (
	"testing"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

// TestIdleAllocs pins the allocations compress adds per request to a bare
// handler when it has nothing to do (a 200 for a file; see BenchmarkIdle
// in the root package), on a writer with Flush, ReadFrom and WriteString
// and on one with net/http's whole method set. It must watch every
// response, so it wraps the writer with httpsnoop: its state, httpsnoop's,
// and three allocations per hooked method (README, Performance).
func TestIdleAllocs(t *testing.T) {
	discard, server := testutil.ExtraAllocs(testing.AllocsPerRun, New())
	if discard > 18 || server > 22 {
		t.Errorf("compress adds %v allocations (%v on a server's writer), want at most 18 (22)", discard, server)
	}
}
