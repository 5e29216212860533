package fileserver_test

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fixedTime is the modification time of every fixture file.
var fixedTime = time.Date(2023, time.November, 14, 22, 13, 20, 123456789, time.UTC)

const fixedLastModified = "Tue, 14 Nov 2023 22:13:20 GMT"

// fixture is a served directory and a directory outside it (for links that
// escape).
type fixture struct {
	dir     string // served
	outside string
}

// newFixture builds the tree every test serves from:
//
//	a.txt  "hello\n"            dir/b.html   dir/sub/
//	idx/index.html               idxhtm/index.htm
//	both/index.html, index.htm   dirindex/index.html/ (a directory), index.htm
//	onlydirindex/index.html/     a b/  a%b.txt  t.txt.br  x.tgz  .hidden
//	UPPER.TXT  noext  data.unknownext  epoch.txt (mtime 0)  fifo (a FIFO)
//	link-in -> a.txt   link-out -> ../outside/secret.txt   linkdir-out -> ../outside
//	\evil/ (a directory whose name starts with a backslash)
func newFixture(t testing.TB) fixture {
	t.Helper()
	base := t.TempDir()
	f := fixture{dir: filepath.Join(base, "root"), outside: filepath.Join(base, "outside")}
	files := map[string]string{
		"a.txt":                 "hello\n",
		"dir/b.html":            "<p>b</p>\n",
		"idx/index.html":        "<h1>idx</h1>\n",
		"idxhtm/index.htm":      "<h1>idxhtm</h1>\n",
		"both/index.html":       "html\n",
		"both/index.htm":        "htm\n",
		"dirindex/index.htm":    "htm wins\n",
		"a b/c.txt":             "c\n",
		"a%b.txt":               "percent\n",
		"t.txt.br":              "br",
		"x.tgz":                 "tgz",
		".hidden":               "hidden",
		"UPPER.TXT":             "upper",
		"noext":                 "noext",
		"data.unknownext":       "data",
		"epoch.txt":             "epoch",
		"\\evil/x.txt":          "x",
		"space name.txt":        "space",
		"caf\u00e9.txt":         "cafe",
		"../outside/secret.txt": "secret\n",
	}
	for name, body := range files {
		p := filepath.Join(f.dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	for _, d := range []string{"dir/sub", "dirindex/index.html", "onlydirindex/index.html"} {
		require.NoError(t, os.MkdirAll(filepath.Join(f.dir, d), 0o755))
	}
	require.NoError(t, os.Symlink("a.txt", filepath.Join(f.dir, "link-in")))
	require.NoError(t, os.Symlink("../outside/secret.txt", filepath.Join(f.dir, "link-out")))
	require.NoError(t, os.Symlink("../outside", filepath.Join(f.dir, "linkdir-out")))
	require.NoError(t, syscall.Mkfifo(filepath.Join(f.dir, "fifo"), 0o644))
	require.NoError(t, filepath.Walk(f.dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.Mode()&os.ModeSymlink != 0 || info.Mode()&os.ModeNamedPipe != 0 {
			return err
		}
		return os.Chtimes(p, fixedTime, fixedTime)
	}))
	require.NoError(t, os.Chtimes(filepath.Join(f.dir, "epoch.txt"), time.Unix(0, 0), time.Unix(0, 0)))
	return f
}

// rootFS opens dir as an os.Root and returns its FS, closed with the test.
func rootFS(t testing.TB, dir string) *os.Root {
	t.Helper()
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	t.Cleanup(func() { root.Close() })
	return root
}

// parseRequest reads a request the way net/http's server does, so targets
// such as "//dir" or "/a#b?c" arrive exactly as a client would send them.
func parseRequest(t testing.TB, method, target string, header ...string) *http.Request {
	t.Helper()
	raw := method + " " + target + " HTTP/1.1\r\nHost: example.test\r\n"
	for _, h := range header {
		raw += h + "\r\n"
	}
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw + "\r\n")))
	require.NoError(t, err, "target %q", target)
	r.RemoteAddr = "192.0.2.1:1234"
	return r
}

// serve runs h on a parsed request and returns the recorded response.
func serve(t testing.TB, h http.Handler, method, target string, header ...string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, parseRequest(t, method, target, header...))
	return rec.Result()
}

func body(t testing.TB, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return string(b)
}

func newRequestReader(method, target string) *bufio.Reader {
	return bufio.NewReader(strings.NewReader(method + " " + target + " HTTP/1.1\r\nHost: example.test\r\n\r\n"))
}
