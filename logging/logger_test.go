package logging

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/pyrepr"
)

// The fixed clock and zone every exact line is pinned with.
var (
	testZone = time.FixedZone("CET", 3600)
	testTime = time.Date(2026, time.November, 21, 15, 4, 5, 0, testZone)
)

func fixedClock() time.Time { return testTime }

func testLogger(w io.Writer, opts ...Option) *Logger {
	return NewLogger(w, append([]Option{WithClock(fixedClock), WithLocation(testZone)}, opts...)...)
}

// request returns a request as a server would hand it to a handler.
func request(method, uri, remote string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Method = method
	r.RequestURI = uri
	r.RemoteAddr = remote
	if u, err := url.ParseRequestURI(uri); err == nil {
		r.URL = u
	}
	return r
}

const prefix = "127.0.0.1 - - [21/Nov/2026 15:04:05] "

// TestPythonLines pins the lines Python's log_request and send_error write
// (http.server.BaseHTTPRequestHandler.log_message), byte for byte.
func TestPythonLines(t *testing.T) {
	tests := []struct {
		name    string
		req     *http.Request
		handler http.HandlerFunc
		want    string
	}{
		{
			name:    "200 file",
			req:     request("GET", "/a.txt", "127.0.0.1:50000"),
			handler: func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello\n") },
			want:    prefix + `"GET /a.txt HTTP/1.1" 200 -` + "\n",
		},
		{
			name:    "nothing written is a 200",
			req:     request("GET", "/empty", "127.0.0.1:50000"),
			handler: func(w http.ResponseWriter, r *http.Request) {},
			want:    prefix + `"GET /empty HTTP/1.1" 200 -` + "\n",
		},
		{
			name: "301 has no code line",
			req:  request("GET", "/dir", "127.0.0.1:50000"),
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/dir/", http.StatusMovedPermanently)
			},
			want: prefix + `"GET /dir HTTP/1.1" 301 -` + "\n",
		},
		{
			name: "404 with the http.Error message",
			req:  request("GET", "/missing", "127.0.0.1:50000"),
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "File not found", http.StatusNotFound)
			},
			want: prefix + "code 404, message File not found\n" +
				prefix + `"GET /missing HTTP/1.1" 404 -` + "\n",
		},
		{
			name: "501 with a repr message: backslash doubled, control escaped",
			req:  request("P\x01T", "/a.txt", "127.0.0.1:50000"),
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "Unsupported method ("+pyrepr.String(r.Method)+")", http.StatusNotImplemented)
			},
			want: prefix + `code 501, message Unsupported method ('P\\x01T')` + "\n" +
				prefix + `"P\x01T /a.txt HTTP/1.1" 501 -` + "\n",
		},
		{
			name:    "control characters in the request URI",
			req:     request("GET", "/\x1b[31mred\x7f\x00\t", "127.0.0.1:50000"),
			handler: func(w http.ResponseWriter, r *http.Request) {},
			want:    prefix + `"GET /\x1b[31mred\x7f\x00\x09 HTTP/1.1" 200 -` + "\n",
		},
		{
			name:    "C1 controls as UTF-8 and as raw bytes",
			req:     request("GET", "/\u009b31m/\x9b/\u0085", "127.0.0.1:50000"),
			handler: func(w http.ResponseWriter, r *http.Request) {},
			want:    prefix + `"GET /\x9b31m/\x9b/\x85 HTTP/1.1" 200 -` + "\n",
		},
		{
			name:    "invalid UTF-8 escaped, valid UTF-8 kept, backslash doubled",
			req:     request("GET", "/caf\u00e9/\xff\xc3/a\\b/\xed\xa0\x80", "127.0.0.1:50000"),
			handler: func(w http.ResponseWriter, r *http.Request) {},
			want:    prefix + `"GET /café/\xff\xc3/a\\b/\xed\xa0\x80 HTTP/1.1" 200 -` + "\n",
		},
		{
			name:    "IPv6 client without brackets or port",
			req:     request("GET", "/", "[::1]:50000"),
			handler: func(w http.ResponseWriter, r *http.Request) {},
			want:    `::1 - - [21/Nov/2026 15:04:05] "GET / HTTP/1.1" 200 -` + "\n",
		},
		{
			name:    "address without a port, scrubbed",
			req:     request("GET", "/", "10.0.0.1\x1b[2J"),
			handler: func(w http.ResponseWriter, r *http.Request) {},
			want:    `10.0.0.1\x1b[2J - - [21/Nov/2026 15:04:05] "GET / HTTP/1.1" 200 -` + "\n",
		},
		{
			name: "error message scrubbed",
			req:  request("GET", "/x", "127.0.0.1:50000"),
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "bad \x1b]0;owned\x07 \\ thing", http.StatusBadRequest)
			},
			want: prefix + `code 400, message bad \x1b]0;owned\x07 \\ thing` + "\n" +
				prefix + `"GET /x HTTP/1.1" 400 -` + "\n",
		},
		{
			name: "error with an HTML body: Python's phrase",
			req:  request("GET", "/x", "127.0.0.1:50000"),
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusForbidden)
				io.WriteString(w, "<p>no</p>")
			},
			want: prefix + "code 403, message Forbidden\n" +
				prefix + `"GET /x HTTP/1.1" 403 -` + "\n",
		},
		{
			name: "text/plain error without a body: Python's phrase",
			req:  request("HEAD", "/x", "127.0.0.1:50000"),
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(http.StatusRequestEntityTooLarge)
			},
			want: prefix + "code 413, message Request Entity Too Large\n" +
				prefix + `"HEAD /x HTTP/1.1" 413 -` + "\n",
		},
		{
			name: "a code Python does not know",
			req:  request("GET", "/x", "127.0.0.1:50000"),
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(599)
			},
			want: prefix + "code 599, message ???\n" +
				prefix + `"GET /x HTTP/1.1" 599 -` + "\n",
		},
		{
			name: "error served with ReadFrom: the message read from its start",
			req:  request("GET", "/x", "127.0.0.1:50000"),
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(http.StatusInternalServerError)
				w.(io.ReaderFrom).ReadFrom(strings.NewReader("boom\n"))
			},
			want: prefix + "code 500, message boom\n" +
				prefix + `"GET /x HTTP/1.1" 500 -` + "\n",
		},
		{
			name: "informational 103 is not the status",
			req:  request("GET", "/x", "127.0.0.1:50000"),
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusEarlyHints)
				w.WriteHeader(http.StatusNoContent)
			},
			want: prefix + `"GET /x HTTP/1.1" 204 -` + "\n",
		},
		{
			name: "WriteString carries the message",
			req:  request("GET", "/x", "127.0.0.1:50000"),
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.WriteHeader(http.StatusNotFound)
				io.WriteString(w, "File not found\n")
			},
			want: prefix + "code 404, message File not found\n" +
				prefix + `"GET /x HTTP/1.1" 404 -` + "\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			h := testLogger(&buf).Handler(tt.handler)
			h.ServeHTTP(&readFromRecorder{httptest.NewRecorder()}, tt.req)
			assert.Equal(t, tt.want, buf.String())
		})
	}
}

// readFromRecorder is a ResponseRecorder that also has ReadFrom and
// WriteString, like net/http's own writer.
type readFromRecorder struct{ *httptest.ResponseRecorder }

func (r *readFromRecorder) ReadFrom(src io.Reader) (int64, error) {
	return io.Copy(r.ResponseRecorder, src)
}

// TestLineOrder pins the order Python writes lines in: the request line
// when the status is sent, so a CGI script's exit code comes after it; an
// error's two lines together, once its message is known: when the handler
// returns (here after its last line) or at a flush (TestErrorLinesBeforeLaterLogf).
func TestLineOrder(t *testing.T) {
	var buf bytes.Buffer
	l := testLogger(&buf)
	h := l.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.Logf(r, "before the status")
		if r.URL.Path == "/fail" {
			http.Error(w, "Bad Gateway", http.StatusBadGateway)
		} else {
			w.WriteHeader(http.StatusOK)
		}
		l.Logf(r, "CGI script exit code %d", 1)
	}))
	h.ServeHTTP(httptest.NewRecorder(), request("GET", "/cgi-bin/ok.py", "127.0.0.1:1"))
	h.ServeHTTP(httptest.NewRecorder(), request("GET", "/fail", "127.0.0.1:1"))
	assert.Equal(t, prefix+"before the status\n"+
		prefix+`"GET /cgi-bin/ok.py HTTP/1.1" 200 -`+"\n"+
		prefix+"CGI script exit code 1\n"+
		prefix+"before the status\n"+
		prefix+"CGI script exit code 1\n"+
		prefix+"code 502, message Bad Gateway\n"+
		prefix+`"GET /fail HTTP/1.1" 502 -`+"\n", buf.String())
}

func TestLogf(t *testing.T) {
	tests := []struct {
		name   string
		req    *http.Request
		format string
		args   []any
		want   string
	}{
		{"exit code", request("GET", "/", "127.0.0.1:1"), "CGI script exit code %d", []any{3},
			prefix + "CGI script exit code 3\n"},
		{"stderr line with controls", request("GET", "/", "127.0.0.1:1"), "%s", []any{"\x1b[31mred\\\n"},
			prefix + `\x1b[31mred\\\x0a` + "\n"},
		{"nil request", nil, "hello", nil,
			"- - - [21/Nov/2026 15:04:05] hello\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			testLogger(&buf).Logf(tt.req, tt.format, tt.args...)
			assert.Equal(t, tt.want, buf.String())
		})
	}
}

// TestLocalTime checks the default zone is time.Local and the clock is
// read for every line.
func TestLocalTime(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2026, time.January, 2, 3, 4, 5, 0, time.UTC)
	l := NewLogger(&buf, WithClock(func() time.Time { return now }))
	l.Logf(nil, "a")
	now = now.Add(61 * time.Second)
	l.Logf(nil, "b")
	want := "- - - [" + now.Add(-61*time.Second).In(time.Local).Format(pythonLayout) + "] a\n" +
		"- - - [" + now.In(time.Local).Format(pythonLayout) + "] b\n"
	assert.Equal(t, want, buf.String())
}

func TestNewLoggerPanics(t *testing.T) {
	tests := []struct {
		name string
		w    io.Writer
		opts []Option
		want string
	}{
		{"nil writer", nil, nil, "logging: nil io.Writer"},
		{"unknown format", io.Discard, []Option{WithFormat(Format(9))}, "logging: unknown format Format(9)"},
		{"nil clock", io.Discard, []Option{WithClock(nil)}, "logging: nil clock"},
		{"nil location", io.Discard, []Option{WithLocation(nil)}, "logging: nil location"},
		{"nil option", io.Discard, []Option{nil}, "logging: nil Option"},
		{"nil slog logger", io.Discard, []Option{WithSlog(nil)}, "logging: WithSlog: nil *slog.Logger"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.PanicsWithValue(t, tt.want, func() { NewLogger(tt.w, tt.opts...) })
		})
	}
	assert.PanicsWithValue(t, "logging: nil handler", func() { New(io.Discard)(nil) })
}

// TestConcurrentLines has many goroutines log at once through one Logger
// and an io.Writer that is not safe for concurrent use; every line must come
// out whole (run with -race).
func TestConcurrentLines(t *testing.T) {
	var buf bytes.Buffer
	l := testLogger(&buf)
	h := l.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/missing") {
			http.Error(w, "File not found", http.StatusNotFound)
			return
		}
		w.WriteHeader(http.StatusOK)
		l.Logf(r, "CGI script exit code 0")
	}))
	const goroutines, each = 16, 50
	done := make(chan struct{})
	for g := range goroutines {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range each {
				uri := "/g" + strings.Repeat("x", g) + "/missing"
				if i%2 == 0 {
					uri = "/g" + strings.Repeat("x", g) + "/ok"
				}
				r := request("GET", uri, "127.0.0.1:1")
				h.ServeHTTP(httptest.NewRecorder(), r)
			}
		}()
	}
	for range goroutines {
		<-done
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	require.Len(t, lines, goroutines*each*2)
	counts := map[string]int{}
	for i, line := range lines {
		switch {
		case line == prefix+"CGI script exit code 0":
			counts["exit"]++
		case line == prefix+"code 404, message File not found":
			counts["code"]++
			// The request line of the error follows its code line at once.
			require.Less(t, i+1, len(lines))
			assert.Regexp(t, `^`+regexp.QuoteMeta(prefix)+`"GET /gx*/missing HTTP/1\.1" 404 -$`, lines[i+1])
		case strings.HasPrefix(line, prefix+`"GET /g`):
			assert.Regexp(t, `^`+regexp.QuoteMeta(prefix)+`"GET /gx*/(ok HTTP/1\.1" 200|missing HTTP/1\.1" 404) -$`, line)
			counts["request"]++
		default:
			t.Errorf("mangled line %q", line)
		}
	}
	assert.Equal(t, map[string]int{"exit": goroutines * each / 2, "code": goroutines * each / 2, "request": goroutines * each}, counts)
}
