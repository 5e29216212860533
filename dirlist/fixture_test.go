package dirlist

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fixtureFiles are the regular files of the fixture tree: every character
// that needs care in an href, in HTML, or in a browser.
var fixtureFiles = []string{
	"a b.txt",
	"100%.txt",
	"hash#x",
	"q?y",
	"amp&z",
	"<lt>",
	`"dq"`,
	"'sq'",
	"plus+x",
	"héllo.txt",
	"Zeta",
	".dot",
	"<img src=x onerror=alert(1)>",
	`"><script>alert(1)<`,
	"İstanbul",
	"ΑΣ",
	"x:y",
	"tab\tx",
	"ü",
	"ä~_-.",
	"日本語.txt",
	"semi;colon,comma=eq",
	"javascript:alert(1)",
	"a b #1 % ü.txt",
}

// fixtureMTime is the modification time of every fixture entry.
var fixtureMTime = time.Date(2024, 3, 5, 7, 9, 11, 0, time.UTC)

// makeTree builds the fixture tree in a fresh directory and returns it:
// the files above, an empty directory, a directory with a space, links to a
// file, to a directory, to nothing, and to a directory outside the tree.
func makeTree(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range fixtureFiles {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("content of "+name+"\n"), 0o644))
	}
	require.NoError(t, os.Mkdir(filepath.Join(dir, "emptydir"), 0o755))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "Dir Space"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Dir Space", "inner.txt"), []byte("inner\n"), 0o644))
	require.NoError(t, os.Symlink("Zeta", filepath.Join(dir, "link2file")))
	require.NoError(t, os.Symlink("emptydir", filepath.Join(dir, "link2dir")))
	require.NoError(t, os.Symlink("nowhere", filepath.Join(dir, "broken")))
	require.NoError(t, os.Symlink(t.TempDir(), filepath.Join(dir, "outside")))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		if e.Type()&os.ModeSymlink == 0 {
			require.NoError(t, os.Chtimes(filepath.Join(dir, e.Name()), fixtureMTime, fixtureMTime))
		}
	}
	return dir
}
