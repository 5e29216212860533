package fileserver_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"

	"github.com/simplehttp/simplehttp/fileserver"
)

// TestIndex pins Python's index_pages lookup: a directory asked for with
// its slash serves index.html, else index.htm, when that is a regular file
// (os.path.isfile, so a link to a file counts and a directory does not).
func TestIndex(t *testing.T) {
	f := newFixture(t)
	fsys := rootFS(t, f.dir).FS()
	h := fileserver.Index(fsys)(fileserver.New(fsys))

	tests := []struct {
		name, method, target string
		status               int
		ctype, body          string
	}{
		{"index.html", "GET", "/idx/", 200, "text/html", "<h1>idx</h1>\n"},
		{"index.html HEAD", "HEAD", "/idx/", 200, "text/html", ""},
		{"index.htm", "GET", "/idxhtm/", 200, "text/html", "<h1>idxhtm</h1>\n"},
		{"index.html before index.htm", "GET", "/both/", 200, "text/html", "html\n"},
		{"a directory called index.html does not count", "GET", "/dirindex/", 200, "text/html", "htm wins\n"},
		{"only a directory called index.html", "GET", "/onlydirindex/", 404, "text/plain; charset=utf-8", "File not found\n"},
		{"with a query", "GET", "/idx/?x=1", 200, "text/html", "<h1>idx</h1>\n"},
		{"with a fragment", "GET", "/idx/#top", 200, "text/html", "<h1>idx</h1>\n"},
		{"double slash", "GET", "//idx//", 200, "text/html", "<h1>idx</h1>\n"},
		{"encoded name", "GET", "/%69dx/", 200, "text/html", "<h1>idx</h1>\n"},
		{"encoded slash at the end is no slash", "GET", "/idx%2f", 301, "", ""},
		{"without the slash: the redirect first", "GET", "/idx", 301, "", ""},
		{"no index", "GET", "/dir/", 404, "text/plain; charset=utf-8", "File not found\n"},
		{"a file with a slash", "GET", "/a.txt/", 404, "text/plain; charset=utf-8", "File not found\n"},
		{"not for other methods", "POST", "/idx/", 501, "text/plain; charset=utf-8", "Unsupported method ('POST')\n"},
		{"the index file itself", "GET", "/idx/index.html", 200, "text/html", "<h1>idx</h1>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := serve(t, h, tt.method, tt.target)
			assert.Equal(t, tt.status, res.StatusCode)
			assert.Equal(t, tt.ctype, res.Header.Get("Content-Type"))
			assert.Equal(t, tt.body, body(t, res))
		})
	}
}

// TestIndexRequest checks what next receives: a clone for the index file
// (the original request untouched, RequestURI kept for logs), or the
// request itself.
func TestIndexRequest(t *testing.T) {
	fsys := fstest.MapFS{
		"d/index.html":    {Data: []byte("i")},
		"a b/index.html":  {Data: []byte("i")},
		"d/home.htm":      {Data: []byte("h")},
		"linked/x":        {Data: []byte("x")},
		"e/index.html/x":  {Data: []byte("x")},
		"p%/index.html":   {Data: []byte("p")},
		"e/index.htm":     {Data: []byte("htm")},
		"noindex/foo.txt": {Data: []byte("f")},
	}
	tests := []struct {
		name, method, target string
		opts                 []fileserver.IndexOption
		path, escaped        string // what next sees
		cloned               bool
	}{
		{"index", "GET", "/d/", nil, "/d/index.html", "/d/index.html", true},
		{"HEAD", "HEAD", "/d/", nil, "/d/index.html", "/d/index.html", true},
		{"escaped directory", "GET", "/a%20b/", nil, "/a b/index.html", "/a%20b/index.html", true},
		{"percent in the name", "GET", "/p%25/", nil, "/p%/index.html", "/p%25/index.html", true},
		{"lower-case escape kept", "GET", "/%61%20b/", nil, "/a b/index.html", "/%61%20b/index.html", true},
		{"fragment dropped", "GET", "/d/#x", nil, "/d/index.html", "/d/index.html", true},
		{"index.htm when index.html is a directory", "GET", "/e/", nil, "/e/index.htm", "/e/index.htm", true},
		{"custom names", "GET", "/d/", []fileserver.IndexOption{fileserver.WithIndexNames("home.htm", "index.html")}, "/d/home.htm", "/d/home.htm", true},
		{"no names", "GET", "/d/", []fileserver.IndexOption{fileserver.WithIndexNames()}, "/d/", "/d/", false},
		{"no index", "GET", "/noindex/", nil, "/noindex/", "/noindex/", false},
		{"no slash", "GET", "/d", nil, "/d", "/d", false},
		{"POST", "POST", "/d/", nil, "/d/", "/d/", false},
		{"missing", "GET", "/nothere/", nil, "/nothere/", "/nothere/", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *http.Request
			next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r })
			r := parseRequest(t, tt.method, tt.target)
			origPath := r.URL.Path
			fileserver.Index(fsys, tt.opts...)(next).ServeHTTP(httptest.NewRecorder(), r)
			if assert.NotNil(t, got) {
				assert.Equal(t, tt.path, got.URL.Path)
				assert.Equal(t, tt.escaped, got.URL.EscapedPath())
				assert.Equal(t, tt.target, got.RequestURI)
				assert.Equal(t, tt.cloned, got != r)
				assert.Equal(t, origPath, r.URL.Path, "original request changed")
			}
		})
	}
}

// TestIndexUnderStripPrefix: the clone keeps working when the prefix has
// been stripped (both Path and RawPath).
func TestIndexUnderStripPrefix(t *testing.T) {
	fsys := fstest.MapFS{"a b/index.html": {Data: []byte("i")}}
	h := http.StripPrefix("/pre", fileserver.Index(fsys)(fileserver.New(fsys)))
	for _, target := range []string{"/pre/a%20b/", "/pre/%61%20b/"} {
		t.Run(target, func(t *testing.T) {
			res := serve(t, h, "GET", target)
			assert.Equal(t, 200, res.StatusCode)
			assert.Equal(t, "i", body(t, res))
		})
	}
}
