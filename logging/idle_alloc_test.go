//go:build !race

// The race detector adds allocations of its own, so allocation counts are
// only meaningful without it (scripts/test.sh runs these without -race).

package logging

import (
	"io"
	"testing"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

// TestIdleAllocs pins the allocations logging adds per request to a bare
// handler when it has nothing to do (a 200 for a file; see BenchmarkIdle
// in the root package), on a writer with Flush, ReadFrom and WriteString
// and on one with net/http's whole method set. A line per request needs
// the status and size, so the writer is always wrapped: the request's
// state, httpsnoop's, and three allocations per hooked method
// (TestAllocationsOfWrapping holds it to that floor).
func TestIdleAllocs(t *testing.T) {
	discard, server := testutil.ExtraAllocs(testing.AllocsPerRun, New(io.Discard))
	if discard > 17 || server > 18 {
		t.Errorf("logging adds %v allocations (%v on a server's writer), want at most 17 (18)", discard, server)
	}
}
