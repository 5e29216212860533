package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openDescriptorsOn counts this process's descriptors open on dir.
func openDescriptorsOn(t *testing.T, dir string) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	n := 0
	for _, fd := range fds {
		if target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); err == nil && target == dir {
			n++
		}
	}
	return n
}

// TestHideDotfilesFlag pins --hide-dotfiles: a dotfile is 404 and left out
// of the listing, other files are served; and that the command closes the
// served directory when it stops.
func TestHideDotfilesFlag(t *testing.T) {
	dir := fixture(t, map[string]string{".env": "SECRET=1", "a.txt": "a"})
	dir, err := filepath.EvalSymlinks(dir)
	require.NoError(t, err)
	before := openDescriptorsOn(t, dir)
	s := startServer(t, []string{"--hide-dotfiles", "-b", "127.0.0.1", "-d", dir, "0"}, nil)
	assert.Equal(t, before+1, openDescriptorsOn(t, dir), "the served directory is open")
	for path, want := range map[string]int{"/.env": 404, "/%2eenv": 404, "/a.txt": 200, "/": 200} {
		resp, err := http.Get(s.url() + path)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, want, resp.StatusCode, path)
		assert.NotContains(t, string(body), ".env", path)
		assert.NotContains(t, string(body), "SECRET", path)
	}
	assert.Equal(t, 0, s.stop(t))
	assert.Equal(t, before, openDescriptorsOn(t, dir), "the served directory is closed")
}
