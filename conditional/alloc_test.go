//go:build !race

// The race detector adds allocations of its own, so allocation counts are
// only meaningful without it (scripts/test.sh runs these without -race).

package conditional_test

import (
	"testing"

	"github.com/simplehttp/simplehttp/conditional"
	"github.com/simplehttp/simplehttp/internal/testutil"
)

// TestIdleAllocs pins the allocations conditional adds per request to a bare
// handler when it has nothing to do (a 200 for a file; see BenchmarkIdle
// in the root package), on a writer with Flush, ReadFrom and WriteString
// and on one with net/http's whole method set.
func TestIdleAllocs(t *testing.T) {
	discard, server := testutil.ExtraAllocs(testing.AllocsPerRun, conditional.New())
	if discard > 0 || server > 0 {
		t.Errorf("conditional adds %v allocations (%v on a server's writer), want at most 0 (0)", discard, server)
	}
}
