package dirlist

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	t1 = time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)
	t2 = time.Date(2024, 2, 1, 10, 0, 0, 0, time.UTC)
	t3 = time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
)

// sortFS has two directories and three files of distinct sizes and times.
var sortFS = fstest.MapFS{
	"b":       {Mode: fs.ModeDir | 0o755},
	"A":       {Mode: fs.ModeDir | 0o755},
	"x":       {Data: []byte("xxx"), ModTime: t1},
	"y":       {Data: []byte("y"), ModTime: t3},
	"Z":       {Data: []byte("zz"), ModTime: t2},
	".hidden": {Data: []byte("h"), ModTime: t1},
	"sub/in":  {Data: []byte("in"), ModTime: t1},
}

// hrefs returns the hrefs of the rich page's entry rows, in order.
func hrefs(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<tr class="e"><td class="n"><a href="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestRichSort: directories first, then by name, size or time, either way;
// the order comes from query parameters, so it works without JavaScript.
func TestRichSort(t *testing.T) {
	h := New(sortFS, WithRichListing(), WithHideDotfiles())(terminal)
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"A/", "b/", "sub/", "x", "y", "Z"}},
		{"?sort=name&order=desc", []string{"sub/", "b/", "A/", "Z", "y", "x"}},
		{"?sort=size", []string{"A/", "b/", "sub/", "y", "Z", "x"}},
		{"?sort=size&order=desc", []string{"A/", "b/", "sub/", "x", "Z", "y"}},
		{"?sort=time", []string{"A/", "b/", "sub/", "x", "Z", "y"}},
		{"?sort=time&order=desc", []string{"A/", "b/", "sub/", "y", "Z", "x"}},
		{"?sort=bogus", []string{"A/", "b/", "sub/", "x", "y", "Z"}},
		{"?q=Z", []string{"Z"}},
		{"?q=u&sort=size", []string{"sub/"}},
		{"?q=nothing", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			rec := serve(t, h, http.MethodGet, "/"+tt.query)
			require.Equal(t, http.StatusOK, rec.Code)
			assert.Equal(t, tt.want, hrefs(rec.Body.String()))
		})
	}
}

// TestRichPage: the page escapes every name, loads nothing from elsewhere,
// and its Content-Security-Policy pins exactly its inline style and script.
func TestRichPage(t *testing.T) {
	dir := makeTree(t)
	h := New(os.DirFS(dir), WithRichListing())(terminal)
	rec := serve(t, h, http.MethodGet, "/")
	require.Equal(t, http.StatusOK, rec.Code)
	body := rec.Body.String()
	hdr := rec.Header()
	assert.Equal(t, "text/html; charset=utf-8", hdr.Get("Content-Type"))
	assert.Equal(t, "nosniff", hdr.Get("X-Content-Type-Options"))
	assert.Empty(t, hdr.Get("Last-Modified"))
	assert.Empty(t, hdr.Get("Vary"))

	csp := hdr.Get("Content-Security-Policy")
	require.NotEmpty(t, csp)
	for _, tag := range []string{"style", "script"} {
		m := regexp.MustCompile(`(?s)<`+tag+`>(.*?)</`+tag+`>`).FindAllStringSubmatch(body, -1)
		require.Len(t, m, 1, "one inline <%s>", tag)
		sum := sha256.Sum256([]byte(m[0][1]))
		assert.Contains(t, csp, tag+"-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	assert.Contains(t, csp, "default-src 'none'")
	assert.Equal(t, 1, strings.Count(body, "<script"), "the only script is the page's own")
	assert.NotContains(t, body, "<img")
	assert.NotContains(t, body, "http://")
	assert.NotContains(t, body, "https://")

	links := map[string]string{} // href -> text, unescaped
	for _, m := range regexp.MustCompile(`<a href="([^"]*)">([^<]*)</a>`).FindAllStringSubmatch(body, -1) {
		links[m[1]] = html.UnescapeString(m[2])
	}
	for _, name := range fixtureFiles {
		assert.Equal(t, name, links[quote(name)], "the link to %q", name)
	}
	assert.Contains(t, body, `<a href="emptydir/">emptydir/</a>`)
	assert.Contains(t, body, `<a href="link2dir/">link2dir/</a><span class="tag">link</span>`)
	assert.Contains(t, body, `<a href="broken">broken</a><span class="tag">link</span></td><td class="s" title="0 bytes">0 B</td>`)
	assert.Contains(t, body, `<time datetime="2024-03-05T07:09:11Z">2024-03-05 07:09</time>`)
	assert.Contains(t, body, `<meta name="viewport"`)
	assert.Contains(t, body, `prefers-color-scheme:dark`)
	assert.NotContains(t, body, `href="../"`, "no parent link at the root")
	assert.Contains(t, body, `<span id="count">30 entries</span>`)

	sub := serve(t, h, http.MethodGet, "/Dir%20Space/").Body.String()
	assert.Contains(t, sub, `<a href="../">../</a>`)
	assert.Contains(t, sub, `<title>Directory listing for /Dir Space/</title>`)
	assert.Contains(t, sub, `<td class="s" title="6 bytes">6 B</td>`)

	head := serve(t, h, http.MethodHead, "/")
	assert.Equal(t, rec.Header(), head.Header())
	assert.Empty(t, head.Body.Bytes())
}

// TestHide: hidden names leave the listing; the rest is Python's page.
func TestHide(t *testing.T) {
	fsys := fstest.MapFS{".git/x": {}, ".env": {}, "a": {}, "secret.key": {}}
	tests := []struct {
		name string
		opts []Option
		want []string
	}{
		{"none", nil, []string{`<li><a href=".env">.env</a></li>`, `<li><a href=".git/">.git/</a></li>`,
			`<li><a href="a">a</a></li>`, `<li><a href="secret.key">secret.key</a></li>`}},
		{"dotfiles", []Option{WithHideDotfiles()},
			[]string{`<li><a href="a">a</a></li>`, `<li><a href="secret.key">secret.key</a></li>`}},
		{"dotfiles and keys", []Option{WithHideDotfiles(), WithHide(func(n string) bool { return strings.HasSuffix(n, ".key") })},
			[]string{`<li><a href="a">a</a></li>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := New(fsys, tt.opts...)(terminal)
			assert.Equal(t, page("/", tt.want...), serve(t, h, http.MethodGet, "/").Body.String())
		})
	}
}

// TestJSON: the JSON form by query parameter or Accept, only with WithJSON,
// and Vary: Accept on every listing when it is on.
func TestJSON(t *testing.T) {
	tests := []struct {
		name, target, accept string
		opts                 []Option
		json                 bool
		vary                 bool
	}{
		{"off", "/", "application/json", nil, false, false},
		{"off query", "/?format=json", "", nil, false, false},
		{"accept", "/", "application/json", []Option{WithJSON()}, true, true},
		{"query", "/?format=json", "", []Option{WithJSON()}, true, true},
		{"browser", "/", "text/html,*/*;q=0.8", []Option{WithJSON()}, false, true},
		{"html wins", "/?format=html", "application/json", []Option{WithJSON()}, false, true},
		{"with rich", "/?format=json", "", []Option{WithJSON(), WithRichListing()}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := New(sortFS, tt.opts...)(terminal)
			req := httptest.NewRequest(http.MethodGet, tt.target, nil)
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			require.Equal(t, http.StatusOK, rec.Code)
			if tt.vary {
				assert.Equal(t, "Accept", rec.Header().Get("Vary"))
			} else {
				assert.Empty(t, rec.Header().Get("Vary"))
			}
			if !tt.json {
				assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
				return
			}
			assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			assert.Empty(t, rec.Header().Get("Content-Security-Policy"))
			var l Listing
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &l))
			assert.Equal(t, "/", l.Path)
			assert.True(t, l.Root)
			var names []string
			for _, e := range l.Entries {
				names = append(names, e.Href)
			}
			assert.Equal(t, []string{"A/", "b/", "sub/", ".hidden", "x", "y", "Z"}, names)
		})
	}
}

// TestJSONBody pins the JSON form of an entry: a name that is not UTF-8
// shows U+FFFD and its href keeps the raw byte.
func TestJSONBody(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a\xffb"), []byte("12345"), 0o644))
	require.NoError(t, os.Chtimes(filepath.Join(dir, "a\xffb"), t2, t2))
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.FixedZone("CET", 3600)
	}
	h := New(os.DirFS(dir), WithJSON(), WithLocation(paris))(terminal)
	rec := serve(t, h, http.MethodGet, "/?format=json")
	assert.Equal(t, `{"path":"/","root":true,"entries":[{"name":"a`+"\uFFFD"+`b","href":"a%FFb","dir":false,"symlink":false,"size":5,"modified":"2024-02-01T11:00:00+01:00"}],"sort":"name","desc":false}`+"\n",
		rec.Body.String())
}

// TestTemplate: a user's template gets the Listing; a failing one is a 500.
func TestTemplate(t *testing.T) {
	tmpl := template.Must(template.New("t").Parse(
		`{{.Path}}|{{.Root}}{{range .Entries}};{{.Name}},{{.Href}},{{.IsDir}},{{.IsSymlink}},{{.Size}},{{.ModTime.Format "2006-01-02"}}{{end}}`))
	h := New(sortFS, WithTemplate(tmpl), WithHideDotfiles())(terminal)
	rec := serve(t, h, http.MethodGet, "/sub/")
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
	assert.Empty(t, rec.Header().Get("Content-Security-Policy"))
	assert.Equal(t, "/sub/|false;in,in,false,false,2,2024-01-01", rec.Body.String())

	rec = serve(t, h, http.MethodGet, "/?sort=size&order=desc&q=%3C")
	assert.Equal(t, "/|true", rec.Body.String())

	bad := template.Must(template.New("bad").Parse(`{{.Nope}}`))
	rec = serve(t, New(sortFS, WithTemplate(bad))(terminal), http.MethodGet, "/")
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
}

func TestHumanSize(t *testing.T) {
	tests := []struct {
		size int64
		want string
	}{
		{0, "0 B"}, {1023, "1023 B"}, {1024, "1.0 KiB"}, {1536, "1.5 KiB"}, {100 << 20, "100 MiB"},
		{5 << 30, "5.0 GiB"}, {1 << 62, "4.0 EiB"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, Entry{Size: tt.size}.HumanSize())
		})
	}
}

func TestSortHref(t *testing.T) {
	l := &Listing{Sort: "name"}
	assert.Equal(t, "?order=desc&sort=name", l.SortHref("name"))
	assert.Equal(t, "?sort=size", l.SortHref("size"))
	assert.Equal(t, "▲", l.SortMark("name"))
	l = &Listing{Sort: "size", Desc: true, Filter: "a&b"}
	assert.Equal(t, "?q=a%26b&sort=size", l.SortHref("size"))
	assert.Equal(t, "▼", l.SortMark("size"))
	assert.Equal(t, "", l.SortMark("time"))
}

// FuzzRichRow: whatever the name, a rich row has the fixed structure, and
// the link text holds no character that could open a tag or close an
// attribute, and unescapes to the name.
func FuzzRichRow(f *testing.F) {
	for _, s := range []string{"a b", "<img src=x onerror=alert(1)>", `"><script>alert(1)<`, "'", "&amp;", "\x00", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		e := Entry{Name: toValidUTF8(name), Href: quote(name), Size: 5, ModTime: t1}
		row := string(appendRow(nil, &e))
		prefix := "\n<tr class=\"e\"><td class=\"n\"><a href=\"" + quote(name) + "\">"
		suffix := `</a></td><td class="s" title="5 bytes">5 B</td><td class="t"><time datetime="2024-01-01T10:00:00Z">2024-01-01 10:00</time></td></tr>`
		if !strings.HasPrefix(row, prefix) || !strings.HasSuffix(row, suffix) {
			t.Fatalf("row for %q: %q", name, row)
		}
		text := row[len(prefix) : len(row)-len(suffix)]
		if strings.ContainsAny(text, "<>\"'\x00") {
			t.Fatalf("text for %q: %q", name, text)
		}
		if got, want := html.UnescapeString(text), strings.ReplaceAll(e.Name, "\x00", "\uFFFD"); got != want {
			t.Fatalf("text for %q unescapes to %q", name, got)
		}
	})
}

// flatFS is one directory, "big", of n regular files whose entries are
// made once, so that listing it allocates nothing of its own.
type flatFS struct{ entries []fs.DirEntry }

func newFlatFS(n int) flatFS {
	m := fstest.MapFS{}
	for i := range n {
		m[fmt.Sprintf("big/File %06d é.txt", i)] = &fstest.MapFile{Data: []byte("0123456789"), ModTime: t1}
	}
	entries, err := fs.ReadDir(m, "big")
	if err != nil {
		panic(err)
	}
	return flatFS{entries}
}

func (f flatFS) Open(name string) (fs.File, error) {
	if name != "big" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return flatDir(f), nil
}

type flatDir struct{ entries []fs.DirEntry }

func (d flatDir) Stat() (fs.FileInfo, error)         { return fstest.MapFS{"big/x": {}}.Stat("big") }
func (d flatDir) Read([]byte) (int, error)           { return 0, io.EOF }
func (d flatDir) Close() error                       { return nil }
func (d flatDir) ReadDir(int) ([]fs.DirEntry, error) { return d.entries, nil }

// countingWriter is a ResponseWriter that keeps nothing of the body.
type countingWriter struct {
	header http.Header
	code   int
	n      int
}

func (w *countingWriter) Header() http.Header         { return w.header }
func (w *countingWriter) WriteHeader(code int)        { w.code = code }
func (w *countingWriter) Write(b []byte) (int, error) { w.n += len(b); return len(b), nil }

// TestRichMemory: the rows of the rich page are written once, straight
// into the page's buffer, so a listing allocates about twice the page (the
// page, the entries, their hrefs and sort keys), not almost six times
// (rows rendered apart, copied into a string, copied again by
// html/template: 200 MB for the 21 MB page of 100 000 entries). Under -race
// it is about three and a half.
func TestRichMemory(t *testing.T) {
	h := New(newFlatFS(5000), WithRichListing())(terminal)
	req := httptest.NewRequest(http.MethodGet, "/big/", nil)
	serve(t, h, http.MethodGet, "/big/") // templates escaped once
	w := &countingWriter{header: http.Header{}}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	h.ServeHTTP(w, req)
	runtime.ReadMemStats(&after)
	require.Equal(t, http.StatusOK, w.code)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("page %d bytes, allocated %d bytes (%.2f pages)", w.n, allocated, float64(allocated)/float64(w.n))
	assert.Less(t, allocated, uint64(4*w.n))
}
