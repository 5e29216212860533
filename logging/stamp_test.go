package logging

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStampFormattedOncePerSecond pins that the timestamp is formatted once
// a second: lines logged within one second share one formatted stamp, and
// a line in another second formats a new one. Each formatting stores a new
// stamp in the cache, so the number of distinct stamps seen after each
// line is the number of times the formatter ran.
func TestStampFormattedOncePerSecond(t *testing.T) {
	base := testTime.Truncate(time.Second)
	at := func(d time.Duration) time.Time { return base.Add(d) }
	const s05, s06 = "21/Nov/2026 15:04:05", "21/Nov/2026 15:04:06"
	tests := []struct {
		name       string
		clock      []time.Time
		wantFormat int
		wantStamps []string // the stamp of each line
	}{
		{
			name:       "many lines in one second",
			clock:      []time.Time{at(0), at(1), at(time.Millisecond), at(500 * time.Millisecond), at(time.Second - 1), at(time.Second - 1)},
			wantFormat: 1,
			wantStamps: []string{s05, s05, s05, s05, s05, s05},
		},
		{
			name:       "a new second formats again",
			clock:      []time.Time{at(0), at(900 * time.Millisecond), at(time.Second), at(1500 * time.Millisecond)},
			wantFormat: 2,
			wantStamps: []string{s05, s05, s06, s06},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := 0
			clock := func() time.Time { return tt.clock[i] }
			var buf bytes.Buffer
			l := NewLogger(&buf, WithClock(clock), WithLocation(testZone))
			seen := map[*stamp]bool{}
			r := request("GET", "/", "127.0.0.1:1234")
			for i = range tt.clock {
				l.Logf(r, "line %d", i)
				s := l.pyStamp.cur.Load()
				require.NotNil(t, s)
				seen[s] = true
			}
			assert.Len(t, seen, tt.wantFormat, "times the stamp was formatted")
			lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
			require.Len(t, lines, len(tt.wantStamps))
			for j, want := range tt.wantStamps {
				assert.Contains(t, lines[j], "["+want+"] line ", "line %d", j)
			}
		})
	}
}
