package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"github.com/simplehttp/simplehttp/internal/needs"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// curl fetches url with curl and the given options, and returns the
// response headers (lower-cased names) and body. It skips the test when
// curl is missing.
func curl(t *testing.T, url string, args ...string) (http.Header, string) {
	t.Helper()
	path, err := exec.LookPath("curl")
	if err != nil {
		needs.Skip(t, "curl", false, "curl is not installed (scripts/test.sh installs it)")
	}
	needs.Ran(t, "curl")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, path, append([]string{"-sS", "-D", "/dev/stderr", url}, args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	header := http.Header{}
	for _, line := range strings.Split(stderr.String(), "\r\n")[1:] {
		if k, v, ok := strings.Cut(line, ":"); ok {
			header.Add(k, strings.TrimSpace(v))
		}
	}
	return header, stdout.String()
}

func gzipped(t *testing.T, s string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write([]byte(s))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.String()
}

// TestFeaturesWithCurl pins --compress, --precompressed, -H, --spa and
// --content-type over real connections, with curl as the client
// (curl --compressed offers the codings it can decode: deflate, gzip, br,
// zstd in Debian's build).
func TestFeaturesWithCurl(t *testing.T) {
	page := strings.Repeat("<p>compress me</p>\n", 500)
	script := strings.Repeat("console.log('precompressed');\n", 100)
	dir := fixture(t, map[string]string{
		"index.html": page,
		"app.js":     script,
		"app.js.gz":  gzipped(t, script),
		"README":     "no extension",
		"small.txt":  "small",
	})
	s := startServer(t, []string{"--compress", "--precompressed", "--spa", "--content-type", "text/plain",
		"-H", "Access-Control-Allow-Origin", "*", "-H", "X-Frame-Options", "DENY", "-b", "127.0.0.1", "-d", dir, "0"}, nil)
	base := fmt.Sprintf("http://127.0.0.1:%d", s.addr.Port)

	t.Run("compressed on the fly", func(t *testing.T) {
		h, body := curl(t, base+"/index.html", "--compressed")
		assert.Equal(t, page, body)
		assert.Contains(t, []string{"br", "zstd", "gzip"}, h.Get("Content-Encoding"))
		assert.Equal(t, "Accept-Encoding", h.Get("Vary"))
		assert.Equal(t, "*", h.Get("Access-Control-Allow-Origin"))
		h, body = curl(t, base+"/index.html", "-H", "Accept-Encoding: gzip")
		assert.Equal(t, "gzip", h.Get("Content-Encoding"))
		zr, err := gzip.NewReader(strings.NewReader(body))
		require.NoError(t, err)
		plain, err := io.ReadAll(zr)
		require.NoError(t, err)
		assert.Equal(t, page, string(plain))
	})
	t.Run("precompressed sidecar", func(t *testing.T) {
		h, body := curl(t, base+"/app.js", "--compressed")
		assert.Equal(t, script, body)
		assert.Equal(t, "gzip", h.Get("Content-Encoding"))
		assert.Equal(t, "text/javascript", h.Get("Content-Type"))
		assert.Equal(t, fmt.Sprint(len(gzipped(t, script))), h.Get("Content-Length"))
		h, body = curl(t, base+"/app.js")
		assert.Equal(t, script, body)
		assert.Empty(t, h.Get("Content-Encoding"))
	})
	t.Run("headers on errors", func(t *testing.T) {
		h, _ := curl(t, base+"/missing.js")
		assert.Equal(t, "DENY", h.Get("X-Frame-Options"))
		assert.Equal(t, "*", h.Get("Access-Control-Allow-Origin"))
	})
	t.Run("preflight", func(t *testing.T) {
		h, _ := curl(t, base+"/app.js", "-X", "OPTIONS", "-H", "Origin: http://example.test", "-H", "Access-Control-Request-Method: GET", "-w", "%{http_code}")
		assert.Equal(t, "GET", h.Get("Access-Control-Allow-Methods"))
	})
	t.Run("spa", func(t *testing.T) {
		_, body := curl(t, base+"/some/route", "--compressed", "-H", "Accept: text/html")
		assert.Equal(t, page, body)
		_, code := curl(t, base+"/some/route", "-o", "/dev/null", "-w", "%{http_code}")
		assert.Equal(t, "404", code)
	})
	t.Run("content type", func(t *testing.T) {
		h, _ := curl(t, base+"/README")
		assert.Equal(t, "text/plain", h.Get("Content-Type"))
	})
}

// TestFeaturesUsageErrors pins that a bad --content-type or -H value stops
// the command before it serves, with argparse's exit status.
func TestFeaturesUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--content-type", "nonsense"},
		{"-H", "Bad Name", "x"},
		{"-H", "X-A", "a\nb"},
	} {
		var stdout, stderr bytes.Buffer
		assert.Equal(t, 2, run(args, &stdout, &stderr, nil), args)
		assert.True(t, strings.HasPrefix(stderr.String(), usage+"simplehttp: error: argument "), stderr.String())
	}
}
