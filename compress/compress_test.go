package compress

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/testutil"
)

var text = strings.Repeat("All work and no play makes Jack a dull boy.\n", 100) // 4400 bytes

// decode reads body in the coding named by enc.
func decode(t *testing.T, enc string, body []byte) string {
	t.Helper()
	var r io.Reader
	switch enc {
	case "":
		return string(body)
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		require.NoError(t, err)
		r = zr
	case "zstd":
		zr, err := zstd.NewReader(bytes.NewReader(body))
		require.NoError(t, err)
		defer zr.Close()
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	default:
		t.Fatalf("unknown coding %q", enc)
	}
	out, err := io.ReadAll(r)
	require.NoError(t, err)
	return string(out)
}

// getRaw serves h on a real server (its writer has the ReadFrom a recorder
// lacks) and GETs it with Accept-Encoding: accept, the body left as sent.
// The response, transport and server are closed when the test ends.
func getRaw(t *testing.T, h http.Handler, accept string) *http.Response {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	req, err := http.NewRequest("GET", srv.URL, nil)
	require.NoError(t, err)
	req.Header.Set("Accept-Encoding", accept)
	tr := &http.Transport{DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// respond is a handler that sends body with the given headers and status,
// written in two parts.
func respond(code int, header http.Header, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(code)
		half := len(body) / 2
		io.WriteString(w, body[:half])
		w.Write([]byte(body[half:]))
	}
}

func TestNew(t *testing.T) {
	textLen := strconv.Itoa(len(text))
	plain := http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "Content-Length": {textLen}, "Etag": {`"abc"`}, "Accept-Ranges": {"bytes"}}
	with := func(h http.Header, k string, v ...string) http.Header {
		h = h.Clone()
		h[k] = v
		return h
	}
	without := func(h http.Header, k string) http.Header {
		h = h.Clone()
		delete(h, k)
		return h
	}
	gz := http.Header{"Accept-Encoding": {"gzip"}}
	tests := []struct {
		name     string
		method   string
		request  http.Header
		handler  http.Handler
		encoding string
		vary     bool
		etag     string
		raw      bool // Content-Encoding is the handler's: the body is not ours to decode
	}{
		{name: "gzip", request: gz, handler: respond(200, plain, text), encoding: "gzip", vary: true, etag: `W/"abc-gz"`},
		{name: "zstd", request: http.Header{"Accept-Encoding": {"gzip, zstd"}}, handler: respond(200, plain, text), encoding: "zstd", vary: true, etag: `W/"abc-zst"`},
		{name: "zstd first", request: http.Header{"Accept-Encoding": {"gzip, deflate, br, zstd"}}, handler: respond(200, plain, text), encoding: "zstd", vary: true, etag: `W/"abc-zst"`},
		{name: "br", request: http.Header{"Accept-Encoding": {"gzip, deflate, br"}}, handler: respond(200, plain, text), encoding: "br", vary: true, etag: `W/"abc-br"`},
		{name: "weak etag", request: gz, handler: respond(200, with(plain, "Etag", `W/"abc"`), text), encoding: "gzip", vary: true, etag: `W/"abc-gz"`},
		{name: "no Accept-Encoding", handler: respond(200, plain, text), vary: true, etag: `"abc"`},
		{name: "identity preferred", request: http.Header{"Accept-Encoding": {"gzip;q=0.5, identity"}}, handler: respond(200, plain, text), vary: true, etag: `"abc"`},
		{name: "JSON", request: gz, handler: respond(200, with(plain, "Content-Type", "application/json"), text), encoding: "gzip", vary: true, etag: `W/"abc-gz"`},
		{name: "SVG", request: gz, handler: respond(200, with(plain, "Content-Type", "image/svg+xml"), text), encoding: "gzip", vary: true, etag: `W/"abc-gz"`},
		{name: "PNG", request: gz, handler: respond(200, with(plain, "Content-Type", "image/png"), text), etag: `"abc"`},
		{name: "event stream", request: gz, handler: respond(200, with(plain, "Content-Type", "text/event-stream"), text), etag: `"abc"`},
		{name: "small", request: gz, handler: respond(200, with(plain, "Content-Length", "10"), text[:10]), etag: `"abc"`},
		{name: "small of unknown length", request: gz, handler: respond(200, without(plain, "Content-Length"), text[:10]), etag: `"abc"`},
		{name: "large of unknown length", request: gz, handler: respond(200, without(plain, "Content-Length"), text), encoding: "gzip", vary: true, etag: `W/"abc-gz"`},
		{name: "unknown length, client takes no coding", handler: respond(200, without(plain, "Content-Length"), text), vary: true, etag: `"abc"`},
		{name: "sniffed text", request: gz, handler: respond(200, http.Header{}, text), encoding: "gzip", vary: true},
		{name: "sniffed binary", request: gz, handler: respond(200, http.Header{}, "\x89PNG\r\n\x1a\n"+text), etag: ""},
		{name: "206", request: gz, handler: respond(206, with(plain, "Content-Range", "bytes 0-4399/9000"), text), etag: `"abc"`},
		{name: "404", request: gz, handler: respond(404, plain, text), etag: `"abc"`},
		{name: "already encoded", request: gz, handler: respond(200, with(plain, "Content-Encoding", "gzip"), text), encoding: "gzip", raw: true, etag: `"abc"`},
		{name: "no-transform response", request: gz, handler: respond(200, with(plain, "Cache-Control", "public, no-transform"), text), etag: `"abc"`},
		{name: "no-transform request", request: with(gz, "Cache-Control", "no-transform"), handler: respond(200, plain, text), etag: `"abc"`},
		{name: "Vary kept", request: gz, handler: respond(200, with(plain, "Vary", "Origin"), text), encoding: "gzip", vary: true, etag: `W/"abc-gz"`},
		{name: "HEAD", method: "HEAD", request: gz, handler: respond(200, plain, ""), encoding: "gzip", vary: true, etag: `W/"abc-gz"`},
		{name: "ReadFrom of a file", request: gz, handler: serveFile(t, "a.txt", text), encoding: "gzip", vary: true},
		{name: "ReadFrom of a PNG", request: gz, handler: serveFile(t, "a.png", text)},
		{name: "WriteString only", request: gz, handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/css")
			for i := 0; i < len(text); i += 440 {
				io.WriteString(w, text[i:i+440])
			}
		}), encoding: "gzip", vary: true},
	}
	for _, tc := range tests {
		for _, router := range testutil.Routers {
			t.Run(tc.name+"/"+router.Name, func(t *testing.T) {
				srv := httptest.NewServer(router.Build(New(), tc.handler))
				defer srv.Close()
				tr := &http.Transport{DisableCompression: true}
				defer tr.CloseIdleConnections()
				method := tc.method
				if method == "" {
					method = "GET"
				}
				req, err := http.NewRequest(method, srv.URL+"/files/a", nil)
				require.NoError(t, err)
				for k, v := range tc.request {
					req.Header[k] = v
				}
				resp, err := tr.RoundTrip(req)
				require.NoError(t, err)
				defer resp.Body.Close()
				body, err := io.ReadAll(resp.Body)
				require.NoError(t, err)

				assert.Equal(t, tc.encoding, resp.Header.Get("Content-Encoding"))
				assert.Equal(t, tc.vary, hasToken(resp.Header.Values("Vary"), "Accept-Encoding"), "Vary: %q", resp.Header.Values("Vary"))
				if tc.etag != "" || tc.name == "sniffed binary" {
					assert.Equal(t, tc.etag, resp.Header.Get("Etag"))
				}
				if tc.raw {
					assert.Equal(t, text, string(body))
					return
				}
				if tc.encoding != "" {
					assert.Empty(t, resp.Header.Get("Accept-Ranges"))
					assert.NotEqual(t, textLen, resp.Header.Get("Content-Length"))
					if method == "HEAD" {
						assert.Empty(t, body)
						return
					}
					assert.Equal(t, text, decode(t, tc.encoding, body))
					if tc.name == "sniffed text" {
						assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
					}
					return
				}
				if method == "GET" && resp.StatusCode == 200 {
					assert.Contains(t, text+"\x89PNG\r\n\x1a\n"+text, string(body))
					assert.NotEmpty(t, body)
				}
			})
		}
	}
}

// serveFile serves a file named name with content through
// http.ServeContent, which hands the file to ReadFrom.
func serveFile(t *testing.T, name, content string) http.Handler {
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(p)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		defer f.Close()
		info, _ := f.Stat()
		http.ServeContent(w, r, name, info.ModTime(), f)
	})
}

// TestConditional pins that a client holding a compressed variant gets
// 304 from a handler that knows only its own ETag, with the variant's
// ETag, and that another variant's tag does not match.
func TestConditional(t *testing.T) {
	h := New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("ETag", `"abc"`)
		for _, v := range r.Header.Values("If-None-Match") {
			for _, tag := range entityTags(v) {
				if strings.TrimPrefix(tag, "W/") == `"abc"` {
					w.WriteHeader(http.StatusNotModified)
					return
				}
			}
		}
		io.WriteString(w, text)
	}))
	tests := []struct {
		accept, inm string
		code        int
		etag        string
	}{
		{"gzip", `W/"abc-gz"`, 304, `W/"abc-gz"`},
		{"br", `"x", W/"abc-br"`, 304, `W/"abc-br"`},
		{"zstd", `W/"abc-zst"`, 304, `W/"abc-zst"`},
		{"br", `W/"abc-gz"`, 200, `W/"abc-br"`},
		{"", `W/"abc-gz"`, 200, `"abc"`},
		{"gzip", `"abc"`, 304, `"abc"`},
		{"gzip", `W/"a,b-gz", W/"abc-gz"`, 304, `W/"abc-gz"`},
	}
	for _, tc := range tests {
		t.Run(tc.accept+" "+tc.inm, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			req.Header.Set("If-None-Match", tc.inm)
			if tc.accept != "" {
				req.Header.Set("Accept-Encoding", tc.accept)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			assert.Equal(t, tc.code, rec.Code)
			assert.Equal(t, tc.etag, rec.Header().Get("ETag"))
			assert.Equal(t, []string{tc.inm}, req.Header.Values("If-None-Match"), "the caller's request is not changed")
		})
	}
}

// TestStreaming pins that a compressed response is not buffered: the
// client reads what the handler flushed while the handler still waits.
func TestStreaming(t *testing.T) {
	release := make(chan struct{})
	h := New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, text)
		w.(http.Flusher).Flush()
		<-release
		io.WriteString(w, "end")
	}))
	defer close(release) // before the server closes: it waits for h
	resp := getRaw(t, h, "gzip")
	require.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	zr, err := gzip.NewReader(resp.Body)
	require.NoError(t, err)
	got := make([]byte, len(text))
	_, err = io.ReadFull(zr, got)
	require.NoError(t, err)
	assert.Equal(t, text, string(got))
}

// TestHeaderFlush pins that a Flush made before any of the body (to send
// the headers early, as fileserver does before sendfile) sends the headers
// but does not cut the compressed stream with a sync block, which would be
// empty when the body then comes through ReadFrom; a Flush after some of
// the body does flush that part.
func TestHeaderFlush(t *testing.T) {
	syncMarker := []byte{0, 0, 0xff, 0xff} // ends every deflate sync block
	tests := []struct {
		name   string
		write  func(w http.ResponseWriter)
		blocks int
		body   string
	}{
		{"flush, then ReadFrom", func(w http.ResponseWriter) {
			w.Header().Set("Content-Length", strconv.Itoa(len(text)))
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			_, _ = w.(io.ReaderFrom).ReadFrom(strings.NewReader(text)) // as io.Copy from a file
		}, 0, text},
		{"flush, then Write", func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			_, _ = io.WriteString(w, text)
		}, 0, text},
		{"short Write, flush, Write", func(w http.ResponseWriter) {
			_, _ = io.WriteString(w, text[:100]) // held: under the minimum size
			w.(http.Flusher).Flush()
			_, _ = io.WriteString(w, text[100:])
		}, 1, text},
		{"Write, flush, Write", func(w http.ResponseWriter) {
			_, _ = io.WriteString(w, text)
			w.(http.Flusher).Flush()
			_, _ = io.WriteString(w, "end")
		}, 1, text + "end"},
		{"Write, flush, flush, Write", func(w http.ResponseWriter) {
			_, _ = io.WriteString(w, text)
			w.(http.Flusher).Flush()
			w.(http.Flusher).Flush()
			_, _ = io.WriteString(w, "end")
		}, 1, text + "end"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				tc.write(w)
			}))
			resp := getRaw(t, h, "gzip")
			require.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tc.blocks, bytes.Count(body, syncMarker), "sync blocks in % x", body)
			assert.Equal(t, tc.body, decode(t, "gzip", body))
		})
	}
}

// TestInterfaces pins that the wrapped writer keeps the interfaces of
// net/http's own, and that a response not compressed reaches its ReadFrom
// (sendfile), while a compressed one does not.
func TestInterfaces(t *testing.T) {
	t.Run("net/http's writer", func(t *testing.T) {
		var outer, inner []string
		h := New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { inner = testutil.Interfaces(w) }))
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			outer = testutil.Interfaces(w)
			h.ServeHTTP(w, r)
		}))
		defer srv.Close()
		resp, err := srv.Client().Get(srv.URL)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, []string{"Flusher", "Hijacker", "ReaderFrom", "StringWriter"}, outer)
		assert.Equal(t, outer, inner)
	})
	for _, tc := range []struct {
		name     string
		file     string
		readFrom bool
	}{
		{"compressed", "a.txt", false},
		{"not compressed", "a.png", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var outer, inner []string
			file := serveFile(t, tc.file, text)
			h := New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				inner = testutil.Interfaces(w)
				file.ServeHTTP(w, r)
			}))
			called := false
			resp := getRaw(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				sw := spy{w, &called}
				outer = testutil.Interfaces(sw)
				h.ServeHTTP(sw, r)
			}), "gzip")
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, text, decode(t, resp.Header.Get("Content-Encoding"), body))
			assert.Equal(t, outer, inner)
			assert.Equal(t, tc.readFrom, called)
		})
	}
}

type spy struct {
	http.ResponseWriter
	called *bool
}

func (s spy) ReadFrom(r io.Reader) (int64, error) {
	*s.called = true
	return s.ResponseWriter.(io.ReaderFrom).ReadFrom(r)
}

func (s spy) Flush() { s.ResponseWriter.(http.Flusher).Flush() }

func TestNewPanics(t *testing.T) {
	assert.PanicsWithValue(t, "compress: nil Option", func() { New(nil) })
	assert.PanicsWithValue(t, "compress: WithMinSize: negative size -1", func() { New(WithMinSize(-1)) })
	assert.PanicsWithValue(t, "compress: nil handler", func() { New()(nil) })
}

func TestWithMinSize(t *testing.T) {
	h := New(WithMinSize(0))(respond(200, http.Header{"Content-Type": {"text/plain"}, "Content-Length": {"2"}}, "hi"))
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, "gzip", rec.Header().Get("Content-Encoding"))
	assert.Equal(t, "hi", decode(t, "gzip", rec.Body.Bytes()))
}

func TestCompressible(t *testing.T) {
	for ct, want := range map[string]bool{
		"text/html; charset=utf-8": true, "TEXT/CSS": true, "text/javascript": true,
		"application/json": true, "application/ld+json": true, "image/svg+xml": true,
		"application/wasm": true, "application/xml": true, "font/ttf": true,
		"image/png": false, "application/gzip": false, "video/mp4": false,
		"application/octet-stream": false, "text/event-stream": false, "": false,
	} {
		assert.Equal(t, want, compressible(ct), ct)
	}
}
