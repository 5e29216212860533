package cgi

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lateBody holds back every read of the body that wants bytes until the
// response has begun: it plays a body copy that the scheduler runs only
// after the script's first output. A read of nothing goes straight through.
type lateBody struct {
	io.ReadCloser
	begun <-chan struct{}
}

func (b lateBody) Read(p []byte) (int, error) {
	if len(p) > 0 {
		select {
		case <-b.begun:
		case <-time.After(5 * time.Second):
		}
	}
	return b.ReadCloser.Read(p)
}

// TestExpectContinue pins that a client waiting for "100 Continue" before
// it sends its body gets it before the script's response begins, however
// late the body copy starts: net/http sends 100 Continue at the first read
// of the body and never once the response has begun, and a script that
// writes its header at once would otherwise wait for a body the client
// never sends. Python's server sends 100 Continue as soon as it has read
// the headers.
func TestExpectContinue(t *testing.T) {
	dir := newDir(t)
	writeScript(t, dir, "cgi-bin/cat.sh", "printf 'Content-Type: text/plain\\n\\n'\nexec cat\n")
	h := mustNew(t, dir, WithLogf((&logs{}).logf))(http.NotFoundHandler())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		begun := make(chan struct{})
		var once bool
		r.Body = lateBody{ReadCloser: r.Body, begun: begun}
		h.ServeHTTP(writerHook{ResponseWriter: w, before: func() {
			if !once {
				once = true
				close(begun)
			}
		}}, r)
	}))
	defer srv.Close()

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = io.WriteString(conn, "POST /cgi-bin/cat.sh HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\n")
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "HTTP/1.1 100 Continue\r\n", line, "the first thing the client hears")
	blank, err := br.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "\r\n", blank)
	_, err = io.WriteString(conn, "hello")
	require.NoError(t, err)
	res, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "hello", strings.TrimSpace(string(body)))
}

// writerHook calls before ahead of the first WriteHeader or Write.
type writerHook struct {
	http.ResponseWriter
	before func()
}

func (w writerHook) WriteHeader(code int) { w.before(); w.ResponseWriter.WriteHeader(code) }

func (w writerHook) Write(p []byte) (int, error) { w.before(); return w.ResponseWriter.Write(p) }

func (w writerHook) Flush() { http.NewResponseController(w.ResponseWriter).Flush() }

func (w writerHook) Unwrap() http.ResponseWriter { return w.ResponseWriter }
