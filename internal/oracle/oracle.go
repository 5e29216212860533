// Package oracle runs Python 3.12's http.server beside a test, so that tests
// can compare simplehttp with the program it reproduces. Tests that use it
// skip cleanly when Python 3.12 is not installed (through pyenv, as
// PYENV_VERSION=3.12.1 python3).
package oracle

import (
	"bytes"
	"context"
	"fmt"
	"github.com/simplehttp/simplehttp/internal/needs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

// Version is the pyenv version the oracle runs.
const Version = "3.12.1"

var (
	availableOnce sync.Once
	availableErr  error
)

// Command returns an *exec.Cmd running Python 3.12 with args.
func Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "python3", args...)
	cmd.Env = append(os.Environ(), "PYENV_VERSION="+Version, "PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1")
	return cmd
}

// Available reports whether Python 3.12 can be run, and why not.
func Available() error {
	availableOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		out, err := Command(ctx, "--version").CombinedOutput()
		switch {
		case err != nil:
			availableErr = fmt.Errorf("python %s not runnable: %v: %s", Version, err, bytes.TrimSpace(out))
		case !strings.HasPrefix(string(out), "Python 3.12"):
			availableErr = fmt.Errorf("python3 is %s, want 3.12", bytes.TrimSpace(out))
		}
	})
	return availableErr
}

// Require skips t when Python 3.12 is not available, and counts the test
// as one that ran or skipped with Python (internal/needs).
func Require(t testing.TB) {
	t.Helper()
	if err := Available(); err != nil {
		// Installed means pyenv has the version, runnable or not.
		needs.Skip(t, "python3.12", pyenvHas(Version), err.Error())
	}
	needs.Ran(t, "python3.12")
}

// Server is a running `python3 -m http.server`.
type Server struct {
	Addr string // host:port it listens on
	URL  string // "http://" + Addr

	cmd    *exec.Cmd
	stderr *testutil.SyncBuffer
}

// Start runs `python3 -m http.server -b 127.0.0.1 -d dir PORT` plus args
// (for example "--cgi") on a free port, waits until it accepts connections,
// and stops it when the test ends. It skips t when Python 3.12 is absent.
func Start(t testing.TB, dir string, args ...string) *Server {
	t.Helper()
	Require(t)
	port, err := FreePort()
	if err != nil {
		t.Fatalf("oracle: %v", err)
	}
	argv := append([]string{"-m", "http.server", "-b", "127.0.0.1", "-d", dir}, args...)
	argv = append(argv, fmt.Sprint(port))
	s := &Server{
		Addr:   fmt.Sprintf("127.0.0.1:%d", port),
		stderr: &testutil.SyncBuffer{},
	}
	s.URL = "http://" + s.Addr
	s.cmd = Command(context.Background(), argv...)
	s.cmd.Dir = dir
	s.cmd.Stderr = s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("oracle: starting python: %v", err)
	}
	t.Cleanup(func() {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", s.Addr, time.Second)
		if err == nil {
			c.Close()
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("oracle: python did not listen on %s: %v; stderr: %s", s.Addr, err, s.Stderr())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stderr returns what the server has written to stderr so far (its log).
func (s *Server) Stderr() string { return s.stderr.String() }

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// pyenvHas reports whether pyenv has Python version v installed.
func pyenvHas(v string) bool {
	root := os.Getenv("PYENV_ROOT")
	if root == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return false
		}
		root = filepath.Join(home, ".pyenv")
	}
	fi, err := os.Stat(filepath.Join(root, "versions", v))
	return err == nil && fi.IsDir()
}
