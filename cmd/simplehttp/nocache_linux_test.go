package main

import (
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoCacheOpensEveryTime checks --no-cache end to end by counting, with
// inotify, how often the server opens a small settled file: with the cache
// the first request reads it and the next ones are answered from memory
// after a stat (no open); with --no-cache every request opens it. The body
// is the file's either way.
func TestNoCacheOpensEveryTime(t *testing.T) {
	dir := fixture(t, map[string]string{"small.txt": "cached or not\n"})
	file := filepath.Join(dir, "small.txt")
	// The cache takes only files whose last change (ctime) is 2 s old.
	fi, err := os.Stat(file)
	require.NoError(t, err)
	ctime := time.Unix(fi.Sys().(*syscall.Stat_t).Ctim.Unix())
	time.Sleep(time.Until(ctime.Add(2100 * time.Millisecond)))

	for _, tc := range []struct {
		name  string
		args  []string
		opens int // after the first request
	}{
		{"cache", nil, 0},
		{"no cache", []string{"--no-cache"}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t, append(tc.args, "-b", "127.0.0.1", "-d", dir, "0"), nil)
			get := func() {
				t.Helper()
				resp, body := rawRequest(t, s.addr.String(), "GET", "/small.txt")
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				assert.Equal(t, "cached or not\n", string(body))
			}
			get()
			opens := countOpens(t, file, func() {
				for range 3 {
					get()
				}
			})
			assert.Equal(t, tc.opens, opens, "opens of the file over three requests after the first")
		})
	}
}

// countOpens runs f and returns how many times file was opened meanwhile.
func countOpens(t *testing.T, file string, f func()) int {
	t.Helper()
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC | syscall.IN_NONBLOCK)
	require.NoError(t, err)
	defer syscall.Close(fd)
	// Closes are watched too: inotify merges an event into the last one
	// queued when they are alike, so opens alone would count as one.
	_, err = syscall.InotifyAddWatch(fd, file, syscall.IN_OPEN|syscall.IN_CLOSE)
	require.NoError(t, err)
	f()
	opens := 0
	buf := make([]byte, 64<<10)
	for {
		n, err := syscall.Read(fd, buf)
		if err == syscall.EAGAIN {
			return opens
		}
		require.NoError(t, err)
		for off := 0; off+syscall.SizeofInotifyEvent <= n; {
			ev := (*syscall.InotifyEvent)(unsafe.Pointer(&buf[off]))
			if ev.Mask&syscall.IN_OPEN != 0 {
				opens++
			}
			off += syscall.SizeofInotifyEvent + int(ev.Len)
		}
	}
}
