package fileserver_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/simplehttp/simplehttp/fileserver"
	"github.com/simplehttp/simplehttp/internal/urlpath"
)

// fuzzContentTypeSeeds are hand seeds for FuzzContentType (also compared
// with Python in TestGuessTypeMatchesPython).
var fuzzContentTypeSeeds = []string{
	"a.txt", "x.tgz", "t.txt.br", ".hidden", "A.TXT", "x.tar.gz", "x.svgz.gz",
	"a/b.c/d", "...", "x.", "x.\u0130", "x.\u212Aml", "\xff.txt", "a.t\x00xt",
}

// FuzzContentType checks that ContentType never fails, gives a type, and
// only looks at the last segment of the name.
func FuzzContentType(f *testing.F) {
	for _, s := range fuzzContentTypeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := fileserver.ContentType(name)
		if strings.Count(got, "/") != 1 || strings.ContainsAny(got, " ;\r\n") {
			t.Fatalf("ContentType(%q) = %q, not a bare media type", name, got)
		}
		if again := fileserver.ContentType("some.dir/" + name); again != got {
			t.Fatalf("ContentType(%q) = %q but under a directory %q", name, got, again)
		}
	})
}

// FuzzRequestPath sends arbitrary request targets through Index and New:
// a request is answered 200, 301 or 404 (never 500, never a panic), a
// Location never leaves the site ("//" or "/\"), and it names the directory
// that was asked for.
func FuzzRequestPath(f *testing.F) {
	for _, s := range []string{
		"/a.txt", "/dir", "//dir", "/dir?x#y", "/dir#a?b", "/../a.txt", "/%2e%2e/a.txt",
		"/a.txt/", "/a.txt%2f", "/%00", "/\\dir", "/dir/", "/idx/", "/%ZZ", "http://h/dir?q",
		"/" + strings.Repeat("a", 300), "///\\\\dir",
	} {
		f.Add(s)
	}
	fsys := fstest.MapFS{
		"a.txt":          {Data: []byte("a")},
		"dir/b.txt":      {Data: []byte("b")},
		"idx/index.html": {Data: []byte("i")},
		"\\dir/c":        {Data: []byte("c")},
	}
	h := fileserver.Index(fsys)(fileserver.New(fsys))
	f.Fuzz(func(t *testing.T, target string) {
		r, err := http.ReadRequest(newRequestReader("GET", target))
		if err != nil {
			return // net/http's server would answer 400 itself
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		switch rec.Code {
		case 200, 404:
		case 301:
			loc := rec.Header().Get("Location")
			if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
				t.Fatalf("target %q: Location %q", target, loc)
			}
			// Following the redirect (a client does not send the fragment)
			// names the same directory, with a slash.
			loc, _, _ = strings.Cut(loc, "#")
			follow, err := http.ReadRequest(newRequestReader("GET", loc))
			if err != nil {
				t.Fatalf("target %q: Location %q does not parse: %v", target, loc, err)
			}
			want, _, _ := urlpath.FromRequest(r)
			got, slash, ok := urlpath.FromRequest(follow)
			if !ok || !slash || got != want {
				t.Fatalf("target %q -> %q names %q (slash %v), want %q", target, loc, got, slash, want)
			}
		default:
			t.Fatalf("target %q: status %d", target, rec.Code)
		}
	})
}

// FuzzRedirectUnderPrefix serves "/pre" + suffix through
// http.StripPrefix("/pre") and http.StripPrefix("/pre/"): a 301 never
// points at the path that was asked for (a redirect loop), and its Location
// keeps the prefix and ends the path with "/".
func FuzzRedirectUnderPrefix(f *testing.F) {
	for _, s := range []string{"", "/", "?q", "#f", "/dir", "/dir/", "/dir?x#y", "//dir", "/%2e%2e", "/dir/..", "/a.txt", "/%2f"} {
		f.Add(s)
	}
	fsys := fstest.MapFS{
		"a.txt":          {Data: []byte("a")},
		"dir/b.txt":      {Data: []byte("b")},
		"idx/index.html": {Data: []byte("i")},
	}
	stack := fileserver.Index(fsys)(fileserver.New(fsys))
	handlers := []http.Handler{http.StripPrefix("/pre", stack), http.StripPrefix("/pre/", stack)}
	f.Fuzz(func(t *testing.T, suffix string) {
		target := "/pre" + suffix
		for i, h := range handlers {
			r, err := http.ReadRequest(newRequestReader("GET", target))
			if err != nil {
				return
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != http.StatusMovedPermanently {
				continue
			}
			loc := rec.Header().Get("Location")
			locPath := loc
			if i := strings.IndexAny(locPath, "?#"); i >= 0 {
				locPath = locPath[:i]
			}
			reqPath := target
			if i := strings.IndexAny(reqPath, "?#"); i >= 0 {
				reqPath = reqPath[:i]
			}
			if locPath == reqPath || !strings.HasPrefix(locPath, "/pre") || !strings.HasSuffix(locPath, "/") {
				t.Fatalf("handler %d: %q redirected to %q", i, target, loc)
			}
		}
	})
}
