// Package oracle runs Python 3.12's http.server beside a test, so that tests
// can compare simplehttp with the program it reproduces. Tests that use it
// skip cleanly when Python 3.12 is not installed (through pyenv, as
// PYENV_VERSION=3.12.1 python3).
package oracle

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/simplehttp/simplehttp/internal/needs"
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

// Start runs `python3 -m http.server -b 127.0.0.1 -d dir 0` plus args (for
// example "--cgi"), reads the port Python bound from its banner, and stops
// it when the test ends. Python picks the port itself, so the comparison
// cannot talk to another process that took a port between our choosing
// it and Python binding it. It skips t when Python 3.12 is absent.
func Start(t testing.TB, dir string, args ...string) *Server {
	t.Helper()
	Require(t)
	argv := append([]string{"-m", "http.server", "-b", "127.0.0.1", "-d", dir}, args...)
	argv = append(argv, "0")
	s := &Server{stderr: &testutil.SyncBuffer{}}
	s.cmd = Command(context.Background(), argv...)
	s.cmd.Dir = dir
	s.cmd.Stderr = s.stderr
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatalf("oracle: %v", err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("oracle: starting python: %v", err)
	}
	t.Cleanup(func() {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
	})
	port := make(chan string, 1)
	go func() {
		// The banner, then nothing until Python exits; keep reading so
		// that Python never blocks on a full pipe.
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := banner.FindStringSubmatch(sc.Text()); m != nil && m[1] == m[2] {
				select {
				case port <- m[1]:
				default:
				}
			}
		}
		close(port)
	}()
	select {
	case p, ok := <-port:
		if !ok {
			t.Fatalf("oracle: python exited without its banner; stderr: %s", s.Stderr())
		}
		s.Addr = "127.0.0.1:" + p
	case <-time.After(15 * time.Second):
		t.Fatalf("oracle: no banner from python in 15 s; stderr: %s", s.Stderr())
	}
	s.URL = "http://" + s.Addr
	return s
}

// banner is the line Python's http.server prints once it listens, on
// 127.0.0.1 or, with "-b ::" among the args, on :: (dual stack, so
// 127.0.0.1 reaches it too).
var banner = regexp.MustCompile(`^Serving HTTP on (?:127\.0\.0\.1|::) port ([1-9][0-9]*) \(http://(?:127\.0\.0\.1|\[::\]):([0-9]+)/\) \.\.\.$`)

// Stderr returns what the server has written to stderr so far (its log).
func (s *Server) Stderr() string { return s.stderr.String() }

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
