package logging

import (
	"bytes"
	"fmt"
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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sendfileHelperEnv makes TestSendfileHelper serve instead of skipping; its
// value is "logger" (the file served behind the logger) or "hidden" (behind
// the logger and a careless wrapper that hides io.ReaderFrom).
const sendfileHelperEnv = "LOGGING_SENDFILE_HELPER"

const bigFileSize = 8 << 20

// TestSendfile proves that a large file served with http.ServeContent from
// an *os.File behind the logger still goes out through sendfile(2), and
// that the test would notice a wrapper that loses it: it runs
// TestSendfileHelper in a copy of this test binary under
// strace -f -e trace=sendfile and counts the sendfile calls that moved bytes.
func TestSendfile(t *testing.T) {
	if os.Getenv(sendfileHelperEnv) != "" {
		t.Skip("running as the helper")
	}
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace is not installed")
	}
	for _, tt := range []struct {
		mode         string
		wantSendfile bool
	}{
		{"logger", true},
		{"hidden", false},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			trace := filepath.Join(t.TempDir(), "trace")
			cmd := exec.Command(strace, "-f", "-qq", "-e", "trace=sendfile", "-o", trace,
				os.Args[0], "-test.run=^TestSendfileHelper$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), sendfileHelperEnv+"="+tt.mode)
			out, err := cmd.CombinedOutput()
			if bytes.Contains(out, []byte("PTRACE_TRACEME")) || bytes.Contains(out, []byte("Operation not permitted")) {
				t.Skipf("strace cannot trace here: %s", out)
			}
			require.NoError(t, err, "%s", out)
			require.Contains(t, string(out), "--- PASS: TestSendfileHelper", "%s", out)

			data, err := os.ReadFile(trace)
			require.NoError(t, err)
			calls, sent := countSendfile(string(data))
			t.Logf("%s: %d sendfile calls moved %d bytes", tt.mode, calls, sent)
			if tt.wantSendfile {
				assert.Positive(t, calls, "no sendfile call in:\n%s", data)
				assert.Greater(t, sent, int64(bigFileSize/2))
			} else {
				assert.Zero(t, calls, "sendfile calls in:\n%s", data)
			}
		})
	}
}

var sendfileResult = regexp.MustCompile(`sendfile.*= (\d+)`)

// countSendfile returns how many sendfile calls in an strace log returned a
// positive count, and the sum of those counts.
func countSendfile(trace string) (calls int, sent int64) {
	for _, line := range strings.Split(trace, "\n") {
		m := sendfileResult.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if n, err := strconv.ParseInt(m[1], 10, 64); err == nil && n > 0 {
			calls++
			sent += n
		}
	}
	return calls, sent
}

// TestSendfileHelper serves a large file through a real server, behind the
// logger in the Common format, fetches it, and checks the logged byte count.
// It runs only inside TestSendfile.
func TestSendfileHelper(t *testing.T) {
	mode := os.Getenv(sendfileHelperEnv)
	if mode == "" {
		t.Skip("helper process for TestSendfile")
	}
	path := filepath.Join(t.TempDir(), "big.bin")
	require.NoError(t, os.WriteFile(path, bytes.Repeat([]byte("0123456789abcdef"), bigFileSize/16), 0o644))

	files := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(path)
		if err != nil {
			http.Error(w, "File not found", http.StatusNotFound)
			return
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			http.Error(w, "File not found", http.StatusNotFound)
			return
		}
		http.ServeContent(w, r, "big.bin", fi.ModTime(), f)
	})
	lines := make(chan string, 1)
	var h http.Handler = files
	if mode == "hidden" {
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			files.ServeHTTP(struct{ http.ResponseWriter }{w}, r)
		})
	}
	h = New(lineWriter(lines), WithFormat(Common))(h)
	srv := httptest.NewServer(h)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/big.bin")
	require.NoError(t, err)
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, int64(bigFileSize), n)
	assert.Contains(t, <-lines, fmt.Sprintf(`"GET /big.bin HTTP/1.1" 200 %d`, bigFileSize))
}

// lineWriter sends every Write to a channel.
type lineWriter chan string

func (c lineWriter) Write(b []byte) (int, error) {
	c <- string(b)
	return len(b), nil
}
