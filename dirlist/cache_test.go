package dirlist

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCacheNeverStale pins that a listing served from the cache is never
// stale: a directory left alone for an hour is cached, and every change to
// it (a name added, removed, renamed) or to what a link in it leads to is
// in the next listing, through an os.Root and os.DirFS.
func TestCacheNeverStale(t *testing.T) {
	old := time.Now().Add(-time.Hour)
	settle := func(t *testing.T, dirs ...string) {
		for _, d := range dirs {
			require.NoError(t, os.Chtimes(d, old, old))
		}
	}
	li := func(href, text string) string { return `<li><a href="` + href + `">` + text + `</a></li>` }
	tests := []struct {
		name   string
		change func(t *testing.T, dir string)
		after  []string
	}{
		{"added", func(t *testing.T, dir string) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "d", "b.txt"), nil, 0o644))
		}, []string{li("a.txt", "a.txt"), li("b.txt", "b.txt"), li("link/", "link@")}},
		{"removed", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, "d", "a.txt")))
		}, []string{li("link/", "link@")}},
		{"renamed", func(t *testing.T, dir string) {
			require.NoError(t, os.Rename(filepath.Join(dir, "d", "a.txt"), filepath.Join(dir, "d", "c.txt")))
		}, []string{li("c.txt", "c.txt"), li("link/", "link@")}},
		{"link target replaced", func(t *testing.T, dir string) {
			target := filepath.Join(dir, "other", "t")
			require.NoError(t, os.Remove(target))
			require.NoError(t, os.WriteFile(target, nil, 0o644))
		}, []string{li("a.txt", "a.txt"), li("link", "link@")}},
	}
	for _, tc := range tests {
		for _, kind := range []string{"Root", "DirFS"} {
			t.Run(tc.name+"/"+kind, func(t *testing.T) {
				dir := t.TempDir()
				require.NoError(t, os.MkdirAll(filepath.Join(dir, "d"), 0o755))
				require.NoError(t, os.MkdirAll(filepath.Join(dir, "other", "t"), 0o755))
				require.NoError(t, os.WriteFile(filepath.Join(dir, "d", "a.txt"), nil, 0o644))
				require.NoError(t, os.Symlink("../other/t", filepath.Join(dir, "d", "link")))
				settle(t, filepath.Join(dir, "d"), filepath.Join(dir, "other"))
				fsys := os.DirFS(dir)
				if kind == "Root" {
					root, err := os.OpenRoot(dir)
					require.NoError(t, err)
					defer root.Close()
					fsys = root.FS()
				}
				h := New(fsys)(terminal)
				before := page("/d/", li("a.txt", "a.txt"), li("link/", "link@"))
				for range 2 { // read, then from the cache
					assert.Equal(t, before, serve(t, h, http.MethodGet, "/d/").Body.String())
				}
				tc.change(t, dir)
				assert.Equal(t, page("/d/", tc.after...), serve(t, h, http.MethodGet, "/d/").Body.String())
			})
		}
	}
}

// TestCacheHit pins that a settled directory is listed from the cache
// (what a test can see of a hit: a name removed behind the directory's back
// is still listed once its mtime is put back; only its ctime tells, and a
// change of mode changes that too), and that a directory changed just now
// is read for every listing.
func TestCacheHit(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), nil, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b.txt"), nil, 0o644))
	old := time.Now().Add(-time.Hour)
	require.NoError(t, os.Chtimes(dir, old, old))
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	defer root.Close()
	h := New(root.FS())(terminal)
	require.Contains(t, serve(t, h, http.MethodGet, "/").Body.String(), "b.txt")
	require.Contains(t, serve(t, h, http.MethodGet, "/").Body.String(), "b.txt")
	require.NoError(t, os.Remove(filepath.Join(dir, "b.txt")))
	require.NoError(t, os.Chtimes(dir, old, old))
	assert.NotContains(t, serve(t, h, http.MethodGet, "/").Body.String(), "b.txt", "the ctime changed")

	fresh := New(root.FS())(terminal)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "c.txt"), nil, 0o644))
	assert.Contains(t, serve(t, fresh, http.MethodGet, "/").Body.String(), "c.txt")
	require.NoError(t, os.Remove(filepath.Join(dir, "c.txt")))
	assert.NotContains(t, serve(t, fresh, http.MethodGet, "/").Body.String(), "c.txt")
}
