package fileserver_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/fileserver"
	"github.com/simplehttp/simplehttp/internal/sendfiletest"
)

const sendfileSize = 8 << 20

// TestSendfile proves that files from an os.Root go out through the
// sendfile system call (zero-copy): it runs TestSendfileChild, which
// serves an 8 MiB file over a real TCP connection, under strace and adds
// up what sendfile returned.
func TestSendfile(t *testing.T) {
	res := sendfiletest.Run(t, "TestSendfileChild")
	assert.Positive(t, res.Calls, "no sendfile call")
	// The child fetches the file four times (default options, then
	// WithPythonHeaders, whose writer wrapper must keep ReadFrom; then
	// through RootFS, whole and as a range). A whole file goes out through
	// sendfile to its first byte: the header is flushed first, so net/http
	// has no first 512 bytes to write itself (golang.org/issue/5660), as
	// it still does for a range, which http.ServeContent sends.
	assert.GreaterOrEqual(t, res.Bytes, int64(3*sendfileSize+(sendfileSize-1024-512)), "the file did not go out through sendfile")
}

// TestSendfileChild is run by TestSendfile under strace; on its own it
// skips.
func TestSendfileChild(t *testing.T) {
	sendfiletest.Child(t)
	dir := t.TempDir()
	big := make([]byte, sendfileSize)
	for i := range big {
		big[i] = byte(i * 7)
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "big.bin"), big, 0o644))
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	defer root.Close()
	fsys := root.FS()
	for _, tc := range []struct {
		h     http.Handler
		rng   string
		start int
	}{
		{fileserver.Index(fsys)(fileserver.New(fsys)), "", 0},
		{fileserver.New(fsys, fileserver.WithPythonHeaders()), "", 0},
		{fileserver.New(fileserver.RootFS(root)), "", 0},
		{fileserver.New(fileserver.RootFS(root)), "bytes=1024-", 1024},
	} {
		srv := httptest.NewServer(tc.h)
		req, err := http.NewRequest("GET", srv.URL+"/big.bin", nil)
		require.NoError(t, err)
		if tc.rng != "" {
			req.Header.Set("Range", tc.rng)
		}
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		b, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		require.True(t, bytes.Equal(big[tc.start:], b), "the bytes sent")
		res.Body.Close()
		srv.Close()
	}
}
