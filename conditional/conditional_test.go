package conditional_test

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/simplehttp/simplehttp/conditional"
	"github.com/simplehttp/simplehttp/internal/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	lastModified = "Sat, 03 Feb 2001 04:05:06 GMT"
	secondBefore = "Sat, 03 Feb 2001 04:05:05 GMT"
	secondAfter  = "Sat, 03 Feb 2001 04:05:07 GMT"
	body         = "hello, world\n"
)

// reply is what the handler under the middleware answers.
type reply struct {
	status int               // 0: no WriteHeader, the first Write means 200
	header map[string]string // set before the status
	write  string            // "Write" (default), "WriteString" or "ReadFrom"
}

func (rp reply) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for k, v := range rp.header {
		w.Header().Set(k, v)
	}
	if rp.status != 0 {
		w.WriteHeader(rp.status)
	}
	switch rp.write {
	case "WriteString":
		_, _ = io.WriteString(w, body)
	case "ReadFrom":
		_, _ = w.(io.ReaderFrom).ReadFrom(strings.NewReader(body))
	default:
		_, _ = w.Write([]byte(body))
	}
}

// file is a reply with a file's validators, like a file handler's 200.
func file(extra ...string) reply {
	h := map[string]string{
		"Last-Modified":  lastModified,
		"Content-Type":   "text/plain; charset=utf-8",
		"Content-Length": "13",
		"Accept-Ranges":  "bytes",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		h[extra[i]] = extra[i+1]
	}
	return reply{status: http.StatusOK, header: h}
}

type ruleCase struct {
	name       string
	method     string // GET when empty
	req        http.Header
	reply      reply
	wantStatus int
	wantHeader map[string]string // "" means absent
}

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// absent304 are the headers Python's 304 does not carry (it has only
// Server and Date).
var absent304 = map[string]string{"Content-Type": "", "Content-Length": "", "Last-Modified": "", "Accept-Ranges": ""}

func with(base map[string]string, kv ...string) map[string]string {
	m := map[string]string{}
	for k, v := range base {
		m[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

var ruleCases = []ruleCase{
	// Python's If-Modified-Since rule.
	{name: "no precondition", req: hdr(), reply: file(), wantStatus: 200,
		wantHeader: map[string]string{"Last-Modified": lastModified, "Content-Length": "13"}},
	{name: "IMS equal is 304", req: hdr("If-Modified-Since", lastModified), reply: file(), wantStatus: 304, wantHeader: absent304},
	{name: "IMS later is 304", req: hdr("If-Modified-Since", secondAfter), reply: file(), wantStatus: 304, wantHeader: absent304},
	{name: "IMS far future is 304 (Python does not check the clock)", req: hdr("If-Modified-Since", "Fri, 01 Jan 9999 00:00:00 GMT"), reply: file(), wantStatus: 304},
	{name: "IMS earlier is 200", req: hdr("If-Modified-Since", secondBefore), reply: file(), wantStatus: 200,
		wantHeader: map[string]string{"Last-Modified": lastModified}},
	{name: "IMS RFC 850", req: hdr("If-Modified-Since", "Saturday, 03-Feb-01 04:05:06 GMT"), reply: file(), wantStatus: 304},
	{name: "IMS asctime", req: hdr("If-Modified-Since", "Sat Feb  3 04:05:06 2001"), reply: file(), wantStatus: 304},
	{name: "IMS no zone", req: hdr("If-Modified-Since", "03 Feb 2001 04:05:06"), reply: file(), wantStatus: 304},
	{name: "IMS +0100 naming a later instant is ignored", req: hdr("If-Modified-Since", "Sat, 03 Feb 2001 06:05:06 +0100"), reply: file(), wantStatus: 200},
	{name: "IMS EST is ignored", req: hdr("If-Modified-Since", "Sat, 03 Feb 2001 04:05:06 EST"), reply: file(), wantStatus: 200},
	{name: "IMS garbage is ignored", req: hdr("If-Modified-Since", "yesterday"), reply: file(), wantStatus: 200},
	{name: "IMS first header counts", req: hdr("If-Modified-Since", lastModified, "If-Modified-Since", secondBefore), reply: file(), wantStatus: 304},
	{name: "IMS ignored with If-None-Match", req: hdr("If-Modified-Since", lastModified, "If-None-Match", `"other"`), reply: file(), wantStatus: 200},
	{name: "IMS ignored with empty If-None-Match", req: hdr("If-Modified-Since", lastModified, "If-None-Match", ""), reply: file(), wantStatus: 200},
	{name: "IMS without Last-Modified (a listing) is 200", req: hdr("If-Modified-Since", secondAfter),
		reply: reply{status: 200, header: map[string]string{"Content-Type": "text/html; charset=utf-8"}}, wantStatus: 200},
	{name: "IMS with unreadable Last-Modified is 200", req: hdr("If-Modified-Since", secondAfter), reply: file("Last-Modified", "recently"), wantStatus: 200},
	{name: "IMS ignored for POST", method: "POST", req: hdr("If-Modified-Since", lastModified), reply: file(), wantStatus: 200},
	{name: "IMS on HEAD is 304", method: "HEAD", req: hdr("If-Modified-Since", lastModified), reply: file(), wantStatus: 304, wantHeader: absent304},
	{name: "IMS on a 404 is left alone", req: hdr("If-Modified-Since", lastModified),
		reply: reply{status: 404, header: map[string]string{"Last-Modified": lastModified}}, wantStatus: 404},
	{name: "IMS on a 206 is 304", req: hdr("If-Modified-Since", lastModified), reply: reply{status: 206, header: map[string]string{"Last-Modified": lastModified, "Content-Range": "bytes 0-12/13"}},
		wantStatus: 304, wantHeader: map[string]string{"Content-Range": ""}},
	{name: "IMS with implicit 200 from Write", req: hdr("If-Modified-Since", lastModified), reply: reply{header: map[string]string{"Last-Modified": lastModified}}, wantStatus: 304},
	{name: "IMS with implicit 200 from WriteString", req: hdr("If-Modified-Since", lastModified), reply: reply{header: map[string]string{"Last-Modified": lastModified}, write: "WriteString"}, wantStatus: 304},
	{name: "304 keeps caching headers and drops the body's", req: hdr("If-Modified-Since", lastModified),
		reply: file("Cache-Control", "max-age=60", "Vary", "Accept-Encoding", "X-Custom", "kept", "Content-Encoding", "gzip"), wantStatus: 304,
		wantHeader: with(absent304, "Cache-Control", "max-age=60", "Vary", "Accept-Encoding", "X-Custom", "kept", "Content-Encoding", "")},

	// If-None-Match, beyond Python.
	{name: "INM strong match is 304 and keeps the ETag", req: hdr("If-None-Match", `"v1"`), reply: file("Etag", `"v1"`), wantStatus: 304,
		wantHeader: with(absent304, "Etag", `"v1"`)},
	{name: "INM weak against strong is 304", req: hdr("If-None-Match", `W/"v1"`), reply: file("Etag", `"v1"`), wantStatus: 304},
	{name: "INM strong against weak is 304", req: hdr("If-None-Match", `"v1"`), reply: file("Etag", `W/"v1"`), wantStatus: 304},
	{name: "INM list", req: hdr("If-None-Match", `"a", W/"b" ,"v1"`), reply: file("Etag", `"v1"`), wantStatus: 304},
	{name: "INM list over two lines", req: hdr("If-None-Match", `"a"`, "If-None-Match", `"v1"`), reply: file("Etag", `"v1"`), wantStatus: 304},
	{name: "INM star", req: hdr("If-None-Match", "*"), reply: file("Etag", `"v1"`), wantStatus: 304},
	{name: "INM star without ETag", req: hdr("If-None-Match", "*"), reply: file(), wantStatus: 304},
	{name: "INM no match is 200", req: hdr("If-None-Match", `"v2"`), reply: file("Etag", `"v1"`), wantStatus: 200},
	{name: "INM without ETag is 200", req: hdr("If-None-Match", `"v1"`), reply: file(), wantStatus: 200},
	{name: "INM unquoted is not a tag", req: hdr("If-None-Match", `v1`), reply: file("Etag", `"v1"`), wantStatus: 200},
	{name: "INM reading stops at a malformed member", req: hdr("If-None-Match", `"a", bad, "v1"`), reply: file("Etag", `"v1"`), wantStatus: 200},
	{name: "INM against a malformed ETag", req: hdr("If-None-Match", `"v1"`), reply: file("Etag", `v1`), wantStatus: 200},
	{name: "INM beats IMS: match", req: hdr("If-None-Match", `"v1"`, "If-Modified-Since", secondBefore), reply: file("Etag", `"v1"`), wantStatus: 304},
	{name: "INM match on POST is 412", method: "POST", req: hdr("If-None-Match", `"v1"`), reply: file("Etag", `"v1"`), wantStatus: 412,
		wantHeader: map[string]string{"Content-Type": "text/plain; charset=utf-8", "Etag": "", "Last-Modified": ""}},
	{name: "INM star on PUT is 412", method: "PUT", req: hdr("If-None-Match", "*"), reply: file(), wantStatus: 412},
	{name: "INM match on a 201 is left alone", method: "PUT", req: hdr("If-None-Match", "*"), reply: reply{status: 201, header: map[string]string{"Etag": `"v1"`}}, wantStatus: 201},

	// If-Match and If-Unmodified-Since, beyond Python.
	{name: "If-Match strong match is 200", req: hdr("If-Match", `"v1"`), reply: file("Etag", `"v1"`), wantStatus: 200},
	{name: "If-Match mismatch is 412", req: hdr("If-Match", `"v2"`), reply: file("Etag", `"v1"`), wantStatus: 412},
	{name: "If-Match weak never matches", req: hdr("If-Match", `W/"v1"`), reply: file("Etag", `W/"v1"`), wantStatus: 412},
	{name: "If-Match list", req: hdr("If-Match", `"a", "v1"`), reply: file("Etag", `"v1"`), wantStatus: 200},
	{name: "If-Match star", req: hdr("If-Match", "*"), reply: file(), wantStatus: 200},
	{name: "If-Match without ETag is 412", req: hdr("If-Match", `"v1"`), reply: file(), wantStatus: 412},
	{name: "If-Match empty is absent", req: hdr("If-Match", " "), reply: file(), wantStatus: 200},
	{name: "If-Match on a 404 is left alone", req: hdr("If-Match", `"v1"`), reply: reply{status: 404}, wantStatus: 404},
	{name: "IUS equal is 200", req: hdr("If-Unmodified-Since", lastModified), reply: file(), wantStatus: 200},
	{name: "IUS later is 200", req: hdr("If-Unmodified-Since", secondAfter), reply: file(), wantStatus: 200},
	{name: "IUS earlier is 412", req: hdr("If-Unmodified-Since", secondBefore), reply: file(), wantStatus: 412},
	{name: "IUS earlier on PUT is 412", method: "PUT", req: hdr("If-Unmodified-Since", secondBefore), reply: file(), wantStatus: 412},
	{name: "IUS garbage is ignored", req: hdr("If-Unmodified-Since", "soon"), reply: file(), wantStatus: 200},
	{name: "IUS without Last-Modified is ignored", req: hdr("If-Unmodified-Since", secondBefore), reply: reply{status: 200}, wantStatus: 200},
	{name: "IUS ignored when If-Match is present", req: hdr("If-Match", `"v1"`, "If-Unmodified-Since", secondBefore), reply: file("Etag", `"v1"`), wantStatus: 200},

	// RFC 9110 §13.2.2 order.
	{name: "If-Match failure before INM match", req: hdr("If-Match", `"v2"`, "If-None-Match", `"v1"`), reply: file("Etag", `"v1"`), wantStatus: 412},
	{name: "IUS failure before IMS", req: hdr("If-Unmodified-Since", secondBefore, "If-Modified-Since", lastModified), reply: file(), wantStatus: 412},
	{name: "If-Match pass then INM match", req: hdr("If-Match", `"v1"`, "If-None-Match", `W/"v1"`), reply: file("Etag", `"v1"`), wantStatus: 304},
	{name: "IUS pass then IMS", req: hdr("If-Unmodified-Since", lastModified, "If-Modified-Since", lastModified), reply: file(), wantStatus: 304},
}

func TestRules(t *testing.T) {
	for _, rt := range testutil.Routers {
		t.Run(rt.Name, func(t *testing.T) {
			for _, tc := range ruleCases {
				t.Run(tc.name, func(t *testing.T) {
					method := tc.method
					if method == "" {
						method = http.MethodGet
					}
					req := httptest.NewRequest(method, "/files/a.txt", nil)
					req.Header = tc.req
					rec := httptest.NewRecorder()
					rt.Build(conditional.New(), tc.reply).ServeHTTP(rec, req)

					assert.Equal(t, tc.wantStatus, rec.Code)
					switch tc.wantStatus {
					case 304:
						assert.Empty(t, rec.Body.String(), "a 304 has no body")
					case 412:
						assert.Equal(t, "Precondition Failed\n", rec.Body.String())
					default:
						assert.Equal(t, body, rec.Body.String())
					}
					for k, v := range tc.wantHeader {
						if v == "" {
							assert.NotContains(t, rec.Header(), http.CanonicalHeaderKey(k))
						} else {
							assert.Equal(t, v, rec.Header().Get(k), k)
						}
					}
				})
			}
		})
	}
}

// TestWriteMethods checks that each way of writing the body commits the
// status, and that after a 304 every one of them is refused.
func TestWriteMethods(t *testing.T) {
	for _, method := range []string{"Write", "WriteString", "ReadFrom"} {
		t.Run(method, func(t *testing.T) {
			errs := make(chan error, 1)
			h := conditional.New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var err error
				defer func() { errs <- err }()
				w.Header().Set("Last-Modified", lastModified)
				switch method {
				case "Write":
					_, err = w.Write([]byte(body))
				case "WriteString":
					_, err = io.WriteString(w, body)
				case "ReadFrom":
					rf, ok := w.(io.ReaderFrom)
					require.True(t, ok, "a real server's writer has ReadFrom")
					_, err = rf.ReadFrom(strings.NewReader(body))
				}
			}))
			srv := httptest.NewServer(h)
			defer srv.Close()
			for _, tc := range []struct {
				ims     string
				status  int
				wantErr error
			}{
				{secondBefore, 200, nil},
				{lastModified, 304, http.ErrBodyNotAllowed},
			} {
				req, _ := http.NewRequest("GET", srv.URL, nil)
				req.Header.Set("If-Modified-Since", tc.ims)
				resp, rerr := srv.Client().Do(req)
				require.NoError(t, rerr)
				got, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				assert.Equal(t, tc.status, resp.StatusCode)
				err := <-errs
				if tc.wantErr == nil {
					assert.NoError(t, err)
				} else {
					assert.ErrorIs(t, err, tc.wantErr)
				}
				if tc.status == 200 {
					assert.Equal(t, body, string(got))
				}
			}
		})
	}
}

// TestFlushCommits: a Flush before any write commits a 200, so the
// preconditions are decided there.
func TestFlushCommits(t *testing.T) {
	h := conditional.New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Last-Modified", lastModified)
		w.(http.Flusher).Flush()
		_, _ = io.WriteString(w, body)
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	for ims, want := range map[string]int{lastModified: 304, secondBefore: 200} {
		req, _ := http.NewRequest("GET", srv.URL, nil)
		req.Header.Set("If-Modified-Since", ims)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode, ims)
	}
}

// TestInformationalStatus: a 103 Early Hints is passed on and does not
// count as the final status.
func TestInformationalStatus(t *testing.T) {
	h := conditional.New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		w.Header().Set("Last-Modified", lastModified)
		w.WriteHeader(http.StatusOK)
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("If-Modified-Since", lastModified)
	var got1xx []int
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		Got1xxResponse: func(code int, header textproto.MIMEHeader) error {
			got1xx = append(got1xx, code)
			return nil
		},
	}))
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, []int{http.StatusEarlyHints}, got1xx)
	assert.Equal(t, http.StatusNotModified, resp.StatusCode)
}

func TestWithDateParser(t *testing.T) {
	strict := conditional.WithDateParser(func(v string) (time.Time, bool) {
		t, err := http.ParseTime(v)
		return t, err == nil
	})
	for _, tc := range []struct {
		name string
		opts []conditional.Option
		ims  string
		want int
	}{
		{"Python accepts UTC", nil, "Sat, 03 Feb 2001 04:05:06 UTC", 304},
		{"strict refuses UTC", []conditional.Option{strict}, "Sat, 03 Feb 2001 04:05:06 UTC", 200},
		{"strict takes GMT", []conditional.Option{strict}, lastModified, 304},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("GET", "/", nil)
			req.Header.Set("If-Modified-Since", tc.ims)
			conditional.New(tc.opts...)(file()).ServeHTTP(rec, req)
			assert.Equal(t, tc.want, rec.Code)
		})
	}
	assert.PanicsWithValue(t, "conditional: WithDateParser: nil parser", func() {
		conditional.New(conditional.WithDateParser(nil))
	})
}

// TestHandlerWritesNothing: a handler that sets its validators and returns
// without writing has answered 200 (net/http sends it when the handler
// returns), so the preconditions apply to it as to any 200.
func TestHandlerWritesNothing(t *testing.T) {
	h := conditional.New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Last-Modified", lastModified)
		w.Header().Set("Etag", `"v1"`)
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, tc := range []struct {
		header, value string
		want          int
	}{
		{"If-Modified-Since", lastModified, 304},
		{"If-Modified-Since", secondBefore, 200},
		{"If-None-Match", `"v1"`, 304},
		{"If-Match", `"v2"`, 412},
	} {
		t.Run(tc.header+" "+tc.value, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL, nil)
			req.Header.Set(tc.header, tc.value)
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tc.want, resp.StatusCode)
		})
	}
}

// TestWriteHeaderTwice: the first final status counts, as in net/http; a
// second WriteHeader after a 304 is dropped rather than logged as a
// superfluous call by net/http.
func TestWriteHeaderTwice(t *testing.T) {
	for _, tc := range []struct {
		name   string
		first  int
		ims    string
		want   int
		wantLE string // what the handler's later Write returns
	}{
		{"200 then 500, not modified", 200, lastModified, 304, http.ErrBodyNotAllowed.Error()},
		{"200 then 500, modified", 200, secondBefore, 200, ""},
		{"404 then 200", 404, lastModified, 404, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logged strings.Builder
			errs := make(chan error, 1)
			srv := httptest.NewUnstartedServer(conditional.New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Last-Modified", lastModified)
				w.WriteHeader(tc.first)
				w.WriteHeader(http.StatusInternalServerError)
				_, err := io.WriteString(w, body)
				errs <- err
			})))
			srv.Config.ErrorLog = log.New(&logged, "", 0)
			srv.Start()
			defer srv.Close()
			req, _ := http.NewRequest("GET", srv.URL, nil)
			req.Header.Set("If-Modified-Since", tc.ims)
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tc.want, resp.StatusCode)
			if err := <-errs; tc.wantLE == "" {
				assert.NoError(t, err)
			} else {
				assert.EqualError(t, err, tc.wantLE)
			}
			srv.Close()
			if tc.want == 304 {
				assert.Empty(t, logged.String())
			}
		})
	}
}

// TestHijackWithoutWriting: a handler that takes the connection over
// without writing a status is left alone, before and after it returns.
func TestHijackWithoutWriting(t *testing.T) {
	var logged strings.Builder
	srv := httptest.NewUnstartedServer(conditional.New()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Last-Modified", lastModified)
		conn, rw, err := w.(http.Hijacker).Hijack()
		require.NoError(t, err)
		defer conn.Close()
		_, _ = rw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked")
		_ = rw.Flush()
	})))
	srv.Config.ErrorLog = log.New(&logged, "", 0)
	srv.Start()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("If-Modified-Since", lastModified)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	srv.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "hijacked", string(got))
	assert.Empty(t, logged.String(), "nothing is written on the hijacked connection")
}

// TestRangeNotSatisfiable: a 416 is an error, and the preconditions are
// only evaluated for 200 and 206 (RFC 9110 §13.2.1). A handler that serves
// ranges evaluates its preconditions before Range itself (RFC 9110 §14.2),
// as http.ServeContent and fileserver.New do; the middleware does not
// second-guess its 416, whatever validators it carries.
func TestRangeNotSatisfiable(t *testing.T) {
	h := reply{status: http.StatusRequestedRangeNotSatisfiable, header: map[string]string{
		"Last-Modified": lastModified, "Etag": `"v1"`, "Content-Range": "bytes */13",
	}}
	for _, tc := range []struct {
		name string
		req  http.Header
	}{
		{"IMS not modified", hdr("Range", "bytes=100-", "If-Modified-Since", lastModified)},
		{"INM match", hdr("Range", "bytes=100-", "If-None-Match", `"v1"`)},
		{"If-Match fails", hdr("Range", "bytes=100-", "If-Match", `"v2"`)},
		{"IMS modified", hdr("Range", "bytes=100-", "If-Modified-Since", secondBefore)},
		{"no Range", hdr("If-Modified-Since", lastModified)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/a.txt", nil)
			req.Header = tc.req
			rec := httptest.NewRecorder()
			conditional.New()(h).ServeHTTP(rec, req)
			assert.Equal(t, http.StatusRequestedRangeNotSatisfiable, rec.Code)
			assert.Equal(t, "bytes */13", rec.Header().Get("Content-Range"))
		})
	}
}

// TestConstructorPanics pins that programmer errors panic when the
// middleware is built, never on a request.
func TestConstructorPanics(t *testing.T) {
	assert.PanicsWithValue(t, "conditional: nil Option", func() { conditional.New(nil) })
	assert.PanicsWithValue(t, "conditional: WithDateParser: nil parser", func() { conditional.New(conditional.WithDateParser(nil)) })
	assert.PanicsWithValue(t, "conditional: nil next handler", func() { conditional.New()(nil) })
}

// TestNoPreconditionNotWrapped pins that a request without If-Match,
// If-None-Match, If-Modified-Since or If-Unmodified-Since reaches the
// handler with the very writer the middleware was given, so nothing is
// wrapped; with any of them (even empty) the writer is wrapped.
func TestNoPreconditionNotWrapped(t *testing.T) {
	tests := []struct {
		name     string
		header   map[string]string
		wantSame bool
	}{
		{name: "none", wantSame: true},
		{name: "other headers only", header: map[string]string{"Range": "bytes=0-1", "If-Range": `"x"`, "Cache-Control": "no-cache"}, wantSame: true},
		{name: "If-None-Match", header: map[string]string{"If-None-Match": `"x"`}},
		{name: "empty If-None-Match", header: map[string]string{"If-None-Match": ""}},
		{name: "If-Modified-Since", header: map[string]string{"If-Modified-Since": lastModified}},
		{name: "If-Match", header: map[string]string{"If-Match": "*"}},
		{name: "If-Unmodified-Since", header: map[string]string{"If-Unmodified-Since": lastModified}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got http.ResponseWriter
			h := conditional.New()(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				got = w
			}))
			req := httptest.NewRequest(http.MethodGet, "/a.txt", nil)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			var w http.ResponseWriter = httptest.NewRecorder()
			h.ServeHTTP(w, req)
			require.NotNil(t, got)
			assert.Equal(t, tt.wantSame, got == w, "handler got the middleware's own writer")
		})
	}
}
