package logging

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const clfPrefix = "127.0.0.1 - - [21/Nov/2026:15:04:05 +0100] "

func TestCommonAndCombined(t *testing.T) {
	body := strings.Repeat("x", 1234)
	tests := []struct {
		name    string
		format  Format
		req     *http.Request
		header  http.Header
		handler http.HandlerFunc
		want    string
	}{
		{
			name:   "Common, bytes through Write",
			format: Common,
			req:    request("GET", "/a.txt", "127.0.0.1:1"),
			handler: func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, body[:1000])
				w.Write([]byte(body[1000:]))
			},
			want: clfPrefix + `"GET /a.txt HTTP/1.1" 200 1234` + "\n",
		},
		{
			name:   "Common, bytes through ReadFrom",
			format: Common,
			req:    request("GET", "/a.txt", "127.0.0.1:1"),
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.(io.ReaderFrom).ReadFrom(strings.NewReader(body))
			},
			want: clfPrefix + `"GET /a.txt HTTP/1.1" 200 1234` + "\n",
		},
		{
			name:    "Common, no body is -",
			format:  Common,
			req:     request("GET", "/a.txt", "127.0.0.1:1"),
			handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotModified) },
			want:    clfPrefix + `"GET /a.txt HTTP/1.1" 304 -` + "\n",
		},
		{
			name:    "Common, HEAD sends no body",
			format:  Common,
			req:     request("HEAD", "/a.txt", "127.0.0.1:1"),
			handler: func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) },
			want:    clfPrefix + `"HEAD /a.txt HTTP/1.1" 200 -` + "\n",
		},
		{
			name:    "Common, error: one line, no code line",
			format:  Common,
			req:     request("GET", "/missing", "[::1]:1"),
			handler: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "File not found", 404) },
			want:    `::1 - - [21/Nov/2026:15:04:05 +0100] "GET /missing HTTP/1.1" 404 15` + "\n",
		},
		{
			name:    "Common, quotes and controls in the request line escaped",
			format:  Common,
			req:     request("GET", `/"a"\`+"\x1b", "127.0.0.1:1"),
			handler: func(w http.ResponseWriter, r *http.Request) {},
			want:    clfPrefix + `"GET /\"a\"\\\x1b HTTP/1.1" 200 -` + "\n",
		},
		{
			name:    "Combined, referer and user agent",
			format:  Combined,
			req:     request("GET", "/a.txt", "127.0.0.1:1"),
			header:  http.Header{"Referer": {"http://example.com/"}, "User-Agent": {"curl/8.0 \"x\"\x07"}},
			handler: func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hi") },
			want:    clfPrefix + `"GET /a.txt HTTP/1.1" 200 2 "http://example.com/" "curl/8.0 \"x\"\x07"` + "\n",
		},
		{
			name:    "Combined, absent headers are -",
			format:  Combined,
			req:     request("GET", "/a.txt", "127.0.0.1:1"),
			handler: func(w http.ResponseWriter, r *http.Request) {},
			want:    clfPrefix + `"GET /a.txt HTTP/1.1" 200 - "-" "-"` + "\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			for k, v := range tt.header {
				tt.req.Header[k] = v
			}
			h := testLogger(&buf, WithFormat(tt.format)).Handler(tt.handler)
			h.ServeHTTP(&readFromRecorder{httptest.NewRecorder()}, tt.req)
			assert.Equal(t, tt.want, buf.String())
		})
	}
}

func TestSlog(t *testing.T) {
	tests := []struct {
		name    string
		req     *http.Request
		handler http.HandlerFunc
		want    map[string]any
	}{
		{
			name:    "200",
			req:     request("GET", "/a%20b.txt?q=1", "127.0.0.1:1"),
			handler: func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") },
			want: map[string]any{"level": "INFO", "msg": "request", "method": "GET", "path": "/a b.txt",
				"status": 200.0, "bytes": 5.0, "duration": 0.0, "remote_addr": "127.0.0.1"},
		},
		{
			name:    "404 with its message",
			req:     request("GET", "/missing", "[::1]:1"),
			handler: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "File not found", 404) },
			want: map[string]any{"level": "WARN", "msg": "request", "method": "GET", "path": "/missing",
				"status": 404.0, "bytes": 15.0, "duration": 0.0, "remote_addr": "::1", "message": "File not found"},
		},
		{
			name:    "500 with Python's phrase",
			req:     request("GET", "/x", "127.0.0.1:1"),
			handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) },
			want: map[string]any{"level": "ERROR", "msg": "request", "method": "GET", "path": "/x",
				"status": 500.0, "bytes": 0.0, "duration": 0.0, "remote_addr": "127.0.0.1", "message": "Internal Server Error"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			sl := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: dropTime}))
			h := testLogger(nil, WithSlog(sl)).Handler(tt.handler)
			h.ServeHTTP(httptest.NewRecorder(), tt.req)
			var got map[string]any
			require.NoError(t, json.Unmarshal(buf.Bytes(), &got), buf.String())
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSlogLogf(t *testing.T) {
	var buf bytes.Buffer
	sl := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: dropTime}))
	testLogger(nil, WithSlog(sl)).Logf(request("GET", "/", "127.0.0.1:1"), "CGI script exit code %d", 2)
	assert.JSONEq(t, `{"level":"INFO","msg":"CGI script exit code 2","remote_addr":"127.0.0.1"}`, buf.String())
}

func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

func TestFormatString(t *testing.T) {
	assert.Equal(t, "Python", Python.String())
	assert.Equal(t, "Common", Common.String())
	assert.Equal(t, "Combined", Combined.String())
	assert.Equal(t, "Format(-1)", Format(-1).String())
}
