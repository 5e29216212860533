package cgi

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWaitExited pins waitExited: it returns once the process has exited,
// not before, and leaves it unreaped (a zombie whose pid, the id of its
// process group, cannot be reused), for Wait to reap.
func TestWaitExited(t *testing.T) {
	cmd := exec.Command("/bin/sh", "-c", "read x; exit 0")
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- waitExited(cmd.Process.Pid) }()
	select {
	case err := <-done:
		t.Fatalf("waitExited returned %v while the process runs", err)
	case <-time.After(100 * time.Millisecond):
	}
	require.NoError(t, stdin.Close()) // the script exits
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("waitExited did not return after the process exited")
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/stat")
	require.NoError(t, err, "the process was reaped")
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	assert.Equal(t, "Z", fields[0], "state")
	require.NoError(t, cmd.Wait())
}
