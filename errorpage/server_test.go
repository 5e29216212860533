package errorpage_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/simplehttp/simplehttp/errorpage"
	"github.com/simplehttp/simplehttp/internal/oracle"
	"github.com/simplehttp/simplehttp/internal/sendfiletest"
	"github.com/simplehttp/simplehttp/internal/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawPython sends one raw request to the Python server and returns its
// response with the body read. The response is nil when Python answered
// the HTTP/0.9 way, with the body alone (it does when it could not read
// the request's version).
func rawPython(t *testing.T, addr, request, method string) (*http.Response, []byte) {
	t.Helper()
	raw := testutil.Exchange(t, addr, request) // Python closes the connection after an error
	if !bytes.HasPrefix(raw, []byte("HTTP/")) {
		return nil, raw
	}
	resp, body := testutil.ReadResponse(t, raw, method)
	return resp, []byte(body)
}

// TestMatchesPython compares pages and headers with what Python 3.12's
// http.server sends for the same errors: the request Python gets raw, and
// the http.Error call a Go handler makes for it.
func TestMatchesPython(t *testing.T) {
	py := oracle.Start(t, t.TempDir())
	for _, tc := range []struct {
		name    string
		raw     string // the request Python gets
		method  string
		code    int    // what our handler answers
		message string // with this http.Error message
	}{
		{"404", "GET /missing HTTP/1.0\r\n\r\n", "GET", 404, "File not found"},
		{"404 HEAD", "HEAD /missing HTTP/1.0\r\n\r\n", "HEAD", 404, "File not found"},
		{"501 PUT", "PUT / HTTP/1.0\r\nContent-Length: 0\r\n\r\n", "GET", 501, "Unsupported method ('PUT')"},
		{"501 escaping", "<&> / HTTP/1.0\r\n\r\n", "GET", 501, "Unsupported method ('<&>')"},
		{"400 bad version", "GET / HTTP/1.x\r\n\r\n", "GET", 400, "Bad request version ('HTTP/1.x')"},
		{"505", "GET / HTTP/2.0\r\n\r\n", "GET", 505, "Invalid HTTP version (2.0)"},
		{"414", "GET /" + strings.Repeat("a", 70000) + " HTTP/1.0\r\n\r\n", "GET", 414, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, wantBody := rawPython(t, py.Addr, tc.raw, tc.method)
			if want != nil {
				require.Equal(t, tc.code, want.StatusCode)
			}

			var h http.Handler = httpError(tc.message, tc.code)
			if tc.message == "" { // Python used its short message
				h = handler{status: tc.code}
			}
			srv := httptest.NewServer(errorpage.New()(h))
			defer srv.Close()
			req, _ := http.NewRequest(tc.method, srv.URL+"/missing", nil)
			got, err := srv.Client().Do(req)
			require.NoError(t, err)
			gotBody, err := io.ReadAll(got.Body)
			require.NoError(t, err)
			got.Body.Close()

			assert.Equal(t, string(wantBody), string(gotBody))
			if want == nil {
				return // HTTP/0.9: Python sent the page alone
			}
			for _, k := range []string{"Content-Type", "Content-Length"} {
				assert.Equal(t, want.Header.Get(k), got.Header.Get(k), k)
			}
			assert.True(t, want.Close)
			assert.True(t, got.Close, "Connection: close")
			assert.Equal(t, headerNames(want.Header), headerNames(got.Header))
		})
	}
}

func headerNames(h http.Header) []string {
	var out []string
	for k := range h {
		if k != "Date" && k != "Server" && k != "Connection" { // Connection: checked as resp.Close
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// TestErrorBodyIsBounded: an error body sent with ReadFrom is read only as
// far as it could still be a message.
func TestErrorBodyIsBounded(t *testing.T) {
	for _, tc := range []struct {
		name     string
		ct       string
		body     string
		wantRead int64
		wantMsg  string
	}{
		{"message", "text/plain; charset=utf-8", "File not found\n", 15, "File not found"},
		{"huge body", "text/plain; charset=utf-8", strings.Repeat("x", 1<<20), 64<<10 + 1, "Not Found"},
		{"untyped body is not read", "", "File not found\n", 0, "Not Found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var read atomic.Int64
			srv := httptest.NewServer(errorpage.New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.ct != "" {
					w.Header().Set("Content-Type", tc.ct)
				}
				w.WriteHeader(404)
				_, _ = io.Copy(w, countingReader{strings.NewReader(tc.body), &read})
			})))
			defer srv.Close()
			resp, err := srv.Client().Get(srv.URL)
			require.NoError(t, err)
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, tc.wantRead, read.Load())
			assert.Contains(t, string(got), "<p>Message: "+tc.wantMsg+".</p>")
		})
	}
}

// TestFlushHeldBack: flushing an error being replaced does not send it (a
// flushed body is no message: the page has Python's); flushing anything
// else does.
func TestFlushHeldBack(t *testing.T) {
	srv := httptest.NewServer(errorpage.New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/stream" {
			w.(http.Flusher).Flush()
			_, _ = io.WriteString(w, "streamed")
			return
		}
		http.Error(w, "File not found", 404)
		require.NoError(t, http.NewResponseController(w).Flush())
	})))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/missing")
	require.NoError(t, err)
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, pageWith(404, "Not Found", "Nothing matches the given URI"), string(got))

	resp, err = srv.Client().Get(srv.URL + "/stream")
	require.NoError(t, err)
	got, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "streamed", string(got))
	assert.Equal(t, []string{"chunked"}, resp.TransferEncoding, "the early Flush committed the headers")
}

// TestInformationalBeforeError: a 103 goes out; the error after it is
// still replaced.
func TestInformationalBeforeError(t *testing.T) {
	srv := httptest.NewServer(errorpage.New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusEarlyHints)
		http.Error(w, "File not found", 404)
	})))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, page404, string(got))
}

// TestInterfaces checks that the wrapper has exactly the optional
// interfaces of the writer it wraps, alone and in chi, and that hijacking
// through it works.
func TestInterfaces(t *testing.T) {
	for _, rt := range testutil.Routers {
		t.Run(rt.Name, func(t *testing.T) {
			var outer, inner atomic.Value
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				inner.Store(testutil.Interfaces(w))
				if r.URL.Query().Has("hijack") {
					conn, rw, err := w.(http.Hijacker).Hijack()
					require.NoError(t, err)
					defer conn.Close()
					_, _ = rw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked")
					_ = rw.Flush()
					return
				}
				_, _ = w.(io.ReaderFrom).ReadFrom(strings.NewReader("read from"))
			})
			app := rt.Build(errorpage.New(), h)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				outer.Store(testutil.Interfaces(w))
				app.ServeHTTP(w, r)
			}))
			defer srv.Close()
			for q, want := range map[string]string{"": "read from", "?hijack": "hijacked"} {
				resp, err := srv.Client().Get(srv.URL + "/files/a" + q)
				require.NoError(t, err)
				got, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				assert.Equal(t, []string{"Flusher", "Hijacker", "ReaderFrom", "StringWriter"}, outer.Load())
				assert.Equal(t, outer.Load(), inner.Load())
				assert.Equal(t, want, string(got))
			}
		})
	}
}

// TestSendfile runs TestSendfileChild under strace and counts the sendfile
// system calls that moved bytes: a file served behind the middleware still
// goes out with sendfile.
func TestSendfile(t *testing.T) {
	res := sendfiletest.Run(t, "TestSendfileChild")
	assert.Positive(t, res.Calls, "a 200 behind errorpage uses sendfile")
	assert.GreaterOrEqual(t, res.Bytes, int64(1<<20-512), "the file went out through sendfile")
}

// TestSendfileChild is the process TestSendfile traces: it serves a 1 MiB
// file with http.ServeContent behind the middleware, inside chi, and
// fetches it once.
func TestSendfileChild(t *testing.T) {
	sendfiletest.Child(t)
	path := filepath.Join(t.TempDir(), "big.bin")
	require.NoError(t, os.WriteFile(path, bytes.Repeat([]byte("x"), 1<<20), 0o644))
	r := chi.NewRouter()
	r.Use(errorpage.New())
	r.Get("/big.bin", func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(path)
		require.NoError(t, err)
		defer f.Close()
		fi, err := f.Stat()
		require.NoError(t, err)
		http.ServeContent(w, r, "big.bin", fi.ModTime(), f)
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/big.bin")
	require.NoError(t, err)
	n, err := io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.EqualValues(t, 1<<20, n)
}
