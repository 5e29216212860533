package logging

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

// TestCommonByteCounts serves a file with http.ServeContent in a real
// server behind the Common logger and checks that every line counts the
// body bytes the client received: HEAD and 304 none ("-"), one range and
// several (multipart), and a large file that goes out through sendfile.
func TestCommonByteCounts(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.txt")
	large := filepath.Join(dir, "large.bin")
	require.NoError(t, os.WriteFile(small, []byte(strings.Repeat("abcdefghij", 100)), 0o644))
	require.NoError(t, os.WriteFile(large, []byte(strings.Repeat("0123456789abcdef", 1<<16)), 0o644))
	modified := time.Date(2020, time.January, 1, 0, 0, 0, 0, time.UTC)

	var log testutil.SyncBuffer
	h := New(&log, WithFormat(Common))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(filepath.Join(dir, r.URL.Path))
		if err != nil {
			http.Error(w, "File not found", http.StatusNotFound)
			return
		}
		defer f.Close()
		http.ServeContent(w, r, r.URL.Path, modified, f)
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()

	tests := []struct {
		method, path string
		header       http.Header
		status       int
	}{
		{"GET", "/small.txt", nil, 200},
		{"HEAD", "/small.txt", nil, 200},
		{"GET", "/small.txt", http.Header{"If-Modified-Since": {modified.Format(http.TimeFormat)}}, 304},
		{"GET", "/small.txt", http.Header{"Range": {"bytes=10-19"}}, 206},
		{"GET", "/small.txt", http.Header{"Range": {"bytes=0-0,-5"}}, 206},
		{"GET", "/small.txt", http.Header{"Range": {"bytes=5000-"}}, 416},
		{"GET", "/large.bin", nil, 200},
		{"GET", "/large.bin", http.Header{"Range": {"bytes=100-"}}, 206},
		{"HEAD", "/large.bin", nil, 200},
		{"GET", "/missing", nil, 404},
	}
	var want []string
	for _, tt := range tests {
		req, err := http.NewRequest(tt.method, srv.URL+tt.path, nil)
		require.NoError(t, err)
		req.Header = tt.header
		if req.Header == nil {
			req.Header = http.Header{}
		}
		req.Header.Set("Accept-Encoding", "identity")
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		require.Equal(t, tt.status, resp.StatusCode, "%s %s %v", tt.method, tt.path, tt.header)
		size := "-"
		if n > 0 {
			size = strconv.FormatInt(n, 10)
		}
		want = append(want, `"`+tt.method+" "+tt.path+` HTTP/1.1" `+strconv.Itoa(tt.status)+" "+size)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSuffix(log.String(), "\n"), "\n") {
		_, after, ok := strings.Cut(line, "] ")
		require.True(t, ok, line)
		got = append(got, after)
	}
	assert.Equal(t, want, got)
}
