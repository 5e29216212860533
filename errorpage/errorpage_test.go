package errorpage_test

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/simplehttp/simplehttp/errorpage"
	"github.com/simplehttp/simplehttp/internal/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// page404 is Python 3.12's answer to GET /missing, byte for byte
// (send_error(404, "File not found")); TestMatchesPython re-measures it.
const page404 = `<!DOCTYPE HTML>
<html lang="en">
    <head>
        <meta charset="utf-8">
        <title>Error response</title>
    </head>
    <body>
        <h1>Error response</h1>
        <p>Error code: 404</p>
        <p>Message: File not found.</p>
        <p>Error code explanation: 404 - Nothing matches the given URI.</p>
    </body>
</html>
`

// pageWith is page404 with another code, message and explanation.
func pageWith(code int, msg, explain string) string {
	s := strings.ReplaceAll(page404, "404", strconv.Itoa(code))
	s = strings.Replace(s, "File not found", msg, 1)
	return strings.Replace(s, "Nothing matches the given URI", explain, 1)
}

// handler answers according to its fields.
type handler struct {
	header  map[string]string
	status  int
	body    string
	after   func(w http.ResponseWriter) // runs after WriteHeader
	useFunc func(w http.ResponseWriter, r *http.Request)
}

func (h handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.useFunc != nil {
		h.useFunc(w, r)
		return
	}
	for k, v := range h.header {
		w.Header().Set(k, v)
	}
	if h.status != 0 {
		w.WriteHeader(h.status)
	}
	if h.after != nil {
		h.after(w)
	}
	_, _ = io.WriteString(w, h.body)
}

func httpError(msg string, code int) handler {
	return handler{useFunc: func(w http.ResponseWriter, r *http.Request) { http.Error(w, msg, code) }}
}

type pageCase struct {
	name       string
	h          http.Handler
	wantStatus int
	wantBody   string
	wantHeader map[string]string // "" means absent
}

var pythonHeaders = map[string]string{
	"Connection":             "close",
	"Content-Type":           "text/html;charset=utf-8",
	"X-Content-Type-Options": "",
}

func headersWith(kv ...string) map[string]string {
	m := map[string]string{}
	for k, v := range pythonHeaders {
		m[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

var pageCases = []pageCase{
	{name: "http.Error 404", h: httpError("File not found", 404), wantStatus: 404, wantBody: page404,
		wantHeader: headersWith("Content-Length", strconv.Itoa(len(page404)))},
	{name: "http.Error 501", h: httpError("Unsupported method ('PUT')", 501), wantStatus: 501,
		wantBody: pageWith(501, "Unsupported method ('PUT')", "Server does not support this operation")},
	{name: "message is HTML-escaped, quotes are not", h: httpError(`<script>alert("x" & 'y')</script>`, 400), wantStatus: 400,
		wantBody: pageWith(400, `&lt;script&gt;alert("x" &amp; 'y')&lt;/script&gt;`, "Bad request syntax or unsupported method")},
	{name: "empty message stays empty", h: httpError("", 403), wantStatus: 403,
		wantBody: pageWith(403, "", "Request forbidden -- authorization will not help")},
	{name: "bare status gets Python's short message", h: handler{status: 404}, wantStatus: 404,
		wantBody: pageWith(404, "Not Found", "Nothing matches the given URI")},
	{name: "untyped body is not a message", h: handler{status: 500, body: "boom\n"}, wantStatus: 500,
		wantBody: pageWith(500, "Internal Server Error", "Server got itself in trouble")},
	{name: "unknown status gets ???", h: httpError("odd", 599), wantStatus: 599, wantBody: pageWith(599, "odd", "???")},
	{name: "unknown status without message", h: handler{status: 499}, wantStatus: 499, wantBody: pageWith(499, "???", "???")},
	{name: "two lines are not a message", h: httpError("one\ntwo", 404), wantStatus: 404,
		wantBody: pageWith(404, "Not Found", "Nothing matches the given URI")},
	{name: "carriage return is not a message", h: httpError("one\rtwo", 404), wantStatus: 404,
		wantBody: pageWith(404, "Not Found", "Nothing matches the given URI")},
	{name: "text/plain without final newline is not a message",
		h: handler{header: map[string]string{"Content-Type": "text/plain"}, status: 404, body: "gone"}, wantStatus: 404,
		wantBody: pageWith(404, "Not Found", "Nothing matches the given URI")},
	{name: "text/plain in pieces is a message",
		h: handler{header: map[string]string{"Content-Type": "Text/Plain; charset=us-ascii"}, status: 410, after: func(w http.ResponseWriter) {
			_, _ = w.Write([]byte("long "))
		}, body: "gone\n"}, wantStatus: 410,
		wantBody: pageWith(410, "long gone", "URI no longer exists and has been permanently removed")},
	{name: "body over 64 KiB is not a message", h: httpError(strings.Repeat("x", 64<<10), 404), wantStatus: 404,
		wantBody: pageWith(404, "Not Found", "Nothing matches the given URI")},
	{name: "body of 64 KiB is a message", h: httpError(strings.Repeat("x", 64<<10-1), 404), wantStatus: 404,
		wantBody: pageWith(404, strings.Repeat("x", 64<<10-1), "Nothing matches the given URI")},
	{name: "invalid UTF-8 becomes U+FFFD", h: httpError("caf\xe9", 404), wantStatus: 404,
		wantBody: pageWith(404, "caf\uFFFD", "Nothing matches the given URI")},
	{name: "headers describing the body go, the others stay",
		h: handler{useFunc: func(w http.ResponseWriter, r *http.Request) {
			for k, v := range map[string]string{"Allow": "GET, HEAD", "Etag": `"x"`, "Last-Modified": "Sat, 03 Feb 2001 04:05:06 GMT",
				"Content-Encoding": "gzip", "Accept-Ranges": "bytes", "Set-Cookie": "a=b"} {
				w.Header().Set(k, v)
			}
			http.Error(w, "Unsupported method ('PUT')", http.StatusNotImplemented)
		}}, wantStatus: http.StatusNotImplemented,
		wantHeader: headersWith("Allow", "GET, HEAD", "Set-Cookie", "a=b", "Etag", "", "Last-Modified", "", "Content-Encoding", "", "Accept-Ranges", "")},
	{name: "an outer Cache-Control, ETag and Last-Modified do not survive onto a page",
		h: handler{header: map[string]string{"Cache-Control": "public, max-age=31536000, immutable", "Etag": `"v1"`,
			"Last-Modified": "Sat, 03 Feb 2001 04:05:06 GMT", "Content-Type": "text/plain; charset=utf-8"}, status: 404, body: "File not found\n"},
		wantStatus: 404, wantBody: page404, wantHeader: headersWith("Cache-Control", "", "Etag", "", "Last-Modified", "")},
	{name: "a 416 keeps its Content-Range (RFC 9110 §15.5.17)",
		h: handler{header: map[string]string{"Content-Range": "bytes */1234", "Content-Type": "text/plain; charset=utf-8"}, status: 416,
			body: "Requested Range Not Satisfiable\n"}, wantStatus: 416,
		wantBody:   pageWith(416, "Requested Range Not Satisfiable", "Cannot satisfy request range"),
		wantHeader: headersWith("Content-Range", "bytes */1234")},
	{name: "other errors lose Content-Range",
		h: handler{header: map[string]string{"Content-Range": "bytes 0-9/1234", "Content-Type": "text/plain; charset=utf-8"}, status: 500,
			body: "boom\n"}, wantStatus: 500, wantHeader: headersWith("Content-Range", "")},
	{name: "header changes after WriteHeader are ignored",
		h: handler{header: map[string]string{"Content-Type": "text/plain"}, status: 404, after: func(w http.ResponseWriter) {
			w.Header().Set("X-Late", "1")
		}, body: "late\n"}, wantStatus: 404, wantBody: pageWith(404, "late", "Nothing matches the given URI"),
		wantHeader: map[string]string{"X-Late": ""}},

	// Left alone.
	{name: "own HTML error page", h: handler{header: map[string]string{"Content-Type": "text/html; charset=utf-8"}, status: 404, body: "<h1>custom</h1>"},
		wantStatus: 404, wantBody: "<h1>custom</h1>", wantHeader: map[string]string{"Connection": ""}},
	{name: "own JSON error", h: handler{header: map[string]string{"Content-Type": "application/problem+json"}, status: 409, body: `{"title":"conflict"}`},
		wantStatus: 409, wantBody: `{"title":"conflict"}`},
	{name: "200", h: handler{header: map[string]string{"Content-Type": "text/plain"}, status: 200, body: "fine\n"}, wantStatus: 200, wantBody: "fine\n"},
	{name: "implicit 200", h: handler{body: "fine\n"}, wantStatus: 200, wantBody: "fine\n"},
	{name: "302", h: handler{header: map[string]string{"Location": "/x/"}, status: 302}, wantStatus: 302, wantBody: ""},
	{name: "304", h: handler{status: 304}, wantStatus: 304, wantBody: "", wantHeader: map[string]string{"Content-Type": "", "Content-Length": "", "Connection": ""}},
	{name: "204", h: handler{status: 204}, wantStatus: 204, wantBody: "", wantHeader: map[string]string{"Content-Type": "", "Content-Length": "", "Connection": ""}},
	{name: "205", h: handler{status: 205}, wantStatus: 205, wantBody: "", wantHeader: map[string]string{"Content-Type": "", "Connection": ""}},
}

// TestPages runs every case behind a real server, so that what net/http
// adds or drops (Content-Length, bodies of 204/304, HEAD) is in the result.
func TestPages(t *testing.T) {
	for _, rt := range testutil.Routers {
		t.Run(rt.Name, func(t *testing.T) {
			for _, tc := range pageCases {
				t.Run(tc.name, func(t *testing.T) {
					srv := httptest.NewServer(rt.Build(errorpage.New(), tc.h))
					defer srv.Close()
					client := srv.Client()
					client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
					for _, method := range []string{"GET", "HEAD"} {
						req, err := http.NewRequest(method, srv.URL+"/files/a", nil)
						require.NoError(t, err)
						resp, err := client.Do(req)
						require.NoError(t, err)
						got, err := io.ReadAll(resp.Body)
						require.NoError(t, err)
						resp.Body.Close()

						assert.Equal(t, tc.wantStatus, resp.StatusCode, method)
						if method == "HEAD" {
							assert.Empty(t, got)
						} else if tc.wantBody != "" || tc.wantStatus < 400 {
							assert.Equal(t, tc.wantBody, string(got))
						}
						if tc.wantStatus >= 400 && resp.Header.Get("Connection") == "close" {
							// The page's length, for HEAD too.
							assert.Equal(t, strconv.Itoa(int(resp.ContentLength)), resp.Header.Get("Content-Length"))
							if method == "GET" {
								assert.EqualValues(t, len(got), resp.ContentLength)
							}
						}
						for k, v := range tc.wantHeader {
							if v == "" {
								assert.NotContains(t, resp.Header, http.CanonicalHeaderKey(k), method)
							} else if k == "Connection" {
								assert.True(t, resp.Close, "Connection: close (%s)", method)
							} else {
								assert.Equal(t, v, resp.Header.Get(k), "%s %s", method, k)
							}
						}
					}
				})
			}
		})
	}
}

// TestHEADLength: the HEAD answer carries the GET page's Content-Length.
func TestHEADLength(t *testing.T) {
	srv := httptest.NewServer(errorpage.New()(httpError("File not found", 404)))
	defer srv.Close()
	resp, err := srv.Client().Head(srv.URL)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, strconv.Itoa(len(page404)), resp.Header.Get("Content-Length"))
	assert.Equal(t, "text/html;charset=utf-8", resp.Header.Get("Content-Type"))
}

// TestChiErrors: chi's own 404 and 405 become Python pages.
func TestChiErrors(t *testing.T) {
	r := chi.NewRouter()
	r.Use(errorpage.New())
	r.Get("/only-get", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })
	srv := httptest.NewServer(r)
	defer srv.Close()

	resp, err := srv.Client().Get(srv.URL + "/nowhere")
	require.NoError(t, err)
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, pageWith(404, "404 page not found", "Nothing matches the given URI"), string(got))

	resp, err = srv.Client().Post(srv.URL+"/only-get", "text/plain", nil)
	require.NoError(t, err)
	got, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 405, resp.StatusCode)
	assert.Contains(t, string(got), "<p>Error code explanation: 405 - Specified method is invalid for this resource.</p>")
	assert.Equal(t, "GET", resp.Header.Get("Allow"))
}

func TestOptions(t *testing.T) {
	for _, tc := range []struct {
		name     string
		opts     []errorpage.Option
		h        http.Handler
		wantType string
		wantBody string
	}{
		{"plain text page is not escaped",
			[]errorpage.Option{errorpage.WithPageTemplate("text/plain; charset=utf-8", "{{.Code}} {{.Message}}: {{.Explain}}\n")},
			httpError("a < b & c", 404), "text/plain; charset=utf-8", "404 a < b & c: Nothing matches the given URI\n"},
		{"HTML page is escaped",
			[]errorpage.Option{errorpage.WithPageTemplate(errorpage.DefaultContentType, "<b>{{.Message}}</b>")},
			httpError("a < b & c", 404), "text/html;charset=utf-8", "<b>a &lt; b &amp; c</b>"},
		{"XHTML page is escaped",
			[]errorpage.Option{errorpage.WithPageTemplate("application/xhtml+xml", "<b>{{.Message}}</b>")},
			httpError("<x>", 404), "application/xhtml+xml", "<b>&lt;x&gt;</b>"},
		{"JSON page",
			[]errorpage.Option{errorpage.WithPageTemplate("application/json", `{"code":{{.Code}},"message":"{{.Message}}"}`)},
			httpError(`say "hi"`, 400), "application/json", `{"code":400,"message":"say \"hi\""}`},
		{"a template failing on a request falls back to Python's page",
			[]errorpage.Option{errorpage.WithPageTemplate(errorpage.DefaultContentType, `{{if eq .Code 404}}{{.Message}}{{else}}{{index .Message 99}}{{end}}`)},
			httpError("File not found", 500), "text/html;charset=utf-8", pageWith(500, "File not found", "Server got itself in trouble")},
		{"a fixed page for its code",
			[]errorpage.Option{errorpage.WithPage(404, []byte("<h1>gone</h1>\n"), "text/html; charset=utf-8")},
			httpError("File not found", 404), "text/html; charset=utf-8", "<h1>gone</h1>\n"},
		{"a fixed page leaves other codes to the template",
			[]errorpage.Option{errorpage.WithPage(404, []byte("gone\n"), "text/plain")},
			httpError("No permission", 403), "text/html;charset=utf-8", pageWith(403, "No permission", "Request forbidden -- authorization will not help")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			errorpage.New(tc.opts...)(tc.h).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
			assert.Equal(t, tc.wantType, rec.Header().Get("Content-Type"))
			assert.Equal(t, tc.wantBody, rec.Body.String())
			assert.Equal(t, strconv.Itoa(len(tc.wantBody)), rec.Header().Get("Content-Length"))
		})
	}
}

// TestPanics pins the programmer errors New and the middleware refuse, with
// the package's name first.
func TestPanics(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func()
		want string
	}{
		{"template does not parse", func() { errorpage.New(errorpage.WithPageTemplate("text/html", "{{.Code")) }, "errorpage: WithPageTemplate: "},
		{"template names a missing field", func() { errorpage.New(errorpage.WithPageTemplate("text/html", "{{.Status}}")) }, "errorpage: WithPageTemplate: "},
		{"invalid content type", func() { errorpage.New(errorpage.WithPageTemplate("text html", "x")) }, `errorpage: WithPageTemplate: invalid media type "text html"`},
		{"page for a success", func() { errorpage.New(errorpage.WithPage(200, nil, "text/plain")) }, "errorpage: WithPage: status 200 is not an error"},
		{"page with an invalid type", func() { errorpage.New(errorpage.WithPage(404, nil, "")) }, `errorpage: WithPage: invalid media type ""`},
		{"nil option", func() { errorpage.New(nil) }, "errorpage: nil Option"},
		{"nil handler, at wrap time", func() { errorpage.New()(nil) }, "errorpage: nil handler"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				v := recover()
				require.NotNil(t, v, "must panic")
				assert.True(t, strings.HasPrefix(v.(string), tc.want), "%v", v)
			}()
			tc.f()
		})
	}
}

// TestHandlerShapes pins how the middleware reads handlers that write their
// error in unusual ways: their own Content-Length, many small writes,
// WriteHeader twice, nothing at all.
func TestHandlerShapes(t *testing.T) {
	notFound := "Nothing matches the given URI"
	for _, tc := range []struct {
		name     string
		h        http.HandlerFunc
		want     int
		wantBody string
	}{
		{"own Content-Length", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Content-Length", "15")
			w.WriteHeader(404)
			_, _ = io.WriteString(w, "File not found\n")
		}, 404, page404},
		{"own wrong Content-Length", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("Content-Length", "3")
			w.WriteHeader(404)
			_, _ = io.WriteString(w, "File not found\n")
		}, 404, page404},
		{"one byte at a time", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(404)
			for _, c := range []byte("File not found\n") {
				_, _ = w.Write([]byte{c})
			}
		}, 404, page404},
		{"many small writes over the bound", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(404)
			for range 64 << 10 {
				_, _ = io.WriteString(w, "xy")
			}
			_, _ = io.WriteString(w, "\n")
		}, 404, pageWith(404, "Not Found", notFound)},
		{"404 then 500", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "File not found", 404)
			w.WriteHeader(500)
		}, 404, page404},
		{"200 then 404", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			http.Error(w, "File not found", 404)
		}, 200, "File not found\n"},
		{"status only", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(410)
		}, 410, pageWith(410, "Gone", "URI no longer exists and has been permanently removed")},
		{"nothing at all", func(w http.ResponseWriter, r *http.Request) {}, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(errorpage.New()(tc.h))
			srv.Config.ErrorLog = log.New(io.Discard, "", 0)
			srv.Start()
			defer srv.Close()
			resp, err := srv.Client().Get(srv.URL)
			require.NoError(t, err)
			got, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tc.want, resp.StatusCode)
			assert.Equal(t, tc.wantBody, string(got))
			if tc.want >= 400 {
				assert.Equal(t, strconv.Itoa(len(tc.wantBody)), resp.Header.Get("Content-Length"))
			}
		})
	}
}

// TestHijackAfterError: a handler that writes an error status and then
// takes the connection over gets the page sent first, as net/http sends
// the written status before handing the connection over, and nothing is
// written on the connection once it is the handler's.
func TestHijackAfterError(t *testing.T) {
	var logged strings.Builder
	srv := httptest.NewUnstartedServer(errorpage.New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "File not found", 404)
		conn, _, err := w.(http.Hijacker).Hijack()
		require.NoError(t, err)
		conn.Close()
	})))
	srv.Config.ErrorLog = log.New(&logged, "", 0)
	srv.Start()
	resp, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	srv.Close()
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, page404, string(got))
	assert.Empty(t, logged.String())
}

// TestHEADWritesNoBody: for HEAD the page's headers are set and its body is
// not written at all, so a writer that does not drop HEAD bodies itself (a
// recorder, another middleware) sees none either.
func TestHEADWritesNoBody(t *testing.T) {
	rec := httptest.NewRecorder()
	errorpage.New()(httpError("File not found", 404)).ServeHTTP(rec, httptest.NewRequest("HEAD", "/", nil))
	assert.Equal(t, 404, rec.Code)
	assert.Equal(t, strconv.Itoa(len(page404)), rec.Header().Get("Content-Length"))
	assert.Empty(t, rec.Body.String())
}

// TestErrorHeaders: the page for an error keeps a 416's Content-Range
// (RFC 9110 §15.5.17) and drops the headers a handler in front set for a
// successful response, so a 404 behind "Cache-Control: immutable" is not
// cached for a year.
func TestErrorHeaders(t *testing.T) {
	for _, tc := range []struct {
		code         int
		contentRange string
	}{
		{http.StatusRequestedRangeNotSatisfiable, "bytes */20"},
		{http.StatusNotFound, ""},
	} {
		h := errorpage.New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			w.Header().Set("Etag", `"x"`)
			w.Header().Set("Last-Modified", "Tue, 14 Nov 2023 22:13:20 GMT")
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Range", "bytes */20")
			http.Error(w, "nope", tc.code)
		}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		assert.Equal(t, tc.code, rec.Code)
		assert.Equal(t, tc.contentRange, rec.Header().Get("Content-Range"), tc.code)
		for _, k := range []string{"Cache-Control", "Etag", "Last-Modified", "Content-Encoding"} {
			assert.Empty(t, rec.Header().Values(k), "%d %s", tc.code, k)
		}
	}
}
