package fileserver_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/fileserver"
)

const (
	sendfileEnv  = "FILESERVER_SENDFILE_CHILD_DIR"
	sendfileSize = 8 << 20
)

// TestSendfile proves that files from an os.Root go out through the
// sendfile system call (zero-copy), by running TestSendfileChild, which
// serves an 8 MiB file over a real TCP connection, under strace and adding
// up what sendfile returned. It is skipped when strace is missing or
// cannot trace here.
func TestSendfile(t *testing.T) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace not installed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, strace, "-f", "-o", os.DevNull, "true").CombinedOutput(); err != nil {
		t.Skipf("strace cannot trace here: %v: %s", err, out)
	}

	dir := t.TempDir()
	big := make([]byte, sendfileSize)
	for i := range big {
		big[i] = byte(i * 7)
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "big.bin"), big, 0o644))
	trace := filepath.Join(t.TempDir(), "trace")

	cmd := exec.CommandContext(ctx, strace, "-f", "-e", "trace=sendfile", "-o", trace,
		os.Args[0], "-test.run=^TestSendfileChild$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), sendfileEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Contains(t, string(out), "--- PASS: TestSendfileChild", "%s", out)

	calls, bytes := sendfileTotals(t, trace)
	t.Logf("sendfile: %d calls, %d bytes", calls, bytes)
	assert.Positive(t, calls, "no sendfile call")
	// net/http writes the first 512 bytes itself before it hands the rest
	// of the file to the connection's ReadFrom (golang.org/issue/5660).
	// The child fetches the file twice (default options, then
	// WithoutRanges, whose writer wrapper must keep ReadFrom).
	assert.GreaterOrEqual(t, bytes, int64(2*(sendfileSize-512)), "the file did not go out through sendfile")
}

// sendfileTotals counts the sendfile calls in an strace -f log and adds up
// their results, including calls split into "<unfinished ...>" and
// "<... sendfile resumed>" lines.
func sendfileTotals(t *testing.T, trace string) (calls int, bytes int64) {
	f, err := os.Open(trace)
	require.NoError(t, err)
	defer f.Close()
	result := regexp.MustCompile(`\)\s+=\s+(\d+)`)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.Contains(line, "sendfile") {
			continue
		}
		if !strings.Contains(line, "resumed>") {
			calls++
		}
		if m := result.FindStringSubmatch(line); m != nil {
			n, err := strconv.ParseInt(m[1], 10, 64)
			require.NoError(t, err)
			bytes += n
		}
	}
	require.NoError(t, sc.Err())
	return calls, bytes
}

// TestSendfileChild is run by TestSendfile under strace; on its own it
// skips.
func TestSendfileChild(t *testing.T) {
	dir := os.Getenv(sendfileEnv)
	if dir == "" {
		t.Skip("run by TestSendfile")
	}
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	defer root.Close()
	fsys := root.FS()
	for _, h := range []http.Handler{
		fileserver.Index(fsys)(fileserver.New(fsys)),
		fileserver.New(fsys, fileserver.WithoutRanges()),
	} {
		srv := httptest.NewServer(h)
		res, err := http.Get(srv.URL + "/big.bin")
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, res.StatusCode)
		n, err := io.Copy(io.Discard, res.Body)
		require.NoError(t, err)
		require.Equal(t, int64(sendfileSize), n)
		res.Body.Close()
		srv.Close()
	}
}
