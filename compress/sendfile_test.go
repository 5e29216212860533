package compress

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/sendfiletest"
)

const sendfileSize = 8 << 20

// TestSendfile proves, under strace, that a response the middleware does
// not compress (a PNG, asked for with Accept-Encoding: gzip) still goes out
// through sendfile.
func TestSendfile(t *testing.T) {
	res := sendfiletest.Run(t, "TestSendfileChild")
	// net/http writes the first 512 bytes itself (golang.org/issue/5660).
	assert.GreaterOrEqual(t, res.Bytes, int64(sendfileSize-512), "the file did not go out through sendfile")
}

func TestSendfileChild(t *testing.T) {
	sendfiletest.Child(t)
	p := filepath.Join(t.TempDir(), "big.png")
	require.NoError(t, os.WriteFile(p, make([]byte, sendfileSize), 0o644))
	res := getRaw(t, New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, p)
	})), "gzip")
	require.Empty(t, res.Header.Get("Content-Encoding"))
	n, err := io.Copy(io.Discard, res.Body)
	require.NoError(t, err)
	require.Equal(t, int64(sendfileSize), n)
}
