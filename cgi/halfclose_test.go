package cgi

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHalfClosedClient pins what a client that shuts down its sending side
// after its request (as `nc -N` does) gets. net/http takes that for a
// client gone away and cancels the request (golang.org/issue/18527), so
// the script is killed; Python would run it to the end. The client must
// then see a cut-off response, never an empty or truncated one that looks
// complete.
func TestHalfClosedClient(t *testing.T) {
	dir := newDir(t)
	writeScript(t, dir, "cgi-bin/late.sh", "sleep 5\nprintf 'Content-Type: text/plain\\n\\nlate\\n'\n")
	writeScript(t, dir, "cgi-bin/slow.sh", "printf 'Content-Type: text/plain\\n\\nstart\\n'\nsleep 5\necho end\n")
	var l logs
	srv := httptest.NewServer(mustNew(t, dir, WithLogf(l.logf))(http.NotFoundHandler()))
	defer srv.Close()

	tests := []struct {
		name, request string
		midBody       bool // half-close once the first line of the body has come
	}{
		{name: "before the header, HTTP/1.0", request: "GET /cgi-bin/late.sh HTTP/1.0\r\n\r\n"},
		{name: "before the header, HTTP/1.1", request: "GET /cgi-bin/late.sh HTTP/1.1\r\nHost: x\r\n\r\n"},
		{name: "mid-body, HTTP/1.1", request: "GET /cgi-bin/slow.sh HTTP/1.1\r\nHost: x\r\n\r\n", midBody: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", srv.Listener.Addr().String())
			require.NoError(t, err)
			defer conn.Close()
			require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
			_, err = io.WriteString(conn, tc.request)
			require.NoError(t, err)
			br := bufio.NewReader(conn)
			if !tc.midBody {
				require.NoError(t, conn.(*net.TCPConn).CloseWrite())
			}
			res, err := http.ReadResponse(br, nil)
			if err != nil {
				return // no response at all: plainly cut off
			}
			defer res.Body.Close()
			if tc.midBody {
				line, err := bufio.NewReader(res.Body).ReadString('\n')
				require.NoError(t, err)
				require.Equal(t, "start\n", line)
				require.NoError(t, conn.(*net.TCPConn).CloseWrite())
			}
			body, err := io.ReadAll(res.Body)
			assert.Error(t, err, "a %d response with body %q that looks complete", res.StatusCode, body)
		})
	}
}
