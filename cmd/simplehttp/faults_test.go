package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServedRootRenamed pins what the command answers when the directory
// it serves is renamed away, replaced by another, then removed, while it
// serves (README, "The simplehttp command"): never a 500, and the server
// goes on. By default the directory was opened once, at start (an
// os.Root), so the server follows it to its new name and ignores what
// takes its place; --follow-symlinks resolves the path on every request,
// so it serves whatever is at the path. CGI scripts are found through the
// same open directory and run from it, so they follow it too. Python
// resolves the path on every request, as --follow-symlinks does.
func TestServedRootRenamed(t *testing.T) {
	paths := []string{"/a.txt", "/", "/cgi-bin/wc.sh"}
	for _, tt := range []struct {
		name                       string
		args                       []string
		renamed, replaced, removed []int // statuses of paths at each stage
	}{
		{"default", nil, []int{200, 200, 200}, []int{200, 200, 200}, []int{404, 404, 404}},
		{"follow symlinks", []string{"--follow-symlinks"}, []int{404, 404, 404}, []int{200, 200, 404}, []int{200, 200, 404}},
		{"cgi", []string{"--cgi"}, []int{200, 200, 200}, []int{200, 200, 200}, []int{404, 404, 404}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := cgiFixture(t)
			s := startServer(t, append(tt.args, "-b", "127.0.0.1", "-d", dir, "0"), nil)
			statuses := func() []int {
				var got []int
				for _, p := range paths {
					resp, err := http.Get(s.url() + p)
					require.NoError(t, err, p)
					_, err = io.Copy(io.Discard, resp.Body)
					require.NoError(t, err, p)
					resp.Body.Close()
					got = append(got, resp.StatusCode)
				}
				return got
			}
			require.Equal(t, []int{200, 200, 200}, statuses())

			require.NoError(t, os.Rename(dir, dir+".moved"))
			assert.Equal(t, tt.renamed, statuses(), "renamed")
			require.NoError(t, os.MkdirAll(dir, 0o755))
			require.NoError(t, os.WriteFile(dir+"/a.txt", []byte("another\n"), 0o644))
			assert.Equal(t, tt.replaced, statuses(), "replaced")
			require.NoError(t, os.RemoveAll(dir+".moved"))
			assert.Equal(t, tt.removed, statuses(), "removed")
			assert.NotContains(t, s.stderr.String(), "panic")
		})
	}
}

// TestConnectionFaults pins what happens to clients that leave in odd
// ways: one that half-closes its side after the request (as `nc -N`
// does) still gets its file or listing whole; one that resets the
// connection in the middle of a download frees everything it held.
func TestConnectionFaults(t *testing.T) {
	dir := cgiFixture(t)
	s := startServer(t, []string{"-b", "127.0.0.1", "-p", "HTTP/1.1", "-d", dir, "0"}, nil)

	t.Run("half-close after the request", func(t *testing.T) {
		for _, p := range []string{"/a.txt", "/big.bin", "/"} {
			c := dial(t, s)
			_, err := io.WriteString(c, "GET "+p+" HTTP/1.0\r\n\r\n")
			require.NoError(t, err)
			require.NoError(t, c.(*net.TCPConn).CloseWrite())
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			require.NoError(t, err, p)
			n, err := io.Copy(io.Discard, resp.Body)
			c.Close()
			require.NoError(t, err, p)
			assert.Equal(t, http.StatusOK, resp.StatusCode, p)
			assert.Equal(t, resp.ContentLength, n, p)
		}
	})

	t.Run("reset mid-download", func(t *testing.T) {
		baseFDs, baseGoroutines := openFDs(t), runtime.NumGoroutine()
		for range 5 {
			c := dial(t, s)
			_, err := io.WriteString(c, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
			require.NoError(t, err)
			_, err = io.ReadFull(c, make([]byte, 64<<10))
			require.NoError(t, err)
			require.NoError(t, c.(*net.TCPConn).SetLinger(0)) // close sends RST
			require.NoError(t, c.Close())
		}
		waitSettled(t, baseFDs, baseGoroutines)
		resp, err := http.Get(s.url() + "/a.txt")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	})
}
