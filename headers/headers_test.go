package headers

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/httperr"
	"github.com/simplehttp/simplehttp/internal/testutil"
)

func TestNew(t *testing.T) {
	set := http.Header{
		"cache-control": {"no-cache"}, // not canonical on purpose
		"X-Two":         {"a", "b"},
		"Vary":          {"Origin"},
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
		code    int
		want    http.Header
	}{
		{"200", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "x") }, 200,
			http.Header{"Cache-Control": {"no-cache"}, "X-Two": {"a", "b"}, "Vary": {"Origin"}}},
		{"nothing written", func(w http.ResponseWriter, r *http.Request) {}, 200,
			http.Header{"Cache-Control": {"no-cache"}, "X-Two": {"a", "b"}}},
		{"replaces the handler's value", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "max-age=60")
			w.Header().Set("X-Two", "handler")
			w.WriteHeader(200)
		}, 200, http.Header{"Cache-Control": {"no-cache"}, "X-Two": {"a", "b"}}},
		{"Vary is added to", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Vary", "Accept-Encoding")
			w.WriteHeader(200)
		}, 200, http.Header{"Vary": {"Accept-Encoding", "Origin"}}},
		{"error that drops Cache-Control", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "x")
			httperr.Error(w, "gone", 404)
		}, 404, http.Header{"Cache-Control": {"no-cache"}}},
		{"304", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(304) }, 304,
			http.Header{"Cache-Control": {"no-cache"}}},
		{"redirect", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/x/", http.StatusMovedPermanently) }, 301,
			http.Header{"Cache-Control": {"no-cache"}}},
		{"ReadFrom", func(w http.ResponseWriter, r *http.Request) {
			w.(io.ReaderFrom).ReadFrom(io.LimitReader(zeros{}, 10))
		}, 200, http.Header{"Cache-Control": {"no-cache"}}},
	}
	for _, tc := range tests {
		for _, router := range testutil.Routers {
			t.Run(tc.name+"/"+router.Name, func(t *testing.T) {
				srv := httptest.NewServer(router.Build(New(set), tc.handler))
				defer srv.Close()
				client := srv.Client()
				client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
				resp, err := client.Get(srv.URL + "/files/a")
				require.NoError(t, err)
				resp.Body.Close()
				assert.Equal(t, tc.code, resp.StatusCode)
				for name, values := range tc.want {
					assert.Equal(t, values, resp.Header.Values(name), name)
				}
			})
		}
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestNewKeepsInterfaces pins that the wrapped writer has the interfaces
// of net/http's own, and that a file goes to its ReadFrom.
func TestNewKeepsInterfaces(t *testing.T) {
	var outer, inner []string
	h := New(http.Header{"X-A": {"1"}})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inner = testutil.Interfaces(w)
	}))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		outer = testutil.Interfaces(w)
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, outer, inner)
	assert.Contains(t, inner, "ReaderFrom")
}

func TestPreflight(t *testing.T) {
	called := false
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		called = true
		w.WriteHeader(http.StatusNotImplemented)
	})
	tests := []struct {
		name    string
		set     http.Header
		opts    []Option
		request http.Header
		code    int
		want    http.Header
	}{
		{name: "echoes", set: http.Header{"Access-Control-Allow-Origin": {"*"}},
			request: http.Header{"Access-Control-Request-Method": {"PUT"}, "Access-Control-Request-Headers": {"X-A,content-type", "x-b"}},
			code:    204,
			want: http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Allow-Methods": {"PUT"},
				"Access-Control-Allow-Headers": {"X-A, content-type, x-b"},
				"Vary":                         {"Access-Control-Request-Method, Access-Control-Request-Headers"}}},
		{name: "configured methods and headers", set: http.Header{"Access-Control-Allow-Origin": {"https://a"},
			"Access-Control-Allow-Methods": {"GET"}, "Access-Control-Allow-Headers": {"X-A"}},
			request: http.Header{"Access-Control-Request-Method": {"PUT"}, "Access-Control-Request-Headers": {"X-B"}},
			code:    204,
			want:    http.Header{"Access-Control-Allow-Methods": {"GET"}, "Access-Control-Allow-Headers": {"X-A"}, "Vary": nil}},
		{name: "invalid request headers are not echoed", set: http.Header{"Access-Control-Allow-Origin": {"*"}},
			request: http.Header{"Access-Control-Request-Method": {"GE T"}, "Access-Control-Request-Headers": {"a b"}},
			code:    204,
			want:    http.Header{"Access-Control-Allow-Methods": nil, "Access-Control-Allow-Headers": nil}},
		{name: "no origin configured", set: http.Header{"X-A": {"1"}},
			request: http.Header{"Access-Control-Request-Method": {"GET"}},
			code:    501, want: http.Header{"X-A": {"1"}, "Access-Control-Allow-Methods": nil}},
		{name: "not a preflight", set: http.Header{"Access-Control-Allow-Origin": {"*"}},
			code: 501, want: http.Header{"Access-Control-Allow-Origin": {"*"}}},
		{name: "WithPreflightPassThrough", set: http.Header{"Access-Control-Allow-Origin": {"*"}}, opts: []Option{WithPreflightPassThrough()},
			request: http.Header{"Access-Control-Request-Method": {"GET"}},
			code:    501, want: http.Header{"Access-Control-Allow-Origin": {"*"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			called = false
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("OPTIONS", "/", nil)
			req.Header = tc.request
			New(tc.set, tc.opts...)(next).ServeHTTP(rec, req)
			assert.Equal(t, tc.code, rec.Code)
			assert.Equal(t, tc.code == 501, called)
			for name, values := range tc.want {
				assert.Equal(t, values, rec.Header().Values(name), name)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name, value string
		err         string
	}{
		{"X-A", "b c\t", ""},
		{"x-a", "caf\u00e9", ""},
		{"Access-Control-Allow-Origin", "*", ""},
		{"", "x", `headers: invalid header name ""`},
		{"X A", "x", `headers: invalid header name "X A"`},
		{"X:A", "x", `headers: invalid header name "X:A"`},
		{"X-A", "a\r\nB: c", `headers: invalid value for X-A: control character '\r'`},
		{"X-A", "a\x00", `headers: invalid value for X-A: control character '\x00'`},
		{"X-A", "a\x7f", `headers: invalid value for X-A: control character '\x7f'`},
		{"content-length", "1", "headers: content-length cannot be set: it describes the body or the connection"},
		{"Transfer-Encoding", "chunked", "headers: Transfer-Encoding cannot be set: it describes the body or the connection"},
		{"Connection", "close", "headers: Connection cannot be set: it describes the body or the connection"},
	}
	for _, tc := range tests {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			err := Check(tc.name, tc.value)
			if tc.err == "" {
				assert.NoError(t, err)
				assert.NotPanics(t, func() { New(http.Header{tc.name: {tc.value}}) })
				return
			}
			assert.EqualError(t, err, tc.err)
			assert.PanicsWithValue(t, tc.err, func() { New(http.Header{tc.name: {tc.value}}) })
		})
	}
}

func TestNewPanics(t *testing.T) {
	assert.PanicsWithValue(t, "headers: nil Option", func() { New(nil, nil) })
	assert.PanicsWithValue(t, "headers: nil handler", func() { New(nil)(nil) })
}

// TestSendfileKept pins that a file served through the middleware still
// reaches the connection's ReadFrom (net/http's sendfile path).
func TestSendfileKept(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	require.NoError(t, os.WriteFile(p, make([]byte, 1<<16), 0o644))
	var readFrom bool
	h := New(http.Header{"X-A": {"1"}})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, p)
	}))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(spy{w, &readFrom}, r)
	}))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	assert.Equal(t, int64(1<<16), n)
	assert.True(t, readFrom)
	assert.Equal(t, "1", resp.Header.Get("X-A"))
}

// spy records a call of ReadFrom.
type spy struct {
	http.ResponseWriter
	called *bool
}

func (s spy) ReadFrom(r io.Reader) (int64, error) {
	*s.called = true
	return s.ResponseWriter.(io.ReaderFrom).ReadFrom(r)
}
