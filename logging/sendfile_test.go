package logging

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/sendfiletest"
)

// sendfileModeEnv tells TestSendfileHelper what to serve: "logger" (the
// file behind the logger) or "hidden" (behind the logger and a careless
// wrapper that hides io.ReaderFrom).
const sendfileModeEnv = "LOGGING_SENDFILE_MODE"

const bigFileSize = 8 << 20

// TestSendfile proves that a large file served with http.ServeContent from
// an *os.File behind the logger still goes out through sendfile(2), and
// that the test would notice a wrapper that loses it: it runs
// TestSendfileHelper in a copy of this test binary under strace and counts
// the sendfile calls that moved bytes.
func TestSendfile(t *testing.T) {
	for _, tt := range []struct {
		mode         string
		wantSendfile bool
	}{
		{"logger", true},
		{"hidden", false},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			res := sendfiletest.Run(t, "TestSendfileHelper", sendfileModeEnv+"="+tt.mode)
			if tt.wantSendfile {
				assert.Positive(t, res.Calls, "no sendfile call")
				// All but the 512 bytes net/http writes itself.
				assert.GreaterOrEqual(t, res.Bytes, int64(bigFileSize-512))
			} else {
				assert.Zero(t, res.Calls, "sendfile calls")
			}
		})
	}
}

// TestSendfileHelper serves a large file through a real server, behind the
// logger in the Common format, fetches it, and checks the logged byte count.
// It runs only inside TestSendfile.
func TestSendfileHelper(t *testing.T) {
	sendfiletest.Child(t)
	mode := os.Getenv(sendfileModeEnv)
	require.Contains(t, []string{"logger", "hidden"}, mode)
	path := filepath.Join(t.TempDir(), "big.bin")
	require.NoError(t, os.WriteFile(path, bytes.Repeat([]byte("0123456789abcdef"), bigFileSize/16), 0o644))

	files := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(path)
		if err != nil {
			http.Error(w, "File not found", http.StatusNotFound)
			return
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			http.Error(w, "File not found", http.StatusNotFound)
			return
		}
		http.ServeContent(w, r, "big.bin", fi.ModTime(), f)
	})
	lines := make(chan string, 1)
	var h http.Handler = files
	if mode == "hidden" {
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			files.ServeHTTP(struct{ http.ResponseWriter }{w}, r)
		})
	}
	h = New(lineWriter(lines), WithFormat(Common))(h)
	srv := httptest.NewServer(h)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/big.bin")
	require.NoError(t, err)
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, int64(bigFileSize), n)
	assert.Contains(t, <-lines, fmt.Sprintf(`"GET /big.bin HTTP/1.1" 200 %d`, bigFileSize))
}

// lineWriter sends every Write to a channel.
type lineWriter chan string

func (c lineWriter) Write(b []byte) (int, error) {
	c <- string(b)
	return len(b), nil
}
