package logging

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/httperr/httperrtest"
	"github.com/simplehttp/simplehttp/internal/scrub"
	"github.com/simplehttp/simplehttp/internal/testutil"
)

// TestPanicLogsWhatWasSent checks a handler that panics, as the cgi
// middleware does with http.ErrAbortHandler to cut a response off: the
// panic reaches the server unchanged, and the request is logged with the
// status and bytes it had sent, in every form, and not at all when it had
// sent no status (the client then gets no response).
func TestPanicLogsWhatWasSent(t *testing.T) {
	tests := []struct {
		name    string
		format  Format
		handler http.HandlerFunc
		want    string
	}{
		{
			name:   "Python, error waiting for its message",
			format: Python,
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(http.StatusBadGateway)
				panic(http.ErrAbortHandler)
			},
			want: prefix + "code 502, message Bad Gateway\n" +
				prefix + `"GET /cgi-bin/x HTTP/1.1" 502 -` + "\n",
		},
		{
			name:   "Python, 200 already logged",
			format: Python,
			handler: func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, "partial")
				panic(http.ErrAbortHandler)
			},
			want: prefix + `"GET /cgi-bin/x HTTP/1.1" 200 -` + "\n",
		},
		{
			name:   "Common, bytes sent before the abort",
			format: Common,
			handler: func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, "partial")
				panic(http.ErrAbortHandler)
			},
			want: clfPrefix + `"GET /cgi-bin/x HTTP/1.1" 200 7` + "\n",
		},
		{
			name:   "Combined, error",
			format: Combined,
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusGatewayTimeout)
				panic(http.ErrAbortHandler)
			},
			want: clfPrefix + `"GET /cgi-bin/x HTTP/1.1" 504 - "-" "-"` + "\n",
		},
		{
			name:    "nothing sent: no line",
			format:  Python,
			handler: func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) },
			want:    "",
		},
		{
			name:    "nothing sent, Common: no line",
			format:  Common,
			handler: func(w http.ResponseWriter, r *http.Request) { panic("boom") },
			want:    "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			h := testLogger(&buf, WithFormat(tt.format)).Handler(tt.handler)
			got := func() (v any) {
				defer func() { v = recover() }()
				h.ServeHTTP(httptest.NewRecorder(), request("GET", "/cgi-bin/x", "127.0.0.1:1"))
				return nil
			}()
			assert.NotNil(t, got, "the panic must reach the server")
			if got != "boom" {
				assert.Equal(t, http.ErrAbortHandler, got)
			}
			assert.Equal(t, tt.want, buf.String())
		})
	}
}

// TestPanicSlog checks the slog record of an aborted response.
func TestPanicSlog(t *testing.T) {
	var buf bytes.Buffer
	sl := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: dropTime}))
	h := testLogger(nil, WithSlog(sl)).Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "partial")
		panic(http.ErrAbortHandler)
	}))
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() {
		h.ServeHTTP(httptest.NewRecorder(), request("GET", "/x", "127.0.0.1:1"))
	})
	assert.Equal(t, "level=INFO msg=request method=GET path=/x status=200 bytes=7 duration=0s remote_addr=127.0.0.1\n", buf.String())
}

// TestAbortOverServer runs an aborting handler behind the logger in a real
// server: net/http must see http.ErrAbortHandler (it then logs nothing and
// drops the connection), and the next request on the same Logger, which
// may get a pooled state, must be logged on its own.
func TestAbortOverServer(t *testing.T) {
	var log testutil.SyncBuffer
	var serverLog testutil.SyncBuffer
	l := NewLogger(&log, WithClock(fixedClock), WithLocation(testZone))
	srv := httptest.NewUnstartedServer(l.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/abort" {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadGateway)
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
		http.Error(w, "File not found", http.StatusNotFound)
	})))
	srv.Config.ErrorLog = newLog(&serverLog)
	srv.Start()
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/abort")
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	assert.Error(t, err, "an aborted response must not look complete")
	resp, err = http.Get(srv.URL + "/missing")
	require.NoError(t, err)
	resp.Body.Close()

	lines := awaitLines(t, log.String, 4)
	assert.Equal(t, []string{
		"127.0.0.1 - - [DATE] code 502, message Bad Gateway",
		`127.0.0.1 - - [DATE] "GET /abort HTTP/1.1" 502 -`,
		"127.0.0.1 - - [DATE] code 404, message File not found",
		`127.0.0.1 - - [DATE] "GET /missing HTTP/1.1" 404 -`,
	}, lines)
	assert.NotContains(t, serverLog.String(), "panic", "ErrAbortHandler must reach net/http as such")
}

// TestMessageRule applies the message rule shared with errorpage (the
// table in internal/httperr/testdata) to "code N, message M": M is the
// handler's message when the body is one, else Python's short message. The
// client gets the same body as without the logger.
func TestMessageRule(t *testing.T) {
	for _, c := range httperrtest.Cases(t) {
		t.Run(c.Name, func(t *testing.T) {
			var log bytes.Buffer
			h := testLogger(&log).Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { c.Serve(w) }))
			rec := &flushRecorder{readFromRecorder{httptest.NewRecorder()}}
			h.ServeHTTP(rec, request("GET", "/x", "127.0.0.1:1"))
			want := "Not Found"
			if c.IsMessage {
				want = string(scrub.Append(nil, c.Message, false))
			}
			assert.Equal(t, prefix+"code 404, message "+want+"\n"+
				prefix+`"GET /x HTTP/1.1" 404 -`+"\n", log.String())
			assert.Equal(t, c.Body(), rec.Body.String())
		})
	}
}

type flushRecorder struct{ readFromRecorder }

func (r *flushRecorder) Flush() {}

// TestUseAfterReturn checks that a writer used after its handler returned,
// which net/http forbids, gets an error rather than crashing the program.
func TestUseAfterReturn(t *testing.T) {
	var log bytes.Buffer
	saved := make(chan http.ResponseWriter, 1)
	h := testLogger(&log).Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		saved <- w
	}))
	h.ServeHTTP(&flushRecorder{readFromRecorder{httptest.NewRecorder()}}, request("GET", "/x", "127.0.0.1:1"))
	w := <-saved
	assert.NotPanics(t, func() {
		_, err := w.Write([]byte("late"))
		assert.ErrorIs(t, err, errAfterReturn)
		_, err = io.WriteString(w, "late")
		assert.ErrorIs(t, err, errAfterReturn)
		_, err = w.(io.ReaderFrom).ReadFrom(strings.NewReader("late"))
		assert.ErrorIs(t, err, errAfterReturn)
		w.WriteHeader(http.StatusTeapot)
		w.(http.Flusher).Flush()
	})
	assert.Equal(t, prefix+`"GET /x HTTP/1.1" 200 -`+"\n", log.String())
}

// TestLeakedWriterReachesNoOtherRequest: a handler hands its writer to a
// goroutine that writes after the handler returned, while later requests
// are served. The late writes must reach neither those requests' responses
// nor their log lines (a pooled writer state did: the late write landed in
// the next response and its byte count).
func TestLeakedWriterReachesNoOtherRequest(t *testing.T) {
	var log bytes.Buffer
	l := NewLogger(&log, WithFormat(Common), WithClock(fixedClock), WithLocation(testZone))
	type leak struct {
		start chan struct{}
		done  chan error
	}
	leaks := make(chan leak, 1)
	h := l.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/leak" {
			start := make(chan struct{})
			done := make(chan error, 1)
			go func() {
				<-start // after the handler returned
				_, err := w.Write([]byte("LEAK"))
				if err == nil {
					_, err = w.(io.ReaderFrom).ReadFrom(strings.NewReader("LEAK"))
				}
				done <- err
			}()
			leaks <- leak{start: start, done: done}
			return
		}
		// Another request: the leaked goroutine writes while it is served.
		lk := <-leaks
		close(lk.start)
		assert.ErrorIs(t, <-lk.done, errAfterReturn)
		_, _ = io.WriteString(w, "mine\n")
	}))
	for range 20 {
		leakRec := &flushRecorder{readFromRecorder{httptest.NewRecorder()}}
		h.ServeHTTP(leakRec, request("GET", "/leak", "127.0.0.1:1"))
		rec := &flushRecorder{readFromRecorder{httptest.NewRecorder()}}
		h.ServeHTTP(rec, request("GET", "/other", "127.0.0.1:2"))
		assert.Equal(t, "mine\n", rec.Body.String())
		assert.Empty(t, leakRec.Body.String())
	}
	lines := strings.Split(strings.TrimSuffix(log.String(), "\n"), "\n")
	require.Len(t, lines, 40)
	for i, line := range lines {
		if i%2 == 0 {
			assert.True(t, strings.HasSuffix(line, `"GET /leak HTTP/1.1" 200 -`), line)
		} else {
			assert.True(t, strings.HasSuffix(line, `"GET /other HTTP/1.1" 200 5`), line)
		}
	}
}

// TestErrorBodyThroughReadFrom serves text/plain 404s from files with
// io.Copy, which reaches the logger's ReadFrom: a one-line file is the
// message, a longer one is not, and the client still gets the whole file.
func TestErrorBodyThroughReadFrom(t *testing.T) {
	dir := t.TempDir()
	bodies := map[string]string{
		"/one-line": "Custom not found\n",
		"/long":     "Custom not found\n" + strings.Repeat("0123456789abcdef", 20000),
	}
	for path, body := range bodies {
		require.NoError(t, os.WriteFile(filepath.Join(dir, path[1:]), []byte(body), 0o644))
	}
	var log testutil.SyncBuffer
	l := NewLogger(&log, WithClock(fixedClock), WithLocation(testZone))
	srv := httptest.NewServer(l.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(filepath.Join(dir, r.URL.Path[1:]))
		if !assert.NoError(t, err) {
			return
		}
		defer f.Close()
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		_, err = io.Copy(w, f)
		assert.NoError(t, err)
	})))
	defer srv.Close()

	for _, path := range []string{"/one-line", "/long"} {
		resp, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		assert.True(t, string(got) == bodies[path], "body of %d bytes, want %d", len(got), len(bodies[path]))
	}
	assert.Equal(t, []string{
		"127.0.0.1 - - [DATE] code 404, message Custom not found",
		`127.0.0.1 - - [DATE] "GET /one-line HTTP/1.1" 404 -`,
		"127.0.0.1 - - [DATE] code 404, message Not Found",
		`127.0.0.1 - - [DATE] "GET /long HTTP/1.1" 404 -`,
	}, awaitLines(t, log.String, 4))
}

// TestErrorLinesBeforeLaterLogf pins the order Python keeps for a CGI
// script (SPEC §7: its exit code after the request line) when the script
// sends an error: its body is streamed (flushed), so it is no message, and
// the two lines go out at the first flush, before what the handler logs
// afterwards.
func TestErrorLinesBeforeLaterLogf(t *testing.T) {
	var log bytes.Buffer
	l := testLogger(&log)
	h := l.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		w.(http.Flusher).Flush()
		io.WriteString(w, "No such thing")
		w.(http.Flusher).Flush()
		l.Logf(r, "CGI script exit code 1")
	}))
	h.ServeHTTP(&flushRecorder{readFromRecorder{httptest.NewRecorder()}}, request("GET", "/cgi-bin/nf.sh", "127.0.0.1:1"))
	assert.Equal(t, prefix+"code 404, message Not Found\n"+
		prefix+`"GET /cgi-bin/nf.sh HTTP/1.1" 404 -`+"\n"+
		prefix+"CGI script exit code 1\n", log.String())
}
