package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cgiFixture is a served directory with a large file and a cgi-bin whose
// scripts echo their input, open to the user scripts run as.
func cgiFixture(t *testing.T) string {
	t.Helper()
	big := make([]byte, 8<<20)
	_, err := rand.Read(big)
	require.NoError(t, err)
	dir := fixture(t, map[string]string{
		"a.txt":          "hello\n",
		"big.bin":        string(big),
		"cgi-bin/cat.sh": "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nexec cat\n",
		"cgi-bin/wc.sh":  "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nwc -c\n",
	})
	require.NoError(t, filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Chmod(p, 0o755)
	}))
	for d := dir; d != "/"; d = filepath.Dir(d) {
		info, err := os.Stat(d)
		require.NoError(t, err)
		require.NoError(t, os.Chmod(d, info.Mode().Perm()|0o011))
	}
	return dir
}

// openFDs counts this process's open file descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(entries)
}

// children lists the processes whose parent is this process (scripts).
func children(t *testing.T) []string {
	t.Helper()
	procs, err := filepath.Glob("/proc/[0-9]*/stat")
	require.NoError(t, err)
	self := strconv.Itoa(os.Getpid())
	var kids []string
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		if f := strings.Fields(s[i+1:]); len(f) > 1 && f[1] == self {
			kids = append(kids, s[:i+1])
		}
	}
	return kids
}

// dial opens a raw connection with a deadline that bounds the scenario.
func dial(t *testing.T, s *server) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", s.addr.String())
	require.NoError(t, err)
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	return conn
}

// readAll reads what the server sends until it hangs up, failing when it
// keeps the connection past the deadline.
func readAll(t *testing.T, conn net.Conn) string {
	t.Helper()
	b, err := io.ReadAll(conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the server kept the connection; got %q", truncate(b))
	}
	return string(b)
}

func truncate(b []byte) []byte {
	if len(b) > 200 {
		return b[:200]
	}
	return b
}

// TestAdversarialClients drives the command with clients that misbehave at
// the socket level and checks after each that the server has let go of
// everything they held (goroutines, file descriptors, scripts) and still
// answers: the CLI's promise of a clear 4xx (or a closed connection) for
// bad input, never a hang or a leak.
func TestAdversarialClients(t *testing.T) {
	dir := cgiFixture(t)
	s := startServer(t, []string{"--cgi", "-b", "127.0.0.1", "-p", "HTTP/1.1", "-d", dir, "0"}, func(c *command) {
		c.timeouts.readHeader = 300 * time.Millisecond
		c.timeouts.idle = 300 * time.Millisecond
	})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	answers := func(t *testing.T) {
		t.Helper()
		res, err := client.Get(s.url() + "/a.txt")
		require.NoError(t, err)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		assert.Equal(t, http.StatusOK, res.StatusCode)
		assert.Equal(t, "hello\n", string(body))
	}
	answers(t)
	// Each scenario runs as a subtest, in a goroutine of its own.
	baseFDs, baseGoroutines := openFDs(t), runtime.NumGoroutine()+1

	settled := func(t *testing.T) {
		t.Helper()
		waitSettled(t, baseFDs, baseGoroutines)
		answers(t)
	}

	t.Run("slowloris", func(t *testing.T) {
		var wg sync.WaitGroup
		for range 20 {
			conn := dial(t, s)
			wg.Go(func() {
				defer conn.Close()
				if _, err := io.WriteString(conn, "GET /a.txt HTTP/1.1\r\nHost: x\r\nX-Slow: "); err != nil {
					return
				}
				for range 200 { // 4 s of trickle, far longer than the timeout
					if _, err := conn.Write([]byte("a")); err != nil {
						return // cut off, as it should be
					}
					time.Sleep(20 * time.Millisecond)
				}
				t.Error("the server took a trickle of headers for 4 s")
			})
		}
		wg.Wait()
		settled(t)
	})

	t.Run("pipelined requests", func(t *testing.T) {
		conn := dial(t, s)
		defer conn.Close()
		var req strings.Builder
		for range 50 {
			req.WriteString("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n")
		}
		req.WriteString("POST /cgi-bin/cat.sh HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
		req.WriteString("GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		_, err := io.WriteString(conn, req.String())
		require.NoError(t, err)
		br := bufio.NewReader(conn)
		for i := range 52 {
			res, err := http.ReadResponse(br, nil)
			require.NoError(t, err, "response %d", i)
			body, err := io.ReadAll(res.Body)
			require.NoError(t, err)
			want := "hello\n"
			if i == 50 {
				want = "hello"
			}
			assert.Equal(t, want, string(body), "response %d", i)
		}
		conn.Close()
		settled(t)
	})

	t.Run("huge headers and request lines", func(t *testing.T) {
		for name, req := range map[string]string{
			"one huge header":   "GET /a.txt HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 2<<20) + "\r\n\r\n",
			"many headers":      "GET /a.txt HTTP/1.1\r\nHost: x\r\n" + strings.Repeat("X: y\r\n", 300000) + "\r\n",
			"huge request line": "GET /" + strings.Repeat("a", 2<<20) + " HTTP/1.1\r\nHost: x\r\n\r\n",
		} {
			conn := dial(t, s)
			go func() { _, _ = io.WriteString(conn, req) }() // the server may stop reading
			got := readAll(t, conn)
			conn.Close()
			// net/http answers 431 and closes while the client is still
			// sending, so the kernel may reset the connection and drop
			// the 431 before the client reads it: either is a refusal.
			assert.True(t, got == "" || strings.HasPrefix(got, "HTTP/1.1 431 "), "%s: %q", name, truncate([]byte(got)))
		}
		settled(t)
	})

	t.Run("Expect: 100-continue to a script", func(t *testing.T) {
		conn := dial(t, s)
		defer conn.Close()
		_, err := io.WriteString(conn, "POST /cgi-bin/cat.sh HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\n")
		require.NoError(t, err)
		br := bufio.NewReader(conn)
		line, err := br.ReadString('\n')
		require.NoError(t, err)
		require.Equal(t, "HTTP/1.1 100 Continue\r\n", line)
		_, err = br.ReadString('\n')
		require.NoError(t, err)
		_, err = io.WriteString(conn, "hello")
		require.NoError(t, err)
		res, err := http.ReadResponse(br, nil)
		require.NoError(t, err)
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		assert.Equal(t, "hello", string(body))
		conn.Close()
		settled(t)
	})

	t.Run("bodies on GET and HEAD", func(t *testing.T) {
		for _, target := range []string{"/a.txt", "/", "/cgi-bin/cat.sh"} {
			for _, method := range []string{"GET", "HEAD"} {
				conn := dial(t, s)
				fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world"+
					"GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", method, target)
				got := readAll(t, conn)
				conn.Close()
				assert.Equal(t, 2, strings.Count(got, "HTTP/1.1 200 OK\r\n"), "%s %s: %q", method, target, truncate([]byte(got)))
				assert.True(t, strings.HasSuffix(got, "\r\n\r\nhello\n"), "%s %s: the next request was not answered", method, target)
			}
		}
		settled(t)
	})

	t.Run("interrupted downloads", func(t *testing.T) {
		var wg sync.WaitGroup
		for i := range 16 {
			wg.Go(func() {
				conn := dial(t, s)
				defer conn.Close()
				if _, err := io.WriteString(conn, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
					return
				}
				_, _ = io.CopyN(io.Discard, conn, int64(i+1)*100<<10)
				if i%2 == 1 {
					_ = conn.(*net.TCPConn).SetLinger(0) // reset, not a FIN
				}
			})
		}
		wg.Wait()
		settled(t)
	})

	t.Run("abandoned CGI uploads", func(t *testing.T) {
		for _, tc := range []struct{ head, body string }{
			{"POST /cgi-bin/wc.sh HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n", strings.Repeat("u", 1<<20)},
			{"POST /cgi-bin/cat.sh HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n", strings.Repeat("u", 1<<20)},
			{"POST /cgi-bin/wc.sh HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n100000\r\n", strings.Repeat("c", 1000)},
		} {
			conn := dial(t, s)
			go func() { _, _ = io.WriteString(conn, tc.head+tc.body) }()
			require.Eventually(t, func() bool { return len(children(t)) > 0 || strings.Contains(tc.head, "chunked") },
				5*time.Second, 10*time.Millisecond, "the script did not start")
			conn.Close()
		}
		settled(t)
	})

	t.Run("a whole upload reaches the script", func(t *testing.T) {
		conn := dial(t, s)
		defer conn.Close()
		const n = 8 << 20
		go func() {
			fmt.Fprintf(conn, "POST /cgi-bin/wc.sh HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", n)
			_, _ = io.Copy(conn, io.LimitReader(zeros{}, n))
		}()
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err)
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		assert.Equal(t, strconv.Itoa(n), string(bytes.TrimSpace(body)))
		conn.Close()
		settled(t)
	})
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestTLSHandshakeNeverFinishes pins that clients that open a TLS
// connection and never complete the handshake (silent, half a
// ClientHello, plain HTTP) are cut off by the header timeout and leave
// nothing behind.
func TestTLSHandshakeNeverFinishes(t *testing.T) {
	dir := fixture(t, map[string]string{"a.txt": "hello"})
	certFile, keyFile, _ := writeCertificate(t)
	s := startServer(t, []string{"-b", "127.0.0.1", "--tls-cert", certFile, "--tls-key", keyFile, "-d", dir, "0"}, func(c *command) {
		c.timeouts.readHeader = 300 * time.Millisecond
	})
	baseFDs, baseGoroutines := openFDs(t), runtime.NumGoroutine()
	var wg sync.WaitGroup
	for i := range 15 {
		wg.Go(func() {
			conn := dial(t, s)
			defer conn.Close()
			switch i % 3 {
			case 1:
				_, _ = conn.Write([]byte("\x16\x03\x01\x00\xff\x01\x00\x00\xfb\x03\x03")) // half a ClientHello
			case 2:
				_, _ = io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
			}
			readAll(t, conn)
		})
	}
	wg.Wait()
	waitSettled(t, baseFDs, baseGoroutines)
}

// waitSettled waits (at most 5 s) until this process is back to at most
// fds open file descriptors and goroutines goroutines, with no child
// process, and fails the test if it is not.
func waitSettled(t *testing.T, fds, goroutines int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		nowFDs, nowGoroutines, kids := openFDs(t), runtime.NumGoroutine(), children(t)
		if nowFDs <= fds && nowGoroutines <= goroutines && len(kids) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("after the scenario: %d fds (before: %d), %d goroutines (before: %d), scripts %q",
				nowFDs, fds, nowGoroutines, goroutines, kids)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
