package sendfiletest

import (
	"context"
	"fmt"
	"github.com/simplehttp/simplehttp/internal/needs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// childEnv marks the traced copy of the test binary; its value is the
// name of the child test.
const childEnv = "SIMPLEHTTP_SENDFILETEST_CHILD"

// timeout bounds a traced run when the test has no sooner deadline.
const timeout = 2 * time.Minute

// IsChild reports whether this process is a copy of the test binary
// started by [Run].
func IsChild() bool { return os.Getenv(childEnv) != "" }

// Child skips the calling test unless this process was started by [Run] to
// run it. A child test calls it first.
func Child(t testing.TB) {
	t.Helper()
	if os.Getenv(childEnv) != t.Name() {
		t.Skip("run under strace by sendfiletest.Run")
	}
}

// Run runs the test named child in a copy of the test binary
// (os.Args[0]) under strace, traces its sendfile calls and returns their
// sum. env holds extra "KEY=value" variables for the child. The test
// fails if the child fails, is skipped or runs too long (two minutes, or
// less when the test has a sooner deadline); it is skipped when strace is
// missing or cannot trace here, in -short mode, and inside a child.
func Run(t *testing.T, child string, env ...string) Result {
	t.Helper()
	if IsChild() {
		t.Skip("already under strace")
	}
	if testing.Short() {
		t.Skip("runs a subprocess under strace")
	}
	strace, err := exec.LookPath("strace")
	if err != nil {
		needs.Skip(t, "strace", false, "strace is not installed")
	}
	limit := timeout
	if d, ok := t.Deadline(); ok {
		limit = min(limit, time.Until(d)-5*time.Second)
	}
	ctx, cancel := context.WithTimeout(t.Context(), limit)
	defer cancel()

	opts := []string{"-f", "-qq", "-e", "trace=sendfile", "-e", "signal=none"}
	// ptrace is often not permitted in containers; strace then fails at
	// once, whatever it runs.
	probe := exec.CommandContext(ctx, strace, slices.Concat(opts, []string{"-o", os.DevNull, "true"})...)
	if out, err := probe.CombinedOutput(); err != nil {
		needs.Skip(t, "strace", true, fmt.Sprintf("strace cannot trace here: %v: %s", err, out))
	}
	needs.Ran(t, "strace")

	trace := filepath.Join(t.TempDir(), "strace.out")
	args := slices.Concat(opts, []string{"-o", trace, os.Args[0],
		"-test.run=^" + regexp.QuoteMeta(child) + "$", "-test.v", "-test.count=1",
		// The child's own timeout fires first, with its goroutines' stacks.
		"-test.timeout=" + (limit * 9 / 10).String()})
	cmd := exec.CommandContext(ctx, strace, args...)
	cmd.Env = append(append(os.Environ(), childEnv+"="+child), env...)
	// A child left running once strace is killed may hold the output
	// pipe; stop waiting for it.
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("sendfiletest: %s did not finish within %v: %s", child, limit, out)
	}
	if err != nil {
		t.Fatalf("sendfiletest: %s: %v: %s", child, err, out)
	}
	if !strings.Contains(string(out), "--- PASS: "+child+" ") {
		t.Fatalf("sendfiletest: %s did not pass (was it skipped, or not found?): %s", child, out)
	}

	f, err := os.Open(trace)
	if err != nil {
		t.Fatalf("sendfiletest: %v", err)
	}
	defer f.Close()
	res, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %v", child, res)
	return res
}
