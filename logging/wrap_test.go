package logging

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

type baseWriter struct{ h http.Header }

func (w *baseWriter) Header() http.Header         { return w.h }
func (w *baseWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *baseWriter) WriteHeader(int)             {}

type flushWriter struct{ baseWriter }

func (*flushWriter) Flush() {}

type hijackWriter struct{ baseWriter }

func (*hijackWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) { return nil, nil, nil }

type readFromWriter struct{ baseWriter }

func (*readFromWriter) ReadFrom(src io.Reader) (int64, error) { return io.Copy(io.Discard, src) }

type allWriter struct {
	flushWriter
	hijackWriter
	readFromWriter
}

func (w *allWriter) Header() http.Header         { return w.flushWriter.h }
func (w *allWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *allWriter) WriteHeader(int)             {}

// TestWrapKeepsInterfaces checks that the writer the handler sees has
// exactly the optional interfaces of the writer the logger was given.
func TestWrapKeepsInterfaces(t *testing.T) {
	h := http.Header{}
	tests := []struct {
		name string
		w    http.ResponseWriter
	}{
		{"none", &baseWriter{h}},
		{"Flusher", &flushWriter{baseWriter{h}}},
		{"Hijacker", &hijackWriter{baseWriter{h}}},
		{"ReaderFrom", &readFromWriter{baseWriter{h}}},
		{"all three", &allWriter{flushWriter: flushWriter{baseWriter{h}}}},
		{"ResponseRecorder", httptest.NewRecorder()},
	}
	for _, format := range []Format{Python, Common} {
		for _, tt := range tests {
			t.Run(format.String()+"/"+tt.name, func(t *testing.T) {
				var got []string
				handler := New(io.Discard, WithFormat(format))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					got = testutil.Interfaces(w)
				}))
				handler.ServeHTTP(tt.w, httptest.NewRequest("GET", "/", nil))
				assert.Equal(t, testutil.Interfaces(tt.w), got)
			})
		}
	}
}

// TestWrapKeepsServerInterfaces does the same with net/http's own writer.
func TestWrapKeepsServerInterfaces(t *testing.T) {
	type seen struct {
		inner, outer []string
		hijacked     bool
	}
	result := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := seen{inner: testutil.Interfaces(w)}
		defer func() { result <- got }()
		New(io.Discard)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got.outer = testutil.Interfaces(w)
			conn, brw, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			got.hijacked = true
			brw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi")
			brw.Flush()
			conn.Close()
		})).ServeHTTP(w, r)
	}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, "hi", string(body))
	got := <-result
	assert.True(t, got.hijacked)
	assert.Equal(t, []string{"Flusher", "Hijacker", "ReaderFrom", "StringWriter"}, got.inner)
	assert.Equal(t, got.inner, got.outer)
}
