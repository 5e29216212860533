package sendfiletest

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// A Result sums up the sendfile calls of a trace.
type Result struct {
	// Calls is the number of sendfile calls that moved bytes, that is,
	// returned a positive count.
	Calls int
	// Bytes is the sum of those counts.
	Bytes int64
	// Errors is the number of calls that failed, such as with EAGAIN when
	// the socket's buffer was full (Go then waits and calls again).
	Errors int
}

func (r Result) String() string {
	return fmt.Sprintf("%d sendfile calls moved %d bytes (%d failed)", r.Calls, r.Bytes, r.Errors)
}

var (
	// pidPrefix is what strace -f puts before each line: "1234 " when it
	// writes to a file, "[pid 1234] " when it writes to a terminal.
	pidPrefix = regexp.MustCompile(`^(?:\[pid\s+\d+\]|\d+)\s+`)
	// call is a line starting a call; resumed is the end of a call whose
	// start was cut by "<unfinished ...>" (another thread ran meanwhile).
	call    = regexp.MustCompile(`^sendfile(?:64)?\(`)
	resumed = regexp.MustCompile(`^<\.\.\. sendfile(?:64)? resumed>`)
	// result is the return value at the end of a finished call, with an
	// optional error name and text: ") = 4194304", ") = -1 EAGAIN (...)",
	// ") = ?" for a call cut short by the process's exit.
	result = regexp.MustCompile(`^.*\)\s+=\s+(-?\d+|\?)(?:\s.*)?$`)
)

// Parse reads the output of strace -f -e trace=sendfile and sums up the
// sendfile (and sendfile64) calls in it. A call strace split into an
// "<unfinished ...>" line and a "<... sendfile resumed>" line counts once,
// when it finishes. Lines about anything else (signals, exits) are
// ignored; a sendfile line that neither finishes nor is unfinished is an
// error, since the format is not what Parse knows.
func Parse(r io.Reader) (Result, error) {
	var res Result
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(pidPrefix.ReplaceAllString(sc.Text(), ""))
		if !call.MatchString(line) && !resumed.MatchString(line) {
			continue
		}
		m := result.FindStringSubmatch(line)
		if m == nil {
			if strings.HasSuffix(line, "<unfinished ...>") {
				continue
			}
			return Result{}, fmt.Errorf("sendfiletest: line %d: no result in %q", n, line)
		}
		v, err := strconv.ParseInt(m[1], 10, 64)
		switch {
		case err != nil || v < 0:
			res.Errors++
		case v > math.MaxInt64-res.Bytes:
			return Result{}, fmt.Errorf("sendfiletest: line %d: byte count overflows", n)
		case v > 0:
			res.Calls++
			res.Bytes += v
		}
	}
	if err := sc.Err(); err != nil {
		return Result{}, fmt.Errorf("sendfiletest: %w", err)
	}
	return res, nil
}
