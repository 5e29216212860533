package oracle

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStart(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("hello\n"), 0o644))
	s := Start(t, dir)
	resp, err := http.Get(s.URL + "/a.txt")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "hello\n", string(body))
	assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
	assert.Eventually(t, func() bool { return len(s.Stderr()) > 0 }, 5e9, 1e7)
	assert.Contains(t, s.Stderr(), `"GET /a.txt HTTP/1.1" 200 -`)
}
