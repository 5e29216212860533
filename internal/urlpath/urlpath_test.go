package urlpath

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFromRequest(t *testing.T) {
	tests := []struct {
		target string
		name   string
		slash  bool
		ok     bool
	}{
		{"/", ".", true, true},
		{"/a.txt", "a.txt", false, true},
		{"/dir/", "dir", true, true},
		{"//dir//a.txt", "dir/a.txt", false, true},
		{"/../a.txt", "a.txt", false, true},        // Python: a ".." above the root is dropped
		{"/x/../../a.txt", "a.txt", false, true},   //
		{"/./dir/./", "dir", true, true},           //
		{"/a.txt%2f", "a.txt", false, true},        // Python 3.12: the slash is looked for in the raw path
		{"/dir%2fa.txt", "dir/a.txt", false, true}, // %2f decodes to a separator
		{"/a%20b.txt", "a b.txt", false, true},     //
		{"/a%23b", "a#b", false, true},             // an encoded '#' is part of the name
		{"/a.txt#frag", "a.txt", false, true},      // a raw fragment is dropped
		{"/%2e%2e/%2e%2e/etc/passwd", "etc/passwd", false, true},
		{"/a%00b", "", false, false},  // NUL: cannot name a file
		{"/%ff", "\xff", false, true}, // invalid UTF-8 is kept as bytes
		{"/dir/..", ".", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tt.target, nil)
			name, slash, ok := FromRequest(r)
			assert.Equal(t, tt.ok, ok)
			if tt.ok {
				assert.Equal(t, tt.name, name)
				assert.Equal(t, tt.slash, slash)
			}
		})
	}
}

func TestFromRequestUnderStripPrefix(t *testing.T) {
	var name string
	h := http.StripPrefix("/static", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, _, _ = FromRequest(r)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/static/d%2fa%20b.txt", nil))
	assert.Equal(t, "d/a b.txt", name)
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"/", "/a/../b", "//x//y/", "/../../..", "/a/./b/.."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		name := Clean(p)
		if name == "." {
			return
		}
		for _, seg := range strings.Split(name, "/") {
			if seg == "" || seg == "." || seg == ".." {
				t.Fatalf("Clean(%q) = %q has segment %q", p, name, seg)
			}
		}
	})
}

// TestFromRequestEmptyPath: http.StripPrefix leaves an empty path for the
// prefix itself; the request target decides whether the root was asked for
// with its slash (so a file server redirects "/static" but not "/static/").
func TestFromRequestEmptyPath(t *testing.T) {
	tests := []struct {
		prefix, target string
		slash          bool
	}{
		{"/static/", "/static/", true},
		{"/static/", "/static/?q", true},
		{"/static/", "/static/#f", true},
		{"/static/", "http://h/static/", true},
		{"/static", "/static", false},
		{"/static", "/static?q", false},
		{"/static", "/static#f", false},
		{"/static", "/static#a?b", false},
		{"/static", "http://h/static?q", false},
		{"/s t/", "/s%20t/", true},
		{"/s t", "/s%20t", false},
	}
	for _, tt := range tests {
		t.Run(tt.prefix+" "+tt.target, func(t *testing.T) {
			var name string
			var slash, ok, called bool
			h := http.StripPrefix(tt.prefix, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				called = true
				name, slash, ok = FromRequest(r)
			}))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, tt.target, nil))
			if assert.True(t, called, "prefix not stripped") {
				assert.True(t, ok)
				assert.Equal(t, ".", name)
				assert.Equal(t, tt.slash, slash)
			}
		})
	}
	t.Run("no request target", func(t *testing.T) {
		r, err := http.NewRequest(http.MethodGet, "http://h", nil)
		assert.NoError(t, err)
		name, slash, ok := FromRequest(r)
		assert.Equal(t, ".", name)
		assert.True(t, slash, "a client sends / for an empty path")
		assert.True(t, ok)
	})
}

func TestTarget(t *testing.T) {
	tests := []struct {
		uri, target string
		ok          bool
	}{
		{"/a/b?q#f", "/a/b?q#f", true},
		{"//a", "//a", true},
		{"http://h/a?q", "/a?q", true},
		{"https://h:8443/a", "/a", true},
		{"http://h", "/", true},
		{"http://h?q", "/?q", true},
		{"http://h#f", "/#f", true},
		{"HTTP://h/x", "/x", true},
		{"git+ssh://h/x", "/x", true},
		{"", "", false},
		{"*", "", false},
		{"example.test:443", "", false},
		{"1http://h/x", "", false},
		{"://h/x", "", false},
		{"a b://h/x", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			target, ok := Target(&http.Request{RequestURI: tt.uri})
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.target, target)
		})
	}
}

// TestUnquote pins urllib.parse.unquote's leniency: a bad escape stays as
// it is and "+" is not a space. dirlist's TestQuoteMatchesPython compares
// it with Python on random names.
func TestUnquote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/a%20b/", "/a b/"},
		{"/a+b/", "/a+b/"},
		{"%2541", "%41"},
		{"%zz%4", "%zz%4"},
		{"%e2%82%AC", "€"},
		{"%ff%FE", "\xff\xfe"},
		{"%", "%"},
		{"%4", "%4"},
		{"%%41", "%A"},
		{"abc%41", "abcA"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, Unquote(tt.in))
		})
	}
}

// FuzzUnquote checks Unquote against net/url, which agrees with Python on
// every path it accepts, and that it undoes percent-encoding of every byte.
func FuzzUnquote(f *testing.F) {
	for _, s := range []string{"", "/a%20b/", "%zz%4", "%", "%%41", "a+b", "%ff%00%2F"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Unquote(s)
		if want, err := url.PathUnescape(s); err == nil && got != want {
			t.Fatalf("Unquote(%q) = %q, url.PathUnescape gives %q", s, got, want)
		}
		var all strings.Builder
		for i := 0; i < len(s); i++ {
			fmt.Fprintf(&all, "%%%02X", s[i])
		}
		if back := Unquote(all.String()); back != s {
			t.Fatalf("Unquote(%q) = %q, want %q", all.String(), back, s)
		}
	})
}
