// Package needs counts the tests that need a tool outside Go (Python 3.12,
// strace, chromium), so that none skips in silence: each such test reports
// here whether it ran or why it skipped, scripts/test.sh adds the reports
// up at the end, and under CI=true a tool that is installed but could not
// be used fails the test instead of skipping it.
package needs

import (
	"os"
	"strings"
	"testing"
)

// LogEnv names the file each report is appended to, one line per report:
// tool, "ran" or "skipped", the test's name and, for a skip, the reason,
// separated by tabs. Without it, nothing is written.
const LogEnv = "SIMPLEHTTP_NEEDS_LOG"

// Ran records that t runs with tool.
func Ran(t testing.TB, tool string) {
	t.Helper()
	record(tool, "ran", t.Name(), "")
}

// Skip records that t cannot use tool and skips it, or fails it when the
// environment says CI=true and the tool is installed (a machine whose image
// has the tool must run every test that needs it).
func Skip(t testing.TB, tool string, installed bool, reason string) {
	t.Helper()
	if installed && os.Getenv("CI") == "true" {
		record(tool, "failed", t.Name(), reason)
		t.Fatalf("%s is installed but cannot be used, and CI=true: %s", tool, reason)
	}
	record(tool, "skipped", t.Name(), reason)
	t.Skipf("%s: %s", tool, reason)
}

func record(tool, outcome, test, reason string) {
	name := os.Getenv(LogEnv)
	if name == "" {
		return
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	clean := func(s string) string { return strings.NewReplacer("\t", " ", "\n", " ").Replace(s) }
	// One write per line: O_APPEND keeps lines whole across the test
	// binaries go test runs side by side.
	_, _ = f.WriteString(clean(tool) + "\t" + outcome + "\t" + clean(test) + "\t" + clean(reason) + "\n")
}
