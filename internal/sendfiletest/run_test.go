package sendfiletest_test

import (
	"bytes"
	"github.com/simplehttp/simplehttp/internal/needs"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/sendfiletest"
)

// modeEnv tells TestRunChild how to serve: "plain" hands the server's own
// writer to http.ServeContent, "hidden" hides its io.ReaderFrom.
const modeEnv = "SENDFILETEST_MODE"

const size = 4 << 20

// TestRun proves that Run sees sendfile where net/http uses it, and sees
// none where a wrapper hides io.ReaderFrom: the proof can fail.
func TestRun(t *testing.T) {
	for _, tt := range []struct {
		mode string
		want func(t *testing.T, res sendfiletest.Result)
	}{
		{"plain", func(t *testing.T, res sendfiletest.Result) {
			assert.Positive(t, res.Calls)
			assert.GreaterOrEqual(t, res.Bytes, int64(size-512))
			assert.LessOrEqual(t, res.Bytes, int64(size))
		}},
		{"hidden", func(t *testing.T, res sendfiletest.Result) {
			assert.Zero(t, res.Calls)
			assert.Zero(t, res.Bytes)
		}},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			tt.want(t, sendfiletest.Run(t, "TestRunChild", modeEnv+"="+tt.mode))
		})
	}
}

// TestRunChild serves a file with http.ServeContent over a real
// connection and fetches it, under strace when TestRun runs it.
func TestRunChild(t *testing.T) {
	sendfiletest.Child(t)
	mode := os.Getenv(modeEnv)
	require.Contains(t, []string{"plain", "hidden"}, mode)
	path := filepath.Join(t.TempDir(), "big.bin")
	require.NoError(t, os.WriteFile(path, bytes.Repeat([]byte("sendfile"), size/8), 0o644))

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(path)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer f.Close()
		if mode == "hidden" {
			w = struct{ http.ResponseWriter }{w}
		}
		http.ServeContent(w, r, "big.bin", time.Time{}, f)
	}))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/big.bin")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	n, err := io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	require.EqualValues(t, size, n)
}

// TestChildSkips checks that a child test skips when run on its own.
func TestChildSkips(t *testing.T) {
	require.False(t, sendfiletest.IsChild())
	ran := t.Run("TestRunChild", func(t *testing.T) {
		sendfiletest.Child(t)
		t.Error("not skipped")
	})
	assert.True(t, ran)
}

// TestRunSkips checks that Run skips, rather than fails, where it cannot
// prove anything: no strace on the PATH, or an strace that may not trace
// (as in a container without ptrace; the fake prints what strace 6.1 does
// there).
func TestRunSkips(t *testing.T) {
	for _, tt := range []struct {
		name   string
		strace string // the fake strace script; "" for none
	}{
		{"no strace", ""},
		{"ptrace not permitted", "#!/bin/sh\necho 'strace: test_ptrace_get_syscall_info: PTRACE_TRACEME: Operation not permitted' >&2\nexit 1\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bin := t.TempDir()
			if tt.strace != "" {
				require.NoError(t, os.WriteFile(filepath.Join(bin, "strace"), []byte(tt.strace), 0o755))
			}
			t.Setenv("PATH", bin)
			// Outside CI, and not counted: under CI=true an strace that
			// is installed but cannot trace fails the test instead
			// (internal/needs).
			t.Setenv("CI", "")
			t.Setenv(needs.LogEnv, "")
			var skipped bool
			t.Run("Run", func(t *testing.T) {
				t.Cleanup(func() { skipped = t.Skipped() })
				sendfiletest.Run(t, "TestRunChild", modeEnv+"=plain")
				t.Error("Run returned")
			})
			assert.True(t, skipped, "Run did not skip")
		})
	}
}
