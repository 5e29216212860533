package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests in this file run the real binary, built once, for what only a
// process shows: signals, exit statuses and what reaches stdout and stderr.

var (
	binaryOnce sync.Once
	binaryDir  string
	binaryPath string
	binaryErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binaryDir != "" {
		os.RemoveAll(binaryDir)
	}
	os.Exit(code)
}

// binary builds the command once and returns its path.
func binary(t *testing.T) string {
	t.Helper()
	binaryOnce.Do(func() {
		binaryDir, binaryErr = os.MkdirTemp("", "simplehttp-test-")
		if binaryErr != nil {
			return
		}
		binaryPath = filepath.Join(binaryDir, "simplehttp")
		out, err := exec.Command("go", "build", "-o", binaryPath, ".").CombinedOutput()
		if err != nil {
			binaryErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	require.NoError(t, binaryErr)
	return binaryPath
}

var bannerPort = regexp.MustCompile(`^Serving HTTP on 127\.0\.0\.1 port (\d+) \(http://127\.0\.0\.1:(\d+)/\) \.\.\.\n$`)

// TestSignals pins Ctrl-C (SIGINT) and SIGTERM on the real process: the
// download in flight completes, Python's "\nKeyboard interrupt received,
// exiting." goes to stdout, and the exit status is 0. (Python dies
// silently on SIGTERM and drops its requests on Ctrl-C.)
func TestSignals(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	const size = 64 << 20 // far more than the socket buffers hold
	big, err := os.Create(filepath.Join(dir, "big.bin"))
	require.NoError(t, err)
	require.NoError(t, big.Truncate(size)) // sparse: costs no disk
	require.NoError(t, big.Close())

	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(bin, "-b", "127.0.0.1", "-d", dir, "0")
			stdout, err := cmd.StdoutPipe()
			require.NoError(t, err)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			require.NoError(t, cmd.Start())
			defer cmd.Process.Kill()

			out := bufio.NewReader(stdout)
			banner, err := out.ReadString('\n')
			require.NoError(t, err)
			m := bannerPort.FindStringSubmatch(banner)
			require.NotNil(t, m, "banner %q", banner)
			assert.Equal(t, m[1], m[2])

			resp, err := http.Get("http://127.0.0.1:" + m[1] + "/big.bin")
			require.NoError(t, err)
			defer resp.Body.Close()
			// The headers are here, most of the body is not: the request is
			// in flight when the signal arrives.
			require.NoError(t, cmd.Process.Signal(sig))
			// The message comes at once, as Python prints it...
			blank, err := out.ReadString('\n')
			require.NoError(t, err)
			message, err := out.ReadString('\n')
			require.NoError(t, err)
			assert.Equal(t, "\nKeyboard interrupt received, exiting.\n", blank+message)
			// ...then the download finishes, then the process exits.
			n, err := io.Copy(io.Discard, resp.Body)
			require.NoError(t, err)
			assert.Equal(t, int64(size), n)
			rest, err := io.ReadAll(out)
			require.NoError(t, err)
			assert.Empty(t, string(rest))

			require.NoError(t, cmd.Wait(), "stderr: %s", stderr.String())
			assert.Equal(t, 0, cmd.ProcessState.ExitCode())
		})
	}
}

// TestExitStatus pins the process's exit statuses and streams: 2 and
// argparse's two lines on stderr for a usage error, 0 and the help on
// stdout for -h, 1 and one line on stderr when the port is taken.
func TestExitStatus(t *testing.T) {
	bin := binary(t)
	busy, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()
	busyPort := strconv.Itoa(busy.Addr().(*net.TCPAddr).Port)
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{name: "bad port", args: []string{"abc"}, wantCode: 2,
			wantStderr: usage + "simplehttp: error: argument port: invalid int value: 'abc'\n"},
		{name: "unknown option", args: []string{"8000", "--nope"}, wantCode: 2,
			wantStderr: usage + "simplehttp: error: unrecognized arguments: --nope\n"},
		{name: "help", args: []string{"-h"}, wantCode: 0, wantStdout: help},
		{name: "port in use", args: []string{"-b", "127.0.0.1", busyPort}, wantCode: 1,
			wantStderr: "simplehttp: cannot listen on 127.0.0.1:" + busyPort + ": address already in use\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(bin, tc.args...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			done := make(chan error, 1)
			require.NoError(t, cmd.Start())
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				t.Fatal("the command did not exit")
			}
			assert.Equal(t, tc.wantCode, cmd.ProcessState.ExitCode())
			assert.Equal(t, tc.wantStdout, stdout.String())
			assert.Equal(t, tc.wantStderr, stderr.String())
		})
	}
}
