package cgi

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/oracle"
	"github.com/simplehttp/simplehttp/internal/urlpath"
)

// TestCollapse pins collapse on the vectors of Python's own test of
// _url_collapse_path (test_httpservers), written the way we write the
// result: Python's "//x" (an empty head joined to the tail) is our "/x".
func TestCollapse(t *testing.T) {
	const tooMany = "\x00too many .."
	tests := map[string]string{
		"":                                 "/",
		"..":                               tooMany,
		"/.//..":                           tooMany,
		"/":                                "/",
		"//":                               "/",
		"/\\":                              "/\\",
		"/.//":                             "/",
		"cgi-bin/file1.py":                 "/cgi-bin/file1.py",
		"/cgi-bin/file1.py":                "/cgi-bin/file1.py",
		"a":                                "/a",
		"/a":                               "/a",
		"//a":                              "/a",
		"./a":                              "/a",
		"./C:/":                            "/C:/",
		"/a/b":                             "/a/b",
		"/a/b/":                            "/a/b/",
		"/a/b/.":                           "/a/b/",
		"/a/b/c/..":                        "/a/b/",
		"/a/b/c/../d":                      "/a/b/d",
		"/a/b/c/../d/e/../f":               "/a/b/d/f",
		"/a/b/c/../d/e/../../f":            "/a/b/f",
		"/a/b/c/../d/e/.././././..//f":     "/a/b/f",
		"../a/b/c/../d/e/.././././..//f":   tooMany,
		"/a/b/c/../d/e/../../../f":         "/a/f",
		"/a/b/c/../d/e/../../../../f":      "/f",
		"/a/b/c/../d/e/../../../../../f":   tooMany,
		"/a/b/c/../d/e/../../../../f/..":   "/",
		"/a/b/c/../d/e/../../../../f/../.": "/",
		"/cgi-bin%2fx.sh":                  "/cgi-bin/x.sh",
		"/cgi-bin%2F..%2F..%2Fx":           tooMany,
		"/%2e%2e/x":                        tooMany,
		"/a%20b/%zz/%4":                    "/a b/%zz/%4",
		"/x%2541":                          "/x%41",
		"/a%00b":                           tooMany, // a NUL: refused too
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			got, ok := collapse(in)
			if want == tooMany {
				assert.False(t, ok, "got %q", got)
				return
			}
			assert.True(t, ok)
			assert.Equal(t, want, got)
		})
	}
}

// TestCollapseMatchesPython runs Python's _url_collapse_path on generated
// paths and compares (Python's "//x" being our "/x", its IndexError our
// !ok).
func TestCollapseMatchesPython(t *testing.T) {
	oracle.Require(t)
	parts := []string{"", ".", "..", "a", "b", "cgi-bin", "x.sh", "%2e", "%2E%2e", "%2f", "%2F",
		"%", "%zz", "%41", "%C3%A9", "%2e%2e%2f", ".%2e", "a%2fb", "\\", "%20"}
	rng := rand.New(rand.NewPCG(1, 2))
	paths := make([]string, 0, 3000)
	for range cap(paths) {
		var b strings.Builder
		if rng.IntN(10) > 0 {
			b.WriteByte('/')
		}
		for i := range 1 + rng.IntN(7) {
			if i > 0 {
				b.WriteByte('/')
			}
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		paths = append(paths, b.String())
	}
	in, err := json.Marshal(paths)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := oracle.Command(ctx, "-c", `
import json, sys
from http.server import _url_collapse_path
out = []
for p in json.load(sys.stdin):
    try:
        out.append(_url_collapse_path(p))
    except IndexError:
        out.append(None)
json.dump(out, sys.stdout, ensure_ascii=False)
`)
	cmd.Stdin = strings.NewReader(string(in))
	b, err := cmd.Output()
	require.NoError(t, err)
	var want []*string
	require.NoError(t, json.Unmarshal(b, &want))
	require.Len(t, want, len(paths))
	for i, p := range paths {
		got, ok := collapse(p)
		if want[i] == nil {
			assert.False(t, ok, "%q: Python raises IndexError, we give %q", p, got)
			continue
		}
		py := *want[i]
		if strings.HasPrefix(py, "//") {
			py = py[1:]
		}
		if assert.True(t, ok, "%q: Python gives %q", p, py) {
			assert.Equal(t, py, got, "%q", p)
		}
	}
}

// TestCGIDir pins the directory test of Python's is_cgi: a configured
// directory followed by "/", the shortest match winning.
func TestCGIDir(t *testing.T) {
	c := &config{dirs: []string{"/cgi-bin", "/htbin", "/a/b", "/a"}}
	tests := []struct {
		path, dir, rest string
		ok              bool
	}{
		{"/cgi-bin/x.sh", "/cgi-bin", "x.sh", true},
		{"/cgi-bin/", "/cgi-bin", "", true},
		{"/cgi-bin/sub/x/y", "/cgi-bin", "sub/x/y", true},
		{"/cgi-bin", "", "", false},
		{"/cgi-binx/y", "", "", false},
		{"/x/cgi-bin/y", "", "", false},
		{"/htbin/y", "/htbin", "y", true},
		{"/a/b/c", "/a", "b/c", true},
		{"/", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			dir, rest, ok := c.cgiDir(tt.path)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.dir, dir)
			assert.Equal(t, tt.rest, rest)
		})
	}
}

// FuzzCollapse checks that collapse yields a canonical path that agrees
// with the file handler's mapping (urlpath), and that the CGI split of it
// puts it back together.
func FuzzCollapse(f *testing.F) {
	for _, s := range []string{"/cgi-bin/x.sh", "/cgi-bin%2fx.sh/p%20i", "/../x", "/a/./b/../c/", "//x//y/.",
		"/%2e%2e/%zz", "/cgi-bin/", "", "a/b", "/a%00"} {
		f.Add(s)
	}
	c := &config{dirs: defaultDirs}
	f.Fuzz(func(t *testing.T, raw string) {
		got, ok := collapse(raw)
		decoded := urlpath.Unquote(raw)
		if !ok {
			if !strings.ContainsRune(decoded, 0) && !strings.Contains(decoded, "..") {
				t.Fatalf("collapse(%q) refused a path without .. or NUL", raw)
			}
			return
		}
		if !strings.HasPrefix(got, "/") || strings.Contains(got, "//") {
			t.Fatalf("collapse(%q) = %q: not canonical", raw, got)
		}
		for seg := range strings.SplitSeq(strings.Trim(got, "/"), "/") {
			if seg == "." || seg == ".." {
				t.Fatalf("collapse(%q) = %q: dot segment left", raw, got)
			}
		}
		name := strings.Trim(got, "/")
		if name == "" {
			name = "."
		}
		if want := urlpath.Clean(decoded); name != want {
			t.Fatalf("collapse(%q) = %q, urlpath.Clean gives %q", raw, got, want)
		}
		if again, ok := collapse(strings.ReplaceAll(got, "%", "%25")); !ok || again != got {
			t.Fatalf("collapse(%q) = %q, not stable: %q %v", raw, got, again, ok)
		}
		if dir, rest, ok := c.cgiDir(got); ok && dir+"/"+rest != got {
			t.Fatalf("cgiDir(%q) = %q, %q", got, dir, rest)
		}
	})
}
