package fileserver_test

import (
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/fileserver"
)

// TestNew pins SimpleHTTPRequestHandler.send_head (without the listing):
// GET/HEAD only, the 301 for a directory without its slash, 404 "File not
// found" for everything that is not a regular file, and Python's headers
// for files.
func TestNew(t *testing.T) {
	f := newFixture(t)
	root := rootFS(t, f.dir)
	for _, fsys := range []struct {
		name string
		fs   fs.FS
	}{{"os.Root.FS", root.FS()}, {"fileserver.RootFS", fileserver.RootFS(root)}} {
		t.Run(fsys.name, func(t *testing.T) { testNew(t, fileserver.New(fsys.fs)) })
	}
}

func testNew(t *testing.T, h http.Handler) {

	const notFound = "File not found\n"
	tests := []struct {
		name, method, target string
		status               int
		header               map[string]string // "" = must be absent
		body                 string
	}{
		{"file", "GET", "/a.txt", 200, map[string]string{"Content-Type": "text/plain", "Content-Length": "6", "Last-Modified": fixedLastModified}, "hello\n"},
		{"HEAD has headers, no body", "HEAD", "/a.txt", 200, map[string]string{"Content-Type": "text/plain", "Content-Length": "6", "Last-Modified": fixedLastModified}, ""},
		{"query dropped", "GET", "/a.txt?x=1#y", 200, nil, "hello\n"},
		{"fragment dropped", "GET", "/a.txt#frag", 200, nil, "hello\n"},
		{"dot-dot above the root is dropped", "GET", "/../a.txt", 200, nil, "hello\n"},
		{"encoded dot-dot above the root", "GET", "/%2e%2e/%2e%2e/a.txt", 200, nil, "hello\n"},
		{"dot-dot inside", "GET", "/dir/../a.txt", 200, nil, "hello\n"},
		{"double slash collapsed", "GET", "//a.txt", 200, nil, "hello\n"},
		{"encoded slash is a separator", "GET", "/dir%2fb.html", 200, map[string]string{"Content-Type": "text/html"}, "<p>b</p>\n"},
		{"trailing %2f is not a slash (3.12)", "GET", "/a.txt%2f", 200, nil, "hello\n"},
		{"encoded space", "GET", "/space%20name.txt", 200, nil, "space"},
		{"encoded percent", "GET", "/a%25b.txt", 200, nil, "percent\n"},
		{"UTF-8 name", "GET", "/caf%C3%A9.txt", 200, nil, "cafe"},
		{"epoch is a date like any other", "GET", "/epoch.txt", 200, map[string]string{"Last-Modified": "Thu, 01 Jan 1970 00:00:00 GMT"}, "epoch"},
		{"link inside the root", "GET", "/link-in", 200, map[string]string{"Content-Type": "application/octet-stream"}, "hello\n"},

		{"directory redirect", "GET", "/dir", 301, map[string]string{"Location": "/dir/", "Content-Length": "0", "Content-Type": ""}, ""},
		{"directory redirect HEAD", "HEAD", "/dir", 301, map[string]string{"Location": "/dir/", "Content-Length": "0", "Content-Type": ""}, ""},
		{"redirect keeps the query", "GET", "/dir?a=1&b", 301, map[string]string{"Location": "/dir/?a=1&b"}, ""},
		{"redirect keeps query and fragment", "GET", "/dir?a#b", 301, map[string]string{"Location": "/dir/?a#b"}, ""},
		{"fragment before question mark", "GET", "/dir#a?b", 301, map[string]string{"Location": "/dir/#a?b"}, ""},
		{"empty query dropped", "GET", "/dir?", 301, map[string]string{"Location": "/dir/"}, ""},
		{"empty fragment dropped", "GET", "/dir?#", 301, map[string]string{"Location": "/dir/"}, ""},
		{"leading slashes collapsed", "GET", "///dir?x", 301, map[string]string{"Location": "/dir/?x"}, ""},
		{"path kept as sent", "GET", "/dir/./sub", 301, map[string]string{"Location": "/dir/./sub/"}, ""},
		{"percent-encoding kept", "GET", "/a%20b", 301, map[string]string{"Location": "/a%20b/"}, ""},
		{"encoded slash kept", "GET", "/dir%2fsub", 301, map[string]string{"Location": "/dir%2fsub/"}, ""},
		{"backslash never follows the first slash", "GET", "/\\evil", 301, map[string]string{"Location": "/%5Cevil/"}, ""},
		{"root without slash is not possible; root with slash", "GET", "/", 404, nil, notFound},

		{"directory with slash", "GET", "/dir/", 404, map[string]string{"Content-Type": "text/plain; charset=utf-8"}, notFound},
		{"index page (Python serves it, as http.FileServer)", "GET", "/idx/", 200, map[string]string{"Content-Type": "text/html"}, "<h1>idx</h1>\n"},
		{"index.htm", "GET", "/idxhtm/", 200, map[string]string{"Content-Type": "text/html"}, "<h1>idxhtm</h1>\n"},
		{"index.html before index.htm", "GET", "/both/", 200, nil, "html\n"},
		{"a directory called index.html does not count", "GET", "/onlydirindex/", 404, nil, notFound},
		{"index.htm when index.html is a directory", "GET", "/dirindex/", 200, nil, "htm wins\n"},
		{"index page asked for by name: no redirect (Python)", "GET", "/idx/index.html", 200, nil, "<h1>idx</h1>\n"},
		{"missing", "GET", "/missing.txt", 404, nil, notFound},
		{"missing HEAD", "HEAD", "/missing.txt", 404, nil, notFound},
		{"file with a trailing slash", "GET", "/a.txt/", 404, nil, notFound},
		{"file with a trailing slash and dot", "GET", "/a.txt/.", 200, nil, "hello\n"},
		{"file as a directory", "GET", "/a.txt/x", 404, nil, notFound},
		{"NUL", "GET", "/a.txt%00", 404, nil, notFound},
		{"NUL in a directory name", "GET", "/dir%00/b.html", 404, nil, notFound},
		{"overlong segment", "GET", "/" + strings.Repeat("a", 300), 404, nil, notFound},
		{"overlong path", "GET", strings.Repeat("/abcdefgh", 600), 404, nil, notFound},
		{"invalid UTF-8", "GET", "/%ff%fe.txt", 404, nil, notFound},
		{"link out of the root", "GET", "/link-out", 404, nil, notFound},
		{"through a directory link out of the root", "GET", "/linkdir-out/secret.txt", 404, nil, notFound},
		{"directory link out of the root", "GET", "/linkdir-out", 404, nil, notFound},
		{"a FIFO is not opened", "GET", "/fifo", 404, nil, notFound},

		{"PUT", "PUT", "/a.txt", 501, map[string]string{"Content-Type": "text/plain; charset=utf-8"}, "Unsupported method ('PUT')\n"},
		{"POST", "POST", "/a.txt", 501, nil, "Unsupported method ('POST')\n"},
		{"OPTIONS", "OPTIONS", "/", 501, nil, "Unsupported method ('OPTIONS')\n"},
		{"methods are case-sensitive", "get", "/a.txt", 501, nil, "Unsupported method ('get')\n"},
		{"method repr with a quote", "P'T", "/a.txt", 501, nil, "Unsupported method (\"P'T\")\n"},
		{"unsupported method on a directory", "DELETE", "/dir", 501, nil, "Unsupported method ('DELETE')\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := serve(t, h, tt.method, tt.target)
			assert.Equal(t, tt.status, res.StatusCode)
			for k, v := range tt.header {
				if v == "" {
					assert.NotContains(t, res.Header, k)
				} else {
					assert.Equal(t, v, res.Header.Get(k), k)
				}
			}
			assert.Equal(t, tt.body, body(t, res))
		})
	}
}

// TestNewFollowsEveryLinkWithDirFS pins Python's behaviour (it follows every
// symbolic link) for the opt-in: os.DirFS instead of os.Root.
func TestNewFollowsEveryLinkWithDirFS(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		target string
		root   int    // status under os.Root
		dirFS  int    // status under os.DirFS
		body   string // under os.DirFS, when 200
	}{
		{"/link-in", 200, 200, "hello\n"},
		{"/link-out", 404, 200, "secret\n"},
		{"/linkdir-out/secret.txt", 404, 200, "secret\n"},
		{"/linkdir-out", 404, 301, ""},
		{"/../outside/secret.txt", 404, 404, ""}, // never by path
		// os.Root refuses absolute links, even to a file inside the root,
		// and relative ones that pass above the root on their way.
		{"/abs-in", 404, 200, "hello\n"},
		{"/up-and-back", 404, 200, "hello\n"},
	}
	require.NoError(t, os.Symlink(filepath.Join(f.dir, "a.txt"), filepath.Join(f.dir, "abs-in")))
	require.NoError(t, os.Symlink("../"+filepath.Base(f.dir)+"/a.txt", filepath.Join(f.dir, "up-and-back")))
	root := fileserver.New(rootFS(t, f.dir).FS())
	dirFS := fileserver.New(os.DirFS(f.dir))
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			assert.Equal(t, tt.root, serve(t, root, "GET", tt.target).StatusCode, "os.Root")
			res := serve(t, dirFS, "GET", tt.target)
			assert.Equal(t, tt.dirFS, res.StatusCode, "os.DirFS")
			if tt.dirFS == 200 {
				assert.Equal(t, tt.body, body(t, res))
			}
		})
	}
}

// errFS fails Stat or Open for the names it lists, the way an unreadable
// file would (we run as root, so permissions cannot be used).
type errFS struct {
	fs.FS
	failStat, failOpen, failFileStat, failRead string
}

func (e errFS) Open(name string) (fs.File, error) {
	if name == e.failStat {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	if name == e.failOpen {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	f, err := e.FS.Open(name)
	if err == nil && name == e.failFileStat {
		return badStatFile{f}, nil
	}
	if err == nil && name == e.failRead {
		return badReadFile{f.(io.ReadSeeker), f}, nil
	}
	return f, err
}

// badReadFile can Seek but not Read (EIO on a bad disk).
type badReadFile struct {
	io.Seeker
	fs.File
}

func (badReadFile) Read([]byte) (int, error) { return 0, errors.New("EIO") }

func (e errFS) Stat(name string) (fs.FileInfo, error) {
	if name == e.failStat {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrPermission}
	}
	return fs.Stat(e.FS, name)
}

type badStatFile struct{ fs.File }

func (badStatFile) Stat() (fs.FileInfo, error) { return nil, errors.New("EIO") }

// TestNewFileSystemErrors pins "unopenable: 404 File not found" (Python's
// OSError branch): a file-system error is never a 500.
func TestNewFileSystemErrors(t *testing.T) {
	base := fstest.MapFS{
		"a.txt": {Data: []byte("a"), ModTime: fixedTime},
		"b.txt": {Data: []byte("b"), ModTime: fixedTime},
		"c.txt": {Data: []byte("c"), ModTime: fixedTime},
		"d":     {Mode: fs.ModeDir},
		"e.txt": {Data: []byte("e")}, // no ModTime: the ETag hashes the bytes
	}
	h := fileserver.New(errFS{FS: base, failStat: "a.txt", failOpen: "b.txt", failFileStat: "c.txt", failRead: "e.txt"})
	for _, target := range []string{"/a.txt", "/b.txt", "/c.txt", "/e.txt"} {
		t.Run(target, func(t *testing.T) {
			res := serve(t, h, "GET", target)
			assert.Equal(t, http.StatusNotFound, res.StatusCode)
			assert.Equal(t, "File not found\n", body(t, res))
			assert.NotContains(t, res.Header, "Last-Modified")
			assert.NotContains(t, res.Header, "Etag")
		})
	}
}

// TestNewCharset checks the opt-in charset: text/* only, and the default
// is Python's bare type.
func TestNewCharset(t *testing.T) {
	fsys := fstest.MapFS{
		"a.txt":  {Data: []byte("a"), ModTime: fixedTime},
		"a.html": {Data: []byte("a"), ModTime: fixedTime},
		"a.png":  {Data: []byte("a"), ModTime: fixedTime},
	}
	tests := []struct {
		target, plain, utf8 string
	}{
		{"/a.txt", "text/plain", "text/plain; charset=utf-8"},
		{"/a.html", "text/html", "text/html; charset=utf-8"},
		{"/a.png", "image/png", "image/png"},
	}
	plain := fileserver.New(fsys)
	utf8 := fileserver.New(fsys, fileserver.WithCharset("utf-8"))
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			assert.Equal(t, tt.plain, serve(t, plain, "GET", tt.target).Header.Get("Content-Type"))
			assert.Equal(t, tt.utf8, serve(t, utf8, "GET", tt.target).Header.Get("Content-Type"))
		})
	}
}

// TestOptionsValidation checks that bad configuration panics when the
// handler is built (never when an option is made), with the package
// prefix.
func TestOptionsValidation(t *testing.T) {
	fsys := fstest.MapFS{}
	tests := []struct {
		name string
		fn   func()
	}{
		{"nil FS", func() { fileserver.New(nil) }},
		{"nil FS for Index", func() { fileserver.Index(nil) }},
		{"nil option", func() { fileserver.New(fsys, nil) }},
		{"nil option for Index", func() { fileserver.Index(fsys, nil) }},
		{"nil next for Index", func() { fileserver.Index(fsys)(nil) }},
		{"empty charset", func() { fileserver.New(fsys, fileserver.WithCharset("")) }},
		{"charset with a space", func() { fileserver.New(fsys, fileserver.WithCharset("utf-8; x")) }},
		{"empty index name", func() { fileserver.Index(fsys, fileserver.WithIndexNames("index.html", "")) }},
		{"index name with a slash", func() { fileserver.Index(fsys, fileserver.WithIndexNames("a/index.html")) }},
		{"index name ..", func() { fileserver.Index(fsys, fileserver.WithIndexNames("..")) }},
	}
	assert.NotPanics(t, func() { fileserver.WithCharset(""); fileserver.WithIndexNames("..") }, "options only carry values")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				v := recover()
				require.NotNil(t, v, "no panic")
				assert.True(t, strings.HasPrefix(v.(string), "fileserver: "), "%v", v)
			}()
			tt.fn()
		})
	}
}
