package main

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCGIMaxBody pins --cgi-max-body: a chunked upload (git push's, through
// git http-backend) up to the limit reaches the script whole; one byte
// more is refused with 413, and the log says why.
func TestCGIMaxBody(t *testing.T) {
	dir := cgiFixture(t)
	s := startServer(t, []string{"--cgi", "--cgi-max-body", "100K", "-b", "127.0.0.1", "-d", dir, "0"}, nil)
	client := &http.Client{Timeout: 20 * time.Second}
	for _, tt := range []struct {
		size int
		code int
	}{
		{100 << 10, http.StatusOK},
		{100<<10 + 1, http.StatusRequestEntityTooLarge},
	} {
		t.Run(strconv.Itoa(tt.size), func(t *testing.T) {
			// A reader of unknown length makes the client send it chunked.
			body := io.MultiReader(strings.NewReader(strings.Repeat("x", tt.size)))
			req, err := http.NewRequest(http.MethodPost, s.url()+"/cgi-bin/wc.sh", body)
			require.NoError(t, err)
			res, err := client.Do(req)
			require.NoError(t, err)
			got, err := io.ReadAll(res.Body)
			res.Body.Close()
			require.NoError(t, err)
			require.Equal(t, tt.code, res.StatusCode, "%s", got)
			if tt.code == http.StatusOK {
				assert.Equal(t, strconv.Itoa(tt.size), strings.TrimSpace(string(got)))
				return
			}
			assert.Contains(t, string(got), "Request Entity Too Large")
			require.Eventually(t, func() bool {
				return strings.Contains(s.stderr.String(), "CGI: chunked request body over the 102400-byte limit: refused with 413")
			}, 10*time.Second, 10*time.Millisecond, "the log says why: %s", s.stderr)
		})
	}
}
