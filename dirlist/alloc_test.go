//go:build !race

// The race detector adds allocations of its own, so allocation counts are
// only meaningful without it (scripts/test.sh runs these without -race).

package dirlist

import (
	"testing"
	"testing/fstest"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

// TestIdleAllocs pins the allocations dirlist adds per request to a bare
// handler when it has nothing to do (a request for a file, passed on; see
// BenchmarkIdle in the root package), on a writer with Flush, ReadFrom and
// WriteString and on one with net/http's whole method set.
func TestIdleAllocs(t *testing.T) {
	discard, server := testutil.ExtraAllocs(testing.AllocsPerRun, New(fstest.MapFS{"a.txt": {Data: []byte("hello\n")}}))
	if discard > 0 || server > 0 {
		t.Errorf("dirlist adds %v allocations (%v on a server's writer), want at most 0 (0)", discard, server)
	}
}
