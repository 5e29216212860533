package fileserver_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/fileserver"
)

// TestFileChangesWhileServed changes a 64 MiB file (sparse, so cheap) after
// the response has started, over a real connection (sendfile): a file that
// grows is sent up to the Content-Length announced, never past it (Python
// sends what follows too); one that shrinks ends the response early, as the
// connection is closed, without a hang.
func TestFileChangesWhileServed(t *testing.T) {
	const size = 64 << 20
	tests := []struct {
		name    string
		change  func(p string) error
		wantErr error
	}{
		{"grows", func(p string) error {
			f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				return err
			}
			_, err = f.Write(make([]byte, 1<<20))
			return errors.Join(err, f.Close())
		}, nil},
		{"shrinks", func(p string) error { return os.Truncate(p, 1<<20) }, io.ErrUnexpectedEOF},
		// The open file goes on being sent whole; the new one is for the
		// next request.
		{"replaced", func(p string) error {
			q := p + ".new"
			if err := os.WriteFile(q, []byte("new"), 0o644); err != nil {
				return err
			}
			return os.Rename(q, p)
		}, nil},
		{"removed", os.Remove, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "f.bin")
			require.NoError(t, os.WriteFile(p, []byte("start"), 0o644))
			require.NoError(t, os.Truncate(p, size))
			fds := openFiles(t)
			srv := httptest.NewServer(fileserver.New(rootFS(t, dir).FS()))
			defer srv.Close()

			res, err := http.Get(srv.URL + "/f.bin")
			require.NoError(t, err)
			defer res.Body.Close()
			require.Equal(t, http.StatusOK, res.StatusCode)
			require.Equal(t, int64(size), res.ContentLength)
			first := make([]byte, 5)
			_, err = io.ReadFull(res.Body, first)
			require.NoError(t, err)
			assert.Equal(t, "start", string(first))

			require.NoError(t, tt.change(p))
			n, err := io.Copy(io.Discard, res.Body)
			if tt.wantErr == nil {
				assert.NoError(t, err)
				assert.Equal(t, int64(size-5), n)
			} else {
				assert.ErrorIs(t, err, tt.wantErr)
				assert.Less(t, n, int64(size-5))
			}
			res.Body.Close()
			srv.Close()
			assert.Eventually(t, func() bool { return openFiles(t) <= fds+1 }, 10*time.Second, 10*time.Millisecond,
				"the served file is closed (the root itself stays open until cleanup)")
		})
	}
}

// openFiles counts this process's open descriptors.
func openFiles(t *testing.T) int {
	t.Helper()
	des, err := os.ReadDir("/proc/self/fd")
	require.NoError(t, err)
	return len(des)
}
