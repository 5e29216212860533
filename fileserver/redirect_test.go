package fileserver_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"testing/fstest"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/fileserver"
	"github.com/simplehttp/simplehttp/internal/testutil"
)

// rawGet sends target exactly as written over a new connection to srv and
// returns the response, without following redirects.
func rawGet(t *testing.T, srv *httptest.Server, method, target string) *http.Response {
	t.Helper()
	addr := srv.Listener.Addr().String()
	raw := testutil.Exchange(t, addr, method+" "+target+" HTTP/1.1\r\nHost: "+addr+"\r\nConnection: close\r\n\r\n")
	res, _ := testutil.ReadResponse(t, raw, method)
	return res
}

// TestRedirectUnderPrefix pins the 301 (Python: the path as sent plus "/")
// when the file server is mounted under a prefix: the Location must still
// point at the directory, through the prefix, with the query kept.
func TestRedirectUnderPrefix(t *testing.T) {
	f := newFixture(t)
	fsys := rootFS(t, f.dir).FS()
	stack := fileserver.Index(fsys)(fileserver.New(fsys))

	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static", stack))
	r := chi.NewRouter()
	r.Mount("/files", http.StripPrefix("/files", stack))
	r.Route("/deep", func(r chi.Router) {
		r.Mount("/er", http.StripPrefix("/deep/er", stack))
	})
	servers := map[string]http.Handler{
		"StripPrefix":        http.StripPrefix("/static", stack),
		"ServeMux":           mux,
		"chi Mount":          r,
		"nested chi Mount":   r,
		"no prefix (direct)": stack,
	}
	tests := []struct {
		server, target, location string
		follow                   int // status after following
	}{
		{"StripPrefix", "/static/dir", "/static/dir/", 404},
		{"StripPrefix", "/static/idx?x=1", "/static/idx/?x=1", 200},
		{"StripPrefix", "/static/a%20b", "/static/a%20b/", 404},
		{"StripPrefix", "/static", "/static/", 404},
		{"ServeMux", "/static/idx", "/static/idx/", 200},
		{"ServeMux", "/static/dir/sub", "/static/dir/sub/", 404},
		{"chi Mount", "/files/idx", "/files/idx/", 200},
		{"chi Mount", "/files/dir/sub?q#f", "/files/dir/sub/?q#f", 404},
		{"chi Mount", "/files/a%20b", "/files/a%20b/", 404},
		{"nested chi Mount", "/deep/er/idx", "/deep/er/idx/", 200},
		{"no prefix (direct)", "/idx", "/idx/", 200},
		{"no prefix (direct)", "//idx", "/idx/", 200},
	}
	for _, tt := range tests {
		t.Run(tt.server+" "+tt.target, func(t *testing.T) {
			srv := httptest.NewServer(servers[tt.server])
			defer srv.Close()
			res := rawGet(t, srv, "GET", tt.target)
			assert.Equal(t, http.StatusMovedPermanently, res.StatusCode)
			assert.Equal(t, tt.location, res.Header.Get("Location"))
			assert.Equal(t, "0", res.Header.Get("Content-Length"))
			assert.NotContains(t, res.Header, "Content-Type")

			base, err := url.Parse(srv.URL + "/")
			require.NoError(t, err)
			loc, err := base.Parse(res.Header.Get("Location"))
			require.NoError(t, err)
			loc.Fragment = ""
			assert.Equal(t, tt.follow, rawGet(t, srv, "GET", loc.RequestURI()).StatusCode, "following %s", loc)
		})
	}
}

// TestRedirectAbsoluteForm checks a request target in absolute form
// ("GET http://host/dir"), which Go accepts: the Location is still the
// path plus "/", never the host the target names.
func TestRedirectAbsoluteForm(t *testing.T) {
	f := newFixture(t)
	h := http.StripPrefix("/p", fileserver.New(rootFS(t, f.dir).FS()))
	tests := []struct{ target, location string }{
		{"http://example.test/p/dir", "/p/dir/"},
		{"http://example.test/p/dir?x", "/p/dir/?x"},
		{"http://example.test/p", "/p/"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			res := serve(t, h, "GET", tt.target)
			assert.Equal(t, http.StatusMovedPermanently, res.StatusCode)
			assert.Equal(t, tt.location, res.Header.Get("Location"))
		})
	}
	// Leading empty segments are dropped, as Python drops them from a
	// path: the Location never starts with "//" (another host).
	t.Run("https://example.test//dir", func(t *testing.T) {
		res := serve(t, fileserver.New(rootFS(t, f.dir).FS()), "GET", "https://example.test//dir")
		assert.Equal(t, http.StatusMovedPermanently, res.StatusCode)
		assert.Equal(t, "/dir/", res.Header.Get("Location"))
	})
}

// TestRedirectWithoutRequestURI covers handlers called directly with a
// request that has no RequestURI (a client-side request): r.URL is used.
func TestRedirectWithoutRequestURI(t *testing.T) {
	f := newFixture(t)
	h := fileserver.New(rootFS(t, f.dir).FS())
	tests := []struct{ url, location string }{
		{"http://example.test/dir", "/dir/"},
		{"http://example.test/dir?a=b", "/dir/?a=b"},
		{"http://example.test/a%20b", "/a%20b/"},
		{"http://example.test//dir", "/dir/"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			r, err := http.NewRequest("GET", tt.url, nil)
			require.NoError(t, err)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			assert.Equal(t, http.StatusMovedPermanently, rec.Code)
			assert.Equal(t, tt.location, rec.Header().Get("Location"))
		})
	}
}

// TestPrefixRoot covers the prefix itself under http.StripPrefix, which
// leaves an empty path: "/static/" with StripPrefix("/static/") (the usual
// idiom) is the root with its slash and is served (here: its index page),
// never redirected to itself; "/static" with StripPrefix("/static") is the
// root without its slash and gets Python's 301.
func TestPrefixRoot(t *testing.T) {
	fsys := fstest.MapFS{
		"index.html": {Data: []byte("root index")},
		"d/x.txt":    {Data: []byte("x")},
	}
	stack := fileserver.Index(fsys)(fileserver.New(fsys))
	tests := []struct {
		prefix, target string
		status         int
		location, body string
	}{
		{"/static/", "/static/", 200, "", "root index"},
		{"/static/", "/static/?q=1", 200, "", "root index"},
		{"/static/", "/static/#f", 200, "", "root index"},
		{"/static/", "http://example.test/static/", 200, "", "root index"},
		{"/static/", "/static/d", 301, "/static/d/", ""},
		{"/static", "/static", 301, "/static/", ""},
		{"/static", "/static?q=1", 301, "/static/?q=1", ""},
		{"/static", "/static#f", 301, "/static/#f", ""},
		{"/static", "/static/", 200, "", "root index"},
	}
	for _, tt := range tests {
		t.Run(tt.prefix+" "+tt.target, func(t *testing.T) {
			res := serve(t, http.StripPrefix(tt.prefix, stack), "GET", tt.target)
			assert.Equal(t, tt.status, res.StatusCode)
			assert.Equal(t, tt.location, res.Header.Get("Location"))
			assert.Equal(t, tt.body, body(t, res))
		})
	}
}
