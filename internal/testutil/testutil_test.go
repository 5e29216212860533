package testutil_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

type plain struct{ http.ResponseWriter }

type flusher struct{ plain }

func (flusher) Flush() {}

type hijacker struct{ plain }

func (hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) { return nil, nil, nil }

type readerFrom struct{ plain }

func (readerFrom) ReadFrom(io.Reader) (int64, error) { return 0, nil }

type stringWriter struct{ plain }

func (stringWriter) WriteString(s string) (int, error) { return len(s), nil }

func TestInterfaces(t *testing.T) {
	for _, tt := range []struct {
		w    http.ResponseWriter
		want []string
	}{
		{plain{}, nil},
		{flusher{}, []string{"Flusher"}},
		{hijacker{}, []string{"Hijacker"}},
		{readerFrom{}, []string{"ReaderFrom"}},
		{stringWriter{}, []string{"StringWriter"}},
		{httptest.NewRecorder(), []string{"Flusher", "StringWriter"}},
	} {
		t.Run(fmt.Sprintf("%T", tt.w), func(t *testing.T) {
			assert.Equal(t, tt.want, testutil.Interfaces(tt.w))
		})
	}
}

// TestInterfacesServer checks the list for net/http's own writer.
func TestInterfacesServer(t *testing.T) {
	got := make(chan []string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- testutil.Interfaces(w)
	}))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if assert.NoError(t, err) {
		resp.Body.Close()
	}
	assert.Equal(t, []string{"Flusher", "Hijacker", "ReaderFrom", "StringWriter"}, <-got)
}

// TestSyncBuffer writes from many goroutines; run with -race.
func TestSyncBuffer(t *testing.T) {
	var b testutil.SyncBuffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				_, _ = b.Write([]byte("x"))
				_ = b.String()
			}
		})
	}
	wg.Wait()
	assert.Equal(t, strings.Repeat("x", 800), b.String())
}

// TestExchange checks that the target reaches the server as written (the
// dot segments and the doubled slash net/http's client would not send
// as they are) and that the response is read to its end.
func TestExchange(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Target", r.RequestURI)
		_, _ = io.WriteString(w, strings.Repeat("x", 100000))
	}))
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	for _, method := range []string{"GET", "HEAD"} {
		t.Run(method, func(t *testing.T) {
			raw := testutil.Exchange(t, addr, method+" //a/../b/./c%2f HTTP/1.0\r\nHost: x\r\n\r\n")
			res, body := testutil.ReadResponse(t, raw, method)
			assert.Equal(t, 200, res.StatusCode)
			assert.Equal(t, "//a/../b/./c%2f", res.Header.Get("X-Target"))
			if method == "GET" {
				assert.Equal(t, strings.Repeat("x", 100000), body)
			} else {
				assert.Empty(t, body)
			}
		})
	}
}

// TestDiscardWriter checks the interfaces DiscardWriter promises and that
// ReadFrom reads its source to the end.
func TestDiscardWriter(t *testing.T) {
	w := &testutil.DiscardWriter{H: http.Header{}}
	assert.Equal(t, []string{"Flusher", "ReaderFrom", "StringWriter"}, testutil.Interfaces(w))
	n, err := w.ReadFrom(strings.NewReader("hello"))
	assert.NoError(t, err)
	assert.EqualValues(t, 5, n)
	w.Header().Set("A", "b")
	assert.Equal(t, "b", w.H.Get("A"))
}
