package conditional_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/simplehttp/simplehttp/conditional"
	"github.com/simplehttp/simplehttp/internal/oracle"
	"github.com/simplehttp/simplehttp/internal/sendfiletest"
	"github.com/simplehttp/simplehttp/internal/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	io.ReadSeeker
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.ReadSeeker.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// withoutPreconditions hides the request's preconditions from a handler,
// the way simplehttp's file handler hides the date ones from
// http.ServeContent, so that only the middleware can answer them.
func withoutPreconditions(r *http.Request) *http.Request {
	r = r.Clone(r.Context())
	for _, k := range []string{"If-Modified-Since", "If-None-Match", "If-Match", "If-Unmodified-Since"} {
		r.Header.Del(k)
	}
	return r
}

// TestNotModifiedReadsNothing proves that a 304 or 412 decided by the
// middleware never reads the body's source, behind a real server (so the
// writer has ReadFrom, as in production).
func TestNotModifiedReadsNothing(t *testing.T) {
	content := strings.Repeat("0123456789abcdef", 64<<10) // 1 MiB
	modtime := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	handlers := map[string]func(src io.ReadSeeker) http.Handler{
		"ServeContent": func(src io.ReadSeeker) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Etag", `"v1"`)
				http.ServeContent(w, withoutPreconditions(r), "big.txt", modtime, src)
			})
		},
		"io.Copy": func(src io.ReadSeeker) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Etag", `"v1"`)
				w.Header().Set("Last-Modified", modtime.Format(http.TimeFormat))
				w.Header().Set("Content-Length", strconv.Itoa(len(content)))
				_, _ = io.Copy(w, src)
			})
		},
	}
	for name, handler := range handlers {
		for _, tc := range []struct {
			name       string
			header     []string
			wantStatus int
			wantRead   int64
		}{
			{"If-Modified-Since", []string{"If-Modified-Since", lastModified}, 304, 0},
			{"If-None-Match", []string{"If-None-Match", `"v1"`}, 304, 0},
			{"If-Match", []string{"If-Match", `"v2"`}, 412, 0},
			{"modified: the whole file is read", []string{"If-Modified-Since", secondBefore}, 200, int64(len(content))},
		} {
			t.Run(name+"/"+tc.name, func(t *testing.T) {
				var read atomic.Int64
				srv := httptest.NewServer(conditional.New()(handler(countingReader{strings.NewReader(content), &read})))
				defer srv.Close()
				req, _ := http.NewRequest("GET", srv.URL, nil)
				req.Header.Set(tc.header[0], tc.header[1])
				resp, err := srv.Client().Do(req)
				require.NoError(t, err)
				got, err := io.ReadAll(resp.Body)
				require.NoError(t, err)
				resp.Body.Close()
				assert.Equal(t, tc.wantStatus, resp.StatusCode)
				assert.Equal(t, tc.wantRead, read.Load(), "bytes read from the source")
				if tc.wantStatus == 200 {
					assert.Equal(t, len(content), len(got))
				}
			})
		}
	}
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
				w.Header().Set("Last-Modified", lastModified)
				if r.URL.Query().Has("hijack") {
					conn, rw, err := w.(http.Hijacker).Hijack()
					require.NoError(t, err)
					defer conn.Close()
					_, _ = rw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked")
					_ = rw.Flush()
					return
				}
				_, _ = io.WriteString(w, body)
			})
			app := rt.Build(conditional.New(), h)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				outer.Store(testutil.Interfaces(w))
				app.ServeHTTP(w, r)
			}))
			defer srv.Close()
			for _, q := range []string{"", "?hijack"} {
				req, _ := http.NewRequest("GET", srv.URL+"/files/a.txt"+q, nil)
				req.Header.Set("If-None-Match", `"nope"`) // the wrapper is in place
				resp, err := srv.Client().Do(req)
				require.NoError(t, err)
				got, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				assert.Equal(t, []string{"Flusher", "Hijacker", "ReaderFrom", "StringWriter"}, outer.Load())
				assert.Equal(t, outer.Load(), inner.Load())
				if q == "?hijack" {
					assert.Equal(t, "hijacked", string(got))
				} else {
					assert.Equal(t, body, string(got))
				}
			}
		})
	}
}

// TestMatchesPython sends the same requests to Python 3.12's http.server
// and to the middleware in front of a file handler for the same file, and
// compares the status and, for a 304, the header names (Python's 304 has
// only Server and Date, which Go writes itself or leaves to the caller).
func TestMatchesPython(t *testing.T) {
	dir := t.TempDir()
	mtime := time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)
	path := filepath.Join(dir, "a.txt")
	require.NoError(t, os.WriteFile(path, []byte(body), 0o644))
	require.NoError(t, os.Chtimes(path, mtime, mtime))
	py := oracle.Start(t, dir)

	files := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(path)
		if err != nil {
			http.Error(w, "File not found", http.StatusNotFound)
			return
		}
		defer f.Close()
		fi, err := f.Stat()
		require.NoError(t, err)
		http.ServeContent(w, withoutPreconditions(r), "a.txt", fi.ModTime(), f)
	})
	ours := httptest.NewServer(conditional.New()(files))
	defer ours.Close()

	type request struct {
		method string
		header http.Header
	}
	var requests []request
	for _, ims := range []string{
		"Sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:36 GMT", "Sun, 06 Nov 1994 08:49:38 GMT",
		"Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Sun, 06 Nov 1994 08:49:37 UTC",
		"Sun, 06 Nov 1994 08:49:37 -0000", "Sun, 06 Nov 1994 08:49:37 XYZ", "Sun, 06 Nov 1994 08:49:37",
		"Sun, 06 Nov 1994 09:49:37 +0100", "Sun, 06 Nov 1994 08:49:37 EST", "Sun, 06 Nov 1994 08:49:60 GMT",
		"06 Nov 68 08:49:37", "06 Nov 69 08:49:37", "Sun,\xa006\xa0Nov\xa01994\xa008:49:37\xa0GMT", "garbage", "",
	} {
		requests = append(requests,
			request{"GET", hdr("If-Modified-Since", ims)},
			request{"HEAD", hdr("If-Modified-Since", ims)},
			request{"GET", hdr("If-Modified-Since", ims, "If-None-Match", `"x"`)},
		)
	}
	for _, rq := range requests {
		t.Run(rq.method+" "+strconv.Quote(rq.header.Get("If-Modified-Since"))+" "+strconv.Itoa(len(rq.header)), func(t *testing.T) {
			get := func(base string) *http.Response {
				req, err := http.NewRequest(rq.method, base+"/a.txt", nil)
				require.NoError(t, err)
				req.Header = rq.header.Clone()
				resp, err := http.DefaultTransport.RoundTrip(req)
				require.NoError(t, err)
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				return resp
			}
			want, got := get(py.URL), get(ours.URL)
			assert.Equal(t, want.StatusCode, got.StatusCode)
			if want.StatusCode == http.StatusNotModified {
				assert.Equal(t, headerNames(want.Header), headerNames(got.Header))
			}
		})
	}
}

func headerNames(h http.Header) []string {
	var out []string
	for k := range h {
		if k != "Date" && k != "Server" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// sendfileHeaderEnv carries the request header TestSendfileChild sends.
const sendfileHeaderEnv = "CONDITIONAL_SENDFILE_HEADER"

// TestSendfile runs TestSendfileChild under strace and counts the sendfile
// system calls that moved bytes: a 200 behind the middleware (with the
// wrapper in place) still uses sendfile, a 304 uses none.
func TestSendfile(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   func(t *testing.T, res sendfiletest.Result)
	}{
		{"If-None-Match: \"nope\"", func(t *testing.T, res sendfiletest.Result) {
			assert.Positive(t, res.Calls, "a 200 uses sendfile")
			assert.GreaterOrEqual(t, res.Bytes, int64(1<<20-512), "the file went out through sendfile")
		}},
		{"If-Modified-Since: " + lastModified, func(t *testing.T, res sendfiletest.Result) {
			assert.Zero(t, res.Calls, "a 304 sends no file")
		}},
	} {
		t.Run(tc.header, func(t *testing.T) {
			tc.want(t, sendfiletest.Run(t, "TestSendfileChild", sendfileHeaderEnv+"="+tc.header))
		})
	}
}

// TestSendfileChild is the process TestSendfile traces: it serves a 1 MiB
// file with http.ServeContent behind the middleware, inside chi, and
// fetches it once with the request header given in the environment.
func TestSendfileChild(t *testing.T) {
	sendfiletest.Child(t)
	header := os.Getenv(sendfileHeaderEnv)
	dir := t.TempDir()
	path := filepath.Join(dir, "big.bin")
	require.NoError(t, os.WriteFile(path, bytes.Repeat([]byte("x"), 1<<20), 0o644))
	mtime := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	require.NoError(t, os.Chtimes(path, mtime, mtime))
	r := chi.NewRouter()
	r.Use(conditional.New())
	r.Get("/big.bin", func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(path)
		require.NoError(t, err)
		defer f.Close()
		http.ServeContent(w, withoutPreconditions(r), "big.bin", mtime, f)
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/big.bin", nil)
	name, value, _ := strings.Cut(header, ": ")
	req.Header.Set(name, value)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	n, err := io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		require.EqualValues(t, 1<<20, n)
	}
}
