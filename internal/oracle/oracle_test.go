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
	// The port read from the banner is Python's own.
	assert.Regexp(t, `^SimpleHTTP/[0-9.]+ Python/3\.12\.`, resp.Header.Get("Server"))
	assert.Eventually(t, func() bool { return len(s.Stderr()) > 0 }, 5e9, 1e7)
	assert.Contains(t, s.Stderr(), `"GET /a.txt HTTP/1.1" 200 -`)
}

// TestBanner pins the banner the port is read from (Python 3.12's wording)
// and that both ports in it must agree.
func TestBanner(t *testing.T) {
	for line, want := range map[string]string{
		"Serving HTTP on 127.0.0.1 port 8000 (http://127.0.0.1:8000/) ...": "8000",
		"Serving HTTP on 127.0.0.1 port 0 (http://127.0.0.1:0/) ...":       "",
		"Serving HTTP on 0.0.0.0 port 8000 (http://0.0.0.0:8000/) ...":     "",
		"Serving HTTP on :: port 8001 (http://[::]:8001/) ...":             "8001",
		"127.0.0.1 - - [03/Dec/2026 06:00:00] \"GET / HTTP/1.1\" 200 -":    "",
	} {
		m := banner.FindStringSubmatch(line)
		if want == "" {
			assert.Nil(t, m, line)
			continue
		}
		if assert.NotNil(t, m, line) {
			assert.Equal(t, want, m[1])
			assert.Equal(t, m[1], m[2])
		}
	}
}
