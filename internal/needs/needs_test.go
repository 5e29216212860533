package needs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRecord(t *testing.T) {
	log := filepath.Join(t.TempDir(), "needs.log")
	t.Setenv(LogEnv, log)
	t.Setenv("CI", "")
	Ran(t, "strace")
	t.Run("absent", func(t *testing.T) { Skip(t, "chromium", false, "not\tinstalled") })
	b, err := os.ReadFile(log)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	require.Len(t, lines, 2)
	assert.Equal(t, "strace\tran\tTestRecord\t", lines[0])
	assert.Equal(t, "chromium\tskipped\tTestRecord/absent\tnot installed", lines[1])
}

// TestCIFailsInstalledSkip: under CI=true, a tool that is installed but
// unusable fails the test (checked in a child test whose failure is
// expected, through a fake testing.TB).
func TestCIFailsInstalledSkip(t *testing.T) {
	t.Setenv(LogEnv, "")
	t.Setenv("CI", "true")
	ft := &fakeT{TB: t}
	func() {
		defer func() { recover() }()
		Skip(ft, "strace", true, "ptrace not permitted")
	}()
	assert.True(t, ft.fataled, "an installed tool must not be skipped under CI=true")
	ft = &fakeT{TB: t}
	func() {
		defer func() { recover() }()
		Skip(ft, "strace", false, "not installed")
	}()
	assert.False(t, ft.fataled)
	assert.True(t, ft.skipped)
}

type fakeT struct {
	testing.TB
	fataled, skipped bool
}

func (f *fakeT) Helper()               {}
func (f *fakeT) Name() string          { return "fake" }
func (f *fakeT) Fatalf(string, ...any) { f.fataled = true; panic("fatal") }
func (f *fakeT) Skipf(string, ...any)  { f.skipped = true; panic("skip") }
