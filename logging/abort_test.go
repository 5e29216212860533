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

// TestMessageFromBody pins how the message of "code N, message M" is taken
// from a text/plain error body however the handler writes it: the first
// line of the first write that is not empty, and the start of a body sent
// through ReadFrom, which still reaches the client whole.
func TestMessageFromBody(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		message string
	}{
		{"many writes: the first", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "File ")
			w.Write([]byte("not found\n"))
		}, "File "},
		{"empty writes first", func(w http.ResponseWriter, r *http.Request) {
			w.Write(nil)
			io.WriteString(w, "")
			io.WriteString(w, "File not found\r\nmore\n")
		}, "File not found"},
		{"flushes between", func(w http.ResponseWriter, r *http.Request) {
			w.(http.Flusher).Flush()
			io.WriteString(w, "File not found")
			w.(http.Flusher).Flush()
			io.WriteString(w, "more\n")
		}, "File not found"},
		{"ReadFrom", func(w http.ResponseWriter, r *http.Request) {
			w.(io.ReaderFrom).ReadFrom(io.MultiReader(strings.NewReader("File not found\n"), strings.NewReader(strings.Repeat("x", 10000))))
		}, "File not found"},
		{"ReadFrom of nothing: Python's phrase", func(w http.ResponseWriter, r *http.Request) {
			w.(io.ReaderFrom).ReadFrom(strings.NewReader(""))
		}, "Not Found"},
		{"ReadFrom after Write", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "File not found\n")
			w.(io.ReaderFrom).ReadFrom(strings.NewReader("rest"))
		}, "File not found"},
		{"empty first line", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "\nsecond")
		}, ""},
		{"long line cut", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, strings.Repeat("y", 6000))
		}, strings.Repeat("y", maxMessage)},
		{"long ReadFrom line cut", func(w http.ResponseWriter, r *http.Request) {
			w.(io.ReaderFrom).ReadFrom(strings.NewReader(strings.Repeat("y", 6000)))
		}, strings.Repeat("y", maxMessage)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			h := testLogger(&log).Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.WriteHeader(http.StatusNotFound)
				tt.handler(w, r)
			}))
			rec := &flushRecorder{readFromRecorder{httptest.NewRecorder()}}
			h.ServeHTTP(rec, request("GET", "/x", "127.0.0.1:1"))
			assert.Equal(t, prefix+"code 404, message "+tt.message+"\n"+
				prefix+`"GET /x HTTP/1.1" 404 -`+"\n", log.String())

			// The client gets the same body as without the logger.
			plain := httptest.NewRecorder()
			tt.handler(&flushRecorder{readFromRecorder{plain}}, nil)
			assert.Equal(t, plain.Body.String(), rec.Body.String())
		})
	}
}

type flushRecorder struct{ readFromRecorder }

func (r *flushRecorder) Flush() {}

// TestUseAfterReturn checks that a writer used after its handler returned,
// which net/http forbids, gets an error rather than crashing the program
// with a nil function call, and leaves the pooled state alone.
func TestUseAfterReturn(t *testing.T) {
	var log bytes.Buffer
	saved := make(chan http.ResponseWriter, 1)
	h := testLogger(&log).Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		saved <- w
	}))
	h.ServeHTTP(&readFromRecorder{httptest.NewRecorder()}, request("GET", "/x", "127.0.0.1:1"))
	w := <-saved
	assert.NotPanics(t, func() {
		_, err := w.Write([]byte("late"))
		assert.ErrorIs(t, err, errAfterReturn)
		_, err = io.WriteString(w, "late")
		assert.ErrorIs(t, err, errAfterReturn)
		_, err = w.(io.ReaderFrom).ReadFrom(strings.NewReader("late"))
		assert.ErrorIs(t, err, errAfterReturn)
		w.WriteHeader(http.StatusTeapot)
	})
	assert.Equal(t, prefix+`"GET /x HTTP/1.1" 200 -`+"\n", log.String())
}

// TestErrorBodyThroughReadFrom serves a text/plain 404 from a file with
// io.Copy, which reaches the logger's ReadFrom: the message is the file's
// first line, and the client still gets the whole file.
func TestErrorBodyThroughReadFrom(t *testing.T) {
	body := "Custom not found\r\n" + strings.Repeat("0123456789abcdef", 20000)
	name := filepath.Join(t.TempDir(), "404.txt")
	require.NoError(t, os.WriteFile(name, []byte(body), 0o644))
	var log testutil.SyncBuffer
	l := NewLogger(&log, WithClock(fixedClock), WithLocation(testZone))
	srv := httptest.NewServer(l.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(name)
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

	resp, err := http.Get(srv.URL + "/missing")
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.True(t, string(got) == body, "body of %d bytes, want %d", len(got), len(body))
	assert.Equal(t, []string{
		"127.0.0.1 - - [DATE] code 404, message Custom not found",
		`127.0.0.1 - - [DATE] "GET /missing HTTP/1.1" 404 -`,
	}, awaitLines(t, log.String, 2))
}

// TestErrorLinesBeforeLaterLogf pins the order Python keeps for a CGI
// script (SPEC §7: its exit code after the request line) when the script's
// error body has no line ending: the two lines go out with the first write,
// before what the handler logs afterwards.
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
	assert.Equal(t, prefix+"code 404, message No such thing\n"+
		prefix+`"GET /cgi-bin/nf.sh HTTP/1.1" 404 -`+"\n"+
		prefix+"CGI script exit code 1\n", log.String())
}
