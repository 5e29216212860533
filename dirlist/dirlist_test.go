package dirlist

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// terminal stands for the file handler behind dirlist: it answers 299 so a
// test sees that the request went through.
var terminal = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(299)
})

func serve(t testing.TB, h http.Handler, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func page(title string, lines ...string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<title>Directory listing for " + title + "</title>\n</head>\n<body>\n")
	b.WriteString("<h1>Directory listing for " + title + "</h1>\n<hr>\n<ul>\n")
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	b.WriteString("</ul>\n<hr>\n</body>\n</html>\n")
	return b.String()
}

// fixturePage is Python 3.12's page for the fixture tree at "/" when every
// link is followed (os.DirFS), in Python's order (by name.lower()).
// TestAgainstPython checks it against Python itself.
func fixturePage(outside string) string {
	return page("/",
		`<li><a href="%22%3E%3Cscript%3Ealert%281%29%3C">"&gt;&lt;script&gt;alert(1)&lt;</a></li>`,
		`<li><a href="%22dq%22">"dq"</a></li>`,
		`<li><a href="%27sq%27">'sq'</a></li>`,
		`<li><a href=".dot">.dot</a></li>`,
		`<li><a href="100%25.txt">100%.txt</a></li>`,
		`<li><a href="%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E">&lt;img src=x onerror=alert(1)&gt;</a></li>`,
		`<li><a href="%3Clt%3E">&lt;lt&gt;</a></li>`,
		`<li><a href="a%20b%20%231%20%25%20%C3%BC.txt">a b #1 % ü.txt</a></li>`,
		`<li><a href="a%20b.txt">a b.txt</a></li>`,
		`<li><a href="amp%26z">amp&amp;z</a></li>`,
		`<li><a href="broken">broken@</a></li>`,
		`<li><a href="Dir%20Space/">Dir Space/</a></li>`,
		`<li><a href="emptydir/">emptydir/</a></li>`,
		`<li><a href="hash%23x">hash#x</a></li>`,
		`<li><a href="h%C3%A9llo.txt">héllo.txt</a></li>`,
		`<li><a href="%C4%B0stanbul">İstanbul</a></li>`,
		`<li><a href="javascript%3Aalert%281%29">javascript:alert(1)</a></li>`,
		`<li><a href="link2dir/">link2dir@</a></li>`,
		`<li><a href="link2file">link2file@</a></li>`,
		outside,
		`<li><a href="plus%2Bx">plus+x</a></li>`,
		`<li><a href="q%3Fy">q?y</a></li>`,
		`<li><a href="semi%3Bcolon%2Ccomma%3Deq">semi;colon,comma=eq</a></li>`,
		"<li><a href=\"tab%09x\">tab\tx</a></li>",
		`<li><a href="x%3Ay">x:y</a></li>`,
		`<li><a href="Zeta">Zeta</a></li>`,
		`<li><a href="%C3%A4~_-.">ä~_-.</a></li>`,
		`<li><a href="%C3%BC">ü</a></li>`,
		`<li><a href="%CE%91%CE%A3">ΑΣ</a></li>`,
		`<li><a href="%E6%97%A5%E6%9C%AC%E8%AA%9E.txt">日本語.txt</a></li>`,
	)
}

// TestPythonPage pins the whole page for the fixture tree: Python's hrefs
// (urllib.parse.quote), texts (html.escape without quotes), "/" for
// directories and links to them, "@" for links, and the order.
func TestPythonPage(t *testing.T) {
	dir := makeTree(t)
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	t.Cleanup(func() { root.Close() })

	tests := []struct {
		name    string
		fsys    fs.FS
		outside string
	}{
		// os.DirFS follows every link, as Python does.
		{"DirFS", os.DirFS(dir), `<li><a href="outside/">outside@</a></li>`},
		// An os.Root does not follow a link out of the root: it is listed
		// as a link that is not a directory (the file handler 404s it).
		{"Root", root.FS(), `<li><a href="outside">outside@</a></li>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := New(tt.fsys)(terminal)
			rec := serve(t, h, http.MethodGet, "/")
			require.Equal(t, http.StatusOK, rec.Code)
			want := fixturePage(tt.outside)
			assert.Equal(t, want, rec.Body.String())
			assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
			assert.Equal(t, []string{strconv.Itoa(len(want))}, rec.Header().Values("Content-Length"))
			assert.Empty(t, rec.Header().Get("Last-Modified"), "Python sends no Last-Modified with a listing")
			assert.Empty(t, rec.Header().Get("Vary"))
			assert.Empty(t, rec.Header().Get("Content-Security-Policy"))
		})
	}
}

// TestPassThrough pins what dirlist leaves to the next handler: files,
// directories without a trailing slash (the file handler redirects them),
// missing names, unmappable paths and methods other than GET and HEAD.
func TestPassThrough(t *testing.T) {
	fsys := fstest.MapFS{
		"dir/a.txt": {Data: []byte("a")},
		"file.txt":  {Data: []byte("f")},
	}
	h := New(fsys)(terminal)
	tests := []struct {
		method, target string
		code           int
	}{
		{http.MethodGet, "/dir/", http.StatusOK},
		{http.MethodHead, "/dir/", http.StatusOK},
		{http.MethodGet, "/dir", 299},
		{http.MethodGet, "/dir%2f", 299}, // Python 3.12: the slash is looked for in the raw path
		{http.MethodGet, "/file.txt", 299},
		{http.MethodGet, "/file.txt/", 299}, // the file handler's 404
		{http.MethodGet, "/missing/", 299},
		{http.MethodPost, "/dir/", 299},
		{http.MethodPut, "/dir/", 299},
		{"get", "/dir/", 299}, // methods are case-sensitive
		{http.MethodGet, "/a%00b/", 299},
		{http.MethodGet, "/../dir/", http.StatusOK}, // ".." above the root is dropped
		{http.MethodGet, "/dir/?x=1", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			assert.Equal(t, tt.code, serve(t, h, tt.method, tt.target).Code)
		})
	}
}

// TestHead: the same headers as GET, no body (Python's send_head).
func TestHead(t *testing.T) {
	h := New(fstest.MapFS{"d/x": {}})(terminal)
	get := serve(t, h, http.MethodGet, "/d/")
	head := serve(t, h, http.MethodHead, "/d/")
	assert.Equal(t, http.StatusOK, head.Code)
	assert.Equal(t, get.Header(), head.Header())
	assert.Empty(t, head.Body.Bytes())
	assert.Equal(t, strconv.Itoa(get.Body.Len()), head.Header().Get("Content-Length"))
}

// TestEmptyDirectory: "<ul>" and "</ul>" on consecutive lines.
func TestEmptyDirectory(t *testing.T) {
	h := New(fstest.MapFS{"empty": {Mode: fs.ModeDir}})(terminal)
	assert.Equal(t, page("/empty/"), serve(t, h, http.MethodGet, "/empty/").Body.String())
}

// unreadableFS fails ReadDir (Python's os.listdir raising OSError) while
// Stat still says the directory is there.
type unreadableFS struct{ fs.FS }

func (u unreadableFS) ReadDir(name string) ([]fs.DirEntry, error) {
	return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrPermission}
}

func (u unreadableFS) Open(name string) (fs.File, error) {
	f, err := u.FS.Open(name)
	if err != nil {
		return nil, err
	}
	return unreadableFile{f}, nil
}

type unreadableFile struct{ fs.File }

func (unreadableFile) ReadDir(int) ([]fs.DirEntry, error) { return nil, fs.ErrPermission }

// TestUnreadableDirectory: 404 "No permission to list directory", the
// http.Error way (Python's send_error with that message).
func TestUnreadableDirectory(t *testing.T) {
	h := New(unreadableFS{fstest.MapFS{"locked/secret": {}}})(terminal)
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		t.Run(method, func(t *testing.T) {
			rec := serve(t, h, method, "/locked/")
			assert.Equal(t, http.StatusNotFound, rec.Code)
			assert.Equal(t, "text/plain; charset=utf-8", rec.Header().Get("Content-Type"))
			if method == http.MethodGet {
				assert.Equal(t, "No permission to list directory\n", rec.Body.String())
			}
		})
	}
}

// unsearchableFS is a directory that can be read but not searched (mode
// r-- for the server's user): its names can be listed, but Stat and Lstat
// of anything in it fail.
type unsearchableFS struct{ fstest.MapFS }

func (u unsearchableFS) Stat(name string) (fs.FileInfo, error) {
	if strings.HasPrefix(name, "locked/") {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrPermission}
	}
	return u.MapFS.Stat(name)
}

func (u unsearchableFS) Lstat(name string) (fs.FileInfo, error) {
	if strings.HasPrefix(name, "locked/") {
		return nil, &fs.PathError{Op: "lstat", Path: name, Err: fs.ErrPermission}
	}
	return u.MapFS.Lstat(name)
}

// TestUnsearchableDirectory: Python decides "/" with os.path.isdir (stat)
// and "@" with os.path.islink (lstat) and both fail for every entry of a
// directory it may read but not search, so its page shows every name
// plain, directories and links included (measured with Python 3.12 run
// without CAP_DAC_OVERRIDE on a directory of mode 0644). The type the
// directory itself reports must not be trusted instead.
func TestUnsearchableDirectory(t *testing.T) {
	fsys := unsearchableFS{fstest.MapFS{
		"locked/f":    {Data: []byte("f")},
		"locked/sub":  {Mode: fs.ModeDir | 0o755},
		"locked/link": {Mode: fs.ModeSymlink, Data: []byte("f")},
		"open/sub":    {Mode: fs.ModeDir | 0o755},
		"open/link":   {Mode: fs.ModeSymlink, Data: []byte("sub")},
	}}
	h := New(fsys)(terminal)
	assert.Equal(t, page("/locked/",
		`<li><a href="f">f</a></li>`,
		`<li><a href="link">link</a></li>`,
		`<li><a href="sub">sub</a></li>`,
	), serve(t, h, http.MethodGet, "/locked/").Body.String())
	// Where entries can be looked at, they are.
	assert.Equal(t, page("/open/",
		`<li><a href="link/">link@</a></li>`,
		`<li><a href="sub/">sub/</a></li>`,
	), serve(t, h, http.MethodGet, "/open/").Body.String())
}

// noLstatFS has no Lstat (fs.Lstat falls back to Stat, which follows
// links), and its link "d/link" leads where it may not look.
type noLstatFS struct{ m fstest.MapFS }

func (n noLstatFS) Open(name string) (fs.File, error) { return n.m.Open(name) }

func (n noLstatFS) Stat(name string) (fs.FileInfo, error) {
	if name == "d/link" {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrPermission}
	}
	return n.m.Stat(name)
}

// TestUnfollowableLink: a link whose target may not be looked at is listed
// as a link that is not a directory, as Python does (islink true, isdir
// false), and says nothing of the rest of its directory.
func TestUnfollowableLink(t *testing.T) {
	fsys := noLstatFS{fstest.MapFS{
		"d/link": {Mode: fs.ModeSymlink, Data: []byte("/secret")},
		"d/sub":  {Mode: fs.ModeDir | 0o755},
	}}
	assert.Equal(t, page("/d/",
		`<li><a href="link">link@</a></li>`,
		`<li><a href="sub/">sub/</a></li>`,
	), serve(t, New(fsys)(terminal), http.MethodGet, "/d/").Body.String())
}

// rootDirFS stands for the FS of an os.Root on such a directory: the
// files it opens read a directory's entries with an lstat of each, which
// fails there, but their names alone can be read (Readdirnames).
type rootDirFS struct{ fstest.MapFS }

func (r rootDirFS) Open(name string) (fs.File, error) {
	f, err := r.MapFS.Open(name)
	if err != nil || name != "locked" {
		return f, err
	}
	return rootDir{f.(fs.ReadDirFile)}, nil
}

type rootDir struct{ fs.ReadDirFile }

func (rootDir) ReadDir(int) ([]fs.DirEntry, error) {
	return nil, &fs.PathError{Op: "fstatat", Path: "locked/f", Err: fs.ErrPermission}
}

func (d rootDir) Readdirnames(n int) ([]string, error) {
	des, err := d.ReadDirFile.ReadDir(n)
	names := make([]string, len(des))
	for i, de := range des {
		names[i] = de.Name()
	}
	return names, err
}

// TestUnsearchableRoot: through an os.Root (the CLI's default), reading a
// directory that cannot be searched fails, yet Python lists its names
// there (plain, see TestUnsearchableDirectory) and so do we; the rich page
// shows them without size or date.
func TestUnsearchableRoot(t *testing.T) {
	fsys := rootDirFS{fstest.MapFS{
		"locked/f":    {Data: []byte("f"), ModTime: fixtureMTime},
		"locked/sub":  {Mode: fs.ModeDir | 0o755},
		"locked/link": {Mode: fs.ModeSymlink, Data: []byte("f")},
	}}
	rec := serve(t, New(fsys)(terminal), http.MethodGet, "/locked/")
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, page("/locked/",
		`<li><a href="f">f</a></li>`,
		`<li><a href="link">link</a></li>`,
		`<li><a href="sub">sub</a></li>`,
	), rec.Body.String())
	rich := serve(t, New(fsys, WithRichListing())(terminal), http.MethodGet, "/locked/")
	require.Equal(t, http.StatusOK, rich.Code)
	assert.Contains(t, rich.Body.String(), `<a href="f">f</a></td><td class="s" title="0 bytes">0 B</td><td class="t"></td>`)
}

// TestTitle pins the title: the request target as sent (so right under a
// prefix), a leading "//" reduced (Python's open-redirect fix), without
// ?query and #fragment (Python 3.14; 3.12 keeps them), decoded once with "+"
// kept, and escaped with &, <, > only.
func TestTitle(t *testing.T) {
	fsys := fstest.MapFS{
		"d/x":            {},
		"a b/x":          {},
		"a+b/x":          {},
		"q?&<>\"'/x":     {},
		"%41/x":          {},
		"é/x":            {},
		"sub/inner/x":    {},
		"dot.dir/x":      {},
		"hash#frag/x":    {},
		"percent%zz/x":   {},
		"U+FFFD\uFFFD/x": {},
	}
	tests := []struct{ target, title string }{
		{"/d/", "/d/"},
		{"//d/", "/d/"},
		{"///d/", "/d/"},
		{"/d//", "/d//"}, // only a leading "//" is reduced, as Python does
		{"/d/?x=<b>", "/d/"},
		{"/d/#frag", "/d/"},
		{"/a%20b/", "/a b/"},
		{"/a+b/", "/a+b/"},
		{"/a%2Bb/", "/a+b/"},
		{"/q%3F%26%3C%3E%22'/", "/q?&amp;&lt;&gt;\"'/"},
		{"/%2541/", "/%41/"}, // decoded once
		{"/%C3%A9/", "/é/"},
		{"/é/", "/é/"},
		{"/sub/./inner/../inner/", "/sub/./inner/../inner/"}, // as sent, like Python
		{"/hash%23frag/", "/hash#frag/"},
		{"/U+FFFD%EF%BF%BD/", "/U+FFFD\uFFFD/"},
		{"http://example.com/a%20b/?q", "/a b/"}, // absolute-form target: its path
	}
	h := New(fsys)(terminal)
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := serve(t, h, http.MethodGet, tt.target)
			require.Equal(t, http.StatusOK, rec.Code)
			assert.Contains(t, rec.Body.String(), "<title>Directory listing for "+tt.title+"</title>\n")
			assert.Contains(t, rec.Body.String(), "<h1>Directory listing for "+tt.title+"</h1>\n")
		})
	}
}

// TestUnderPrefix: mounted under http.StripPrefix or a chi Mount, the
// directory is found below the prefix, the title shows the whole path the
// client asked for, and the links (relative) still lead to the entries.
func TestUnderPrefix(t *testing.T) {
	fsys := fstest.MapFS{"sub dir/a b.txt": {Data: []byte("x")}}
	mw := New(fsys)
	mux := http.NewServeMux()
	mux.Handle("/files/", http.StripPrefix("/files", mw(terminal)))
	r := chi.NewRouter()
	r.Mount("/chi", http.StripPrefix("/chi", mw(terminal)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if strings.HasPrefix(req.URL.Path, "/chi") {
			r.ServeHTTP(w, req)
			return
		}
		mux.ServeHTTP(w, req)
	}))
	t.Cleanup(srv.Close)

	for _, prefix := range []string{"/files", "/chi"} {
		t.Run(prefix, func(t *testing.T) {
			resp, err := http.Get(srv.URL + prefix + "/sub%20dir/")
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, page(prefix+"/sub dir/", `<li><a href="a%20b.txt">a b.txt</a></li>`), string(body))
		})
	}
	// An absolute-form target (RFC 9112 §3.2.2) keeps its prefix in the
	// title too: the title is its path, as sent.
	t.Run("absolute-form", func(t *testing.T) {
		rec := serve(t, mux, http.MethodGet, "http://example.com/files/sub%20dir/?x")
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Equal(t, page("/files/sub dir/", `<li><a href="a%20b.txt">a b.txt</a></li>`), rec.Body.String())
	})
}

// TestInvalidUTF8Names: a name that is not UTF-8 keeps its raw bytes in
// the href, so the link leads back to it, and shows U+FFFD for each
// maximal bad sequence. (Python's href holds the UTF-8 of a surrogate,
// %ED%B3%BF, which does not lead back; its text holds the raw byte.) Its
// place in the order is Python's: the surrogate U+DCFF sorts after every
// BMP letter below U+E000.
func TestInvalidUTF8Names(t *testing.T) {
	dir := t.TempDir()
	names := []string{"bad\xff", "bad\xe2\x82", "bad\ud7ff", "bad\ue000", "badz"}
	for _, n := range names {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), nil, 0o644))
	}
	h := New(os.DirFS(dir))(terminal)
	rec := serve(t, h, http.MethodGet, "/")
	assert.Equal(t, page("/",
		`<li><a href="badz">badz</a></li>`,
		`<li><a href="bad%ED%9F%BF">bad`+"\ud7ff"+`</a></li>`,
		`<li><a href="bad%E2%82">bad`+"\uFFFD"+`</a></li>`, // U+DCE2 U+DC82
		`<li><a href="bad%FF">bad`+"\uFFFD"+`</a></li>`,    // U+DCFF
		`<li><a href="bad%EE%80%80">bad`+"\ue000"+`</a></li>`,
	), rec.Body.String())
}

// TestCaseTies: names equal once lower-cased are ordered by their bytes
// (Python keeps the order of the disk, which is not reproducible).
func TestCaseTies(t *testing.T) {
	h := New(fstest.MapFS{"b": {}, "B": {}, "a": {}, "A": {}, "ä": {}, "Ä": {}})(terminal)
	assert.Equal(t, page("/",
		`<li><a href="A">A</a></li>`,
		`<li><a href="a">a</a></li>`,
		`<li><a href="B">B</a></li>`,
		`<li><a href="b">b</a></li>`,
		`<li><a href="%C3%84">Ä</a></li>`,
		`<li><a href="%C3%A4">ä</a></li>`,
	), serve(t, h, http.MethodGet, "/").Body.String())
}

// TestNewPanics: configuration errors are reported by New, not per request.
func TestNewPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
		msg  string
	}{
		{"nil fs", func() { New(nil) }, "dirlist: nil fs.FS"},
		{"nil option", func() { New(fstest.MapFS{}, WithJSON(), nil) }, "dirlist: nil Option"},
		{"nil next", func() { New(fstest.MapFS{})(nil) }, "dirlist: nil next handler"},
		{"nil template", func() { New(fstest.MapFS{}, WithTemplate(nil)) }, "dirlist: WithTemplate given nil"},
		{"nil hide", func() { New(fstest.MapFS{}, WithHide(nil)) }, "dirlist: WithHide given nil"},
		{"nil location", func() { New(fstest.MapFS{}, WithLocation(nil)) }, "dirlist: WithLocation given nil"},
		{"rich and template", func() {
			New(fstest.MapFS{}, WithRichListing(), WithTemplate(richTemplate()))
		}, "dirlist: WithRichListing and WithTemplate cannot be combined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.PanicsWithValue(t, tt.msg, tt.f)
		})
	}
}
