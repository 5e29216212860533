package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

// limitedServer runs the built command with an open-file limit of nofile
// and returns its address and stderr. It is interrupted when the test
// ends.
func limitedServer(t *testing.T, nofile int, args ...string) (string, *testutil.SyncBuffer) {
	t.Helper()
	bin := binary(t)
	// The shell sets the limit for itself and the command it becomes,
	// as prlimit --nofile would.
	cmd := exec.Command("sh", append([]string{"-c", fmt.Sprintf(`ulimit -n %d && exec "$0" "$@"`, nofile), bin}, args...)...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr := &testutil.SyncBuffer{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			assert.NoError(t, err, "stderr: %s", stderr)
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			<-done
			t.Error("the command did not exit after the interrupt")
		}
	})
	banner, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err, "stderr: %s", stderr)
	m := bannerPort.FindStringSubmatch(banner)
	require.NotNil(t, m, "banner %q", banner)
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return "127.0.0.1:" + m[1], stderr
}

// idleClients opens n connections to addr that send nothing yet.
func idleClients(t *testing.T, addr string, n int) []net.Conn {
	t.Helper()
	conns := make([]net.Conn, n)
	for i := range conns {
		c, err := net.DialTimeout("tcp", addr, 10*time.Second)
		require.NoError(t, err, "client %d", i)
		require.NoError(t, c.SetDeadline(time.Now().Add(60*time.Second)))
		conns[i] = c
	}
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	return conns
}

// getAll sends GET path on every connection (one request each, HTTP/1.0)
// and returns how many answers had each status, checking each 200's body.
func getAll(t *testing.T, conns []net.Conn, path, body string) map[int]int {
	t.Helper()
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Go(func() {
			status := -1
			defer func() {
				mu.Lock()
				statuses[status]++
				mu.Unlock()
			}()
			if _, err := io.WriteString(c, "GET "+path+" HTTP/1.0\r\n\r\n"); err != nil {
				return
			}
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				return
			}
			b, err := io.ReadAll(resp.Body)
			status = resp.StatusCode
			if status == http.StatusOK && (err != nil || string(b) != body) {
				status = -2 // a 200 with a wrong body
			}
		})
	}
	wg.Wait()
	return statuses
}

// TestDescriptorExhaustion runs the command with 256 descriptors against
// 400 clients. With the default connection limit (derived from the
// descriptor limit) every connection it accepts can be served: all 400
// GETs are answered 200 with the file, where a server that accepted until
// no descriptor was left answered the files it could not open with 404.
// The limit being reached is logged once, not once per connection.
func TestDescriptorExhaustion(t *testing.T) {
	dir := fixture(t, map[string]string{"a.txt": "hello\n"})
	addr, stderr := limitedServer(t, 256, "-b", "127.0.0.1", "-d", dir, "0")

	conns := idleClients(t, addr, 400)
	conns = append(conns, idleClients(t, addr, 20)...)
	statuses := getAll(t, conns, "/a.txt", "hello\n")
	assert.Equal(t, map[int]int{http.StatusOK: len(conns)}, statuses, "stderr: %s", stderr)

	log := stderr.String()
	assert.Equal(t, 1, strings.Count(log, "connections open, the limit (--max-connections)"), "log:\n%s", log)
	assert.NotContains(t, log, "too many open files")
}

// TestAcceptRidesOutEMFILE runs the command with a connection limit above
// what its 256 descriptors allow: accepting fails with EMFILE while 400
// clients sit idle. The command neither exits nor spins, logs the
// condition once per interval (a minute) rather than once per retry as
// net/http's own loop does, and serves again as soon as the clients leave.
func TestAcceptRidesOutEMFILE(t *testing.T) {
	dir := fixture(t, map[string]string{"a.txt": "hello\n"})
	addr, stderr := limitedServer(t, 256, "--max-connections", "1000", "-b", "127.0.0.1", "-d", dir, "0")

	conns := idleClients(t, addr, 400)
	require.Eventually(t, func() bool { return strings.Contains(stderr.String(), "too many open files") },
		20*time.Second, 10*time.Millisecond, "accepting never failed; stderr: %s", stderr)
	// The shortage lasts: net/http's loop would retry (and log) seven
	// times meanwhile.
	time.Sleep(500 * time.Millisecond)
	for _, c := range conns {
		c.Close()
	}

	statuses := getAll(t, idleClients(t, addr, 20), "/a.txt", "hello\n")
	assert.Equal(t, map[int]int{http.StatusOK: 20}, statuses, "stderr: %s", stderr)
	log := stderr.String()
	assert.Equal(t, 1, strings.Count(log, "too many open files"), "log:\n%s", log)
	assert.NotContains(t, log, "Accept error")
}
