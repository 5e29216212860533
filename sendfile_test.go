package simplehttp

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/sendfiletest"
	"github.com/simplehttp/simplehttp/internal/testutil"
)

// sendfileModeEnv tells TestSendfileChild which handler to serve: "root"
// (NewHandler's default, the directory as an os.Root), "follow"
// (WithFollowSymlinks, an os.DirFS) or "hidden" (the default stack behind a
// careless wrapper that hides io.ReaderFrom: the control).
const sendfileModeEnv = "SIMPLEHTTP_SENDFILE_MODE"

const sendfileSize = 8 << 20

// sendfileFetches are the requests TestSendfileChild sends, each answered
// with the whole 8 MiB file: a plain GET, one whose If-None-Match puts the
// conditional middleware's writer wrapper in place, and a directory whose
// index.html the Index middleware serves.
var sendfileFetches = []struct {
	path, header string
}{
	{"/big.bin", ""},
	{"/big.bin", `If-None-Match: "nope"`},
	{"/site/", ""},
}

// TestSendfile proves SPEC §3's zero-copy rule for the whole stack: with
// every middleware in front (errorpage, logging, conditional, index,
// dirlist, the file server), a large file still goes out through
// sendfile(2). It runs TestSendfileChild under strace and adds up what
// sendfile moved: all of every file but the first 512 bytes, which
// net/http writes itself. The control hides io.ReaderFrom in front of the
// stack and must see no sendfile at all, so the proof can fail.
func TestSendfile(t *testing.T) {
	n := int64(len(sendfileFetches))
	for _, tt := range []struct {
		mode string
		want func(t *testing.T, res sendfiletest.Result)
	}{
		{"root", func(t *testing.T, res sendfiletest.Result) {
			assert.Positive(t, res.Calls, "no sendfile call")
			assert.GreaterOrEqual(t, res.Bytes, n*(sendfileSize-512), "the files did not go out through sendfile")
			assert.LessOrEqual(t, res.Bytes, n*sendfileSize)
		}},
		{"follow", func(t *testing.T, res sendfiletest.Result) {
			assert.Positive(t, res.Calls, "no sendfile call")
			assert.GreaterOrEqual(t, res.Bytes, n*(sendfileSize-512), "the files did not go out through sendfile")
			assert.LessOrEqual(t, res.Bytes, n*sendfileSize)
		}},
		{"hidden", func(t *testing.T, res sendfiletest.Result) {
			assert.Zero(t, res.Calls, "sendfile without io.ReaderFrom")
			assert.Zero(t, res.Bytes)
		}},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			tt.want(t, sendfiletest.Run(t, "TestSendfileChild", sendfileModeEnv+"="+tt.mode))
		})
	}
}

// TestSendfileChild serves an 8 MiB file through NewHandler's stack, with
// the access log on, on a real server, and fetches it as sendfileFetches
// says. It runs only under TestSendfile.
func TestSendfileChild(t *testing.T) {
	sendfiletest.Child(t)
	mode := os.Getenv(sendfileModeEnv)
	require.Contains(t, []string{"root", "follow", "hidden"}, mode)

	big := bytes.Repeat([]byte("simplehttp sends files with sendfile\n"), sendfileSize/37+1)[:sendfileSize]
	dir := writeFiles(t, map[string]string{"big.bin": string(big), "site/index.html": string(big)})
	var log testutil.SyncBuffer
	opts := []Option{WithAccessLog(&log)}
	if mode == "follow" {
		opts = append(opts, WithFollowSymlinks())
	}
	stack, err := NewHandler(dir, opts...)
	require.NoError(t, err)
	defer stack.Close()
	var h http.Handler = stack
	if mode == "hidden" {
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			stack.ServeHTTP(struct{ http.ResponseWriter }{w}, r)
		})
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	for _, f := range sendfileFetches {
		req, err := http.NewRequest(http.MethodGet, srv.URL+f.path, nil)
		require.NoError(t, err)
		if name, value, ok := strings.Cut(f.header, ": "); ok {
			req.Header.Set(name, value)
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s %s", f.path, f.header)
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		require.EqualValues(t, sendfileSize, n, "%s %s", f.path, f.header)
	}
	// The logger writes its line once the handler returns, which may be
	// after the client has read the whole body.
	assert.Eventually(t, func() bool {
		return strings.Count(log.String(), `HTTP/1.1" 200 -`) == len(sendfileFetches)
	}, 10*time.Second, 10*time.Millisecond, "access log:\n%s", &log)
}
