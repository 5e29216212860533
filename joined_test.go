package simplehttp_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/simplehttp/simplehttp/compress"
	"github.com/simplehttp/simplehttp/errorpage"
	"github.com/simplehttp/simplehttp/headers"
	"github.com/simplehttp/simplehttp/logging"
)

// readFromRecorder is a recorder with ReadFrom, so that the wrappers hook it.
type readFromRecorder struct{ *httptest.ResponseRecorder }

func (r readFromRecorder) ReadFrom(src io.Reader) (int64, error) {
	return io.Copy(r.ResponseRecorder, src)
}

// TestJoinedAsNested checks that the watching middleware joined into one
// chain, sharing one wrap of the writer (as adjacent in a stack), answer
// and log exactly as the same middleware kept apart, each with its own
// wrap: same status, headers, body and log lines, and the same results for
// a writer used after its handler returned.
func TestJoinedAsNested(t *testing.T) {
	text := strings.Repeat("compressible text. ", 200)
	type late struct {
		N   int
		Err string
	}
	var kept http.ResponseWriter
	handlers := map[string]http.HandlerFunc{
		"ok": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte("hello\n"))
		},
		"large": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("ETag", `"v1"`)
			_, _ = io.WriteString(w, text)
		},
		"readfrom": func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(w, struct{ io.Reader }{strings.NewReader(text)})
		},
		"stream": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			for i := range 3 {
				fmt.Fprintf(w, "<p>%d</p>", i)
				w.(http.Flusher).Flush()
			}
		},
		"notfound": func(w http.ResponseWriter, r *http.Request) { http.Error(w, "No such thing", http.StatusNotFound) },
		"json error": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTeapot)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "teapot"})
		},
		"nothing": func(w http.ResponseWriter, r *http.Request) {},
		"late write": func(w http.ResponseWriter, r *http.Request) {
			kept = w
			_, _ = w.Write([]byte("before"))
		},
		"panic": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusAccepted)
			panic(http.ErrAbortHandler)
		},
	}
	clock := func() time.Time { return time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC) }
	build := func(h http.Handler, log *bytes.Buffer, apart bool) http.Handler {
		mws := []func(http.Handler) http.Handler{
			headers.New(http.Header{"X-Frame-Options": {"DENY"}, "Access-Control-Allow-Origin": {"*"}}),
			errorpage.New(),
			logging.New(log, logging.WithClock(clock), logging.WithLocation(time.UTC)),
			compress.New(),
		}
		for i := len(mws) - 1; i >= 0; i-- {
			h = mws[i](h)
			if apart {
				h = passOn(h)
			}
		}
		return h
	}
	type result struct {
		Code   int
		Header http.Header
		Body   string
		Log    string
		Late   late
	}
	serve := func(h http.HandlerFunc, method string, reqHeader http.Header, apart bool) result {
		var log bytes.Buffer
		kept = nil
		rec := httptest.NewRecorder()
		r := httptest.NewRequest(method, "/a.txt", nil)
		r.RemoteAddr = "127.0.0.1:50000"
		r.Header = reqHeader.Clone()
		func() {
			defer func() { _ = recover() }()
			build(h, &log, apart).ServeHTTP(readFromRecorder{rec}, r)
		}()
		res := result{Code: rec.Code, Header: rec.Header(), Body: rec.Body.String(), Log: log.String()}
		if kept != nil {
			n, err := kept.Write([]byte("after"))
			res.Late = late{N: n, Err: fmt.Sprint(err)}
			res.Body = rec.Body.String()
		}
		return res
	}
	requests := map[string]struct {
		method string
		header http.Header
	}{
		"GET":       {"GET", http.Header{}},
		"GET gzip":  {"GET", http.Header{"Accept-Encoding": {"gzip"}}},
		"HEAD zstd": {"HEAD", http.Header{"Accept-Encoding": {"zstd"}}},
		"INM":       {"GET", http.Header{"Accept-Encoding": {"gzip"}, "If-None-Match": {`W/"v1-gz"`}}},
		"preflight": {"OPTIONS", http.Header{"Access-Control-Request-Method": {"PUT"}}},
	}
	for name, h := range handlers {
		for reqName, req := range requests {
			t.Run(name+"/"+reqName, func(t *testing.T) {
				joined := serve(h, req.method, req.header, false)
				apart := serve(h, req.method, req.header, true)
				assert.Equal(t, apart, joined)
			})
		}
	}
}

// passOn keeps the middleware around it apart.
func passOn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(w, r) })
}
