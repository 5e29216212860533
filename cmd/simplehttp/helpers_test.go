package main

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

// server is the command running in-process.
type server struct {
	addr      *net.TCPAddr
	stdout    *testutil.SyncBuffer
	stderr    *testutil.SyncBuffer
	interrupt chan os.Signal
	exit      chan int
}

// startServer runs the command with args in a goroutine and waits until it
// listens. setup may change the command's hooks before it runs. The server
// is interrupted and awaited when the test ends, if it still runs.
func startServer(t *testing.T, args []string, setup func(*command)) *server {
	t.Helper()
	s := &server{
		stdout:    &testutil.SyncBuffer{},
		stderr:    &testutil.SyncBuffer{},
		interrupt: make(chan os.Signal, 2),
		exit:      make(chan int, 1),
	}
	listening := make(chan net.Addr, 1)
	c := &command{
		stdout:    s.stdout,
		stderr:    s.stderr,
		interrupt: s.interrupt,
		timeouts:  defaultTimeouts,
		listening: func(a net.Addr) { listening <- a },
	}
	if setup != nil {
		setup(c)
	}
	go func() { s.exit <- c.run(args) }()
	select {
	case a := <-listening:
		s.addr = a.(*net.TCPAddr)
	case code := <-s.exit:
		t.Fatalf("simplehttp %q exited with %d before listening; stderr: %s", args, code, s.stderr)
	case <-time.After(10 * time.Second):
		t.Fatalf("simplehttp %q did not listen", args)
	}
	t.Cleanup(func() {
		// A second interrupt stops waiting for requests in flight.
		for range 2 {
			select {
			case s.interrupt <- os.Interrupt:
			default:
			}
		}
		select {
		case <-s.exit:
		case <-time.After(10 * time.Second):
			t.Errorf("simplehttp %q did not exit", args)
		}
	})
	return s
}

// stop interrupts the server as Ctrl-C does and returns its exit status.
func (s *server) stop(t *testing.T) int {
	t.Helper()
	s.interrupt <- os.Interrupt
	select {
	case code := <-s.exit:
		s.exit <- code // for the cleanup
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("simplehttp did not exit after the interrupt")
		return -1
	}
}

// url is the server's base URL on loopback.
func (s *server) url() string {
	return "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(s.addr.Port))
}

// fixture writes files (name → content) under a new temporary directory.
func fixture(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return dir
}
