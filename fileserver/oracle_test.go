package fileserver_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/fileserver"
	"github.com/simplehttp/simplehttp/internal/oracle"
	"github.com/simplehttp/simplehttp/internal/testutil"
)

// exchange is one raw HTTP/1.0 request and what came back.
type exchange struct {
	status int
	header http.Header
	body   string
}

// send writes "METHOD target HTTP/1.0" to addr exactly as given and reads
// the response.
func send(t *testing.T, addr, method, target string) exchange {
	t.Helper()
	raw := testutil.Exchange(t, addr, method+" "+target+" HTTP/1.0\r\nHost: "+addr+"\r\n\r\n")
	res, body := testutil.ReadResponse(t, raw, method)
	return exchange{status: res.StatusCode, header: res.Header, body: body}
}

// resolved returns the Location of e resolved against the request URL,
// without the host (the two servers listen on different ports).
func (e exchange) resolved(t *testing.T, target string) string {
	loc := e.header.Get("Location")
	if loc == "" {
		return ""
	}
	base, err := url.Parse("http://h" + target)
	if err != nil {
		base = &url.URL{Scheme: "http", Host: "h", Path: "/"}
	}
	u, err := base.Parse(loc)
	require.NoError(t, err)
	return u.RequestURI() + map[bool]string{true: "#" + u.EscapedFragment()}[u.Fragment != ""]
}

// TestMatchesPython is the differential test: Python 3.12's http.server
// and Index+New serve the same tree, and every answer must agree on status,
// Content-Type, Content-Length, Last-Modified, the resolved Location and
// the body (for 404 and 501, the status only: our body is http.Error's
// text until the errorpage middleware turns it into Python's page).
// It pins send_head, translate_path, guess_type and the 501 of
// handle_one_request. Directories without an index are left out (that is
// the listing's job), and so are the deliberate differences tested
// elsewhere: links that leave the root, and "/\..." redirects.
func TestMatchesPython(t *testing.T) {
	f := newFixture(t)
	py := oracle.Start(t, f.dir)
	fsys := rootFS(t, f.dir).FS()
	srv := httptest.NewServer(fileserver.Index(fsys)(fileserver.New(fsys)))
	defer srv.Close()
	ours := srv.Listener.Addr().String()

	tests := []struct{ method, target string }{
		// Files and their types.
		{"GET", "/a.txt"}, {"HEAD", "/a.txt"}, {"GET", "/a.txt?x=1"}, {"GET", "/a.txt#frag"},
		{"GET", "/dir/b.html"}, {"GET", "/t.txt.br"}, {"GET", "/x.tgz"}, {"GET", "/.hidden"},
		{"GET", "/UPPER.TXT"}, {"GET", "/noext"}, {"GET", "/data.unknownext"}, {"GET", "/epoch.txt"},
		{"GET", "/space%20name.txt"}, {"GET", "/a%25b.txt"}, {"GET", "/caf%C3%A9.txt"}, {"GET", "/caf%c3%a9.txt"},
		{"GET", "/link-in"}, {"GET", "/%5Cevil/x.txt"}, {"HEAD", "/epoch.txt"},
		// Path mapping.
		{"GET", "/../a.txt"}, {"GET", "/%2e%2e/a.txt"}, {"GET", "/dir/../a.txt"}, {"GET", "/dir/../../a.txt"},
		{"GET", "//a.txt"}, {"GET", "///dir//b.html"}, {"GET", "/dir%2fb.html"}, {"GET", "/a.txt%2f"},
		{"GET", "/a.txt/."}, {"GET", "/./a.txt"}, {"GET", "/dir/./b.html"},
		// Redirects.
		{"GET", "/dir"}, {"HEAD", "/dir"}, {"GET", "/dir?a=1"}, {"GET", "/dir?a#b"}, {"GET", "/dir#a?b"},
		{"GET", "/dir?"}, {"GET", "/dir#"}, {"GET", "/dir?#"}, {"GET", "//dir"}, {"GET", "///dir?x"},
		{"GET", "/dir/./sub"}, {"GET", "/dir/sub/.."}, {"GET", "/a%20b"}, {"GET", "/dir%2fsub"},
		{"GET", "/idx"}, {"GET", "/idx%2f"}, {"GET", "/idx?x=%20"}, {"GET", "/%69dx"},
		// Index pages.
		{"GET", "/idx/"}, {"HEAD", "/idx/"}, {"GET", "/idxhtm/"}, {"GET", "/both/"}, {"GET", "/dirindex/"},
		{"GET", "/idx/?q=1"}, {"GET", "//idx/"}, {"GET", "/idx//"}, {"GET", "/idx/index.html"},
		// Not found.
		{"GET", "/missing"}, {"HEAD", "/missing"}, {"GET", "/a.txt/"}, {"GET", "/dir/b.html/"},
		{"GET", "/a.txt/x"}, {"GET", "/" + strings.Repeat("a", 300)}, {"GET", strings.Repeat("/abcdefgh", 600)},
		// Unsupported methods.
		{"PUT", "/a.txt"}, {"POST", "/a.txt"}, {"DELETE", "/dir"}, {"OPTIONS", "/"}, {"get", "/a.txt"},
		{"PATCH", "/missing"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target[:min(len(tt.target), 40)], func(t *testing.T) {
			want := send(t, py.Addr, tt.method, tt.target)
			got := send(t, ours, tt.method, tt.target)
			require.Equal(t, want.status, got.status, "status")
			if want.status >= 400 {
				return
			}
			for _, k := range []string{"Content-Type", "Content-Length", "Last-Modified"} {
				assert.Equal(t, want.header.Values(k), got.header.Values(k), k)
			}
			assert.Equal(t, want.resolved(t, tt.target), got.resolved(t, tt.target), "Location")
			assert.Equal(t, want.body, got.body, "body")
		})
	}
}

// TestDifferencesFromPython pins each deliberate difference from Python
// 3.12 (listed in the README) against the real thing, so the list stays
// true: Python follows links out of the served directory, sends a Location
// starting with "/\" (which browsers read as another host), and drops the
// connection on a NUL byte.
func TestDifferencesFromPython(t *testing.T) {
	f := newFixture(t)
	py := oracle.Start(t, f.dir)
	fsys := rootFS(t, f.dir).FS()
	srv := httptest.NewServer(fileserver.Index(fsys)(fileserver.New(fsys)))
	defer srv.Close()

	t.Run("link out of the root", func(t *testing.T) {
		want := send(t, py.Addr, "GET", "/link-out")
		assert.Equal(t, 200, want.status, "Python follows it")
		assert.Equal(t, "secret\n", want.body)
		assert.Equal(t, 404, send(t, srv.Listener.Addr().String(), "GET", "/link-out").status)
	})
	t.Run("backslash after the first slash", func(t *testing.T) {
		assert.Equal(t, `/\evil/`, send(t, py.Addr, "GET", `/\evil`).header.Get("Location"))
		got := send(t, srv.Listener.Addr().String(), "GET", `/\evil`)
		assert.Equal(t, 301, got.status)
		assert.Equal(t, "/%5Cevil/", got.header.Get("Location"))
		// Both name the same directory.
		assert.Equal(t, 200, send(t, py.Addr, "GET", "/%5Cevil/x.txt").status)
	})
	t.Run("NUL byte", func(t *testing.T) {
		conn, err := net.DialTimeout("tcp", py.Addr, 10*time.Second)
		require.NoError(t, err)
		defer conn.Close()
		require.NoError(t, conn.SetDeadline(time.Now().Add(20*time.Second)))
		_, err = io.WriteString(conn, "GET /a.txt%00 HTTP/1.0\r\n\r\n")
		require.NoError(t, err)
		b, _ := io.ReadAll(conn)
		assert.Empty(t, b, "Python closes the connection without an answer")
		assert.Equal(t, 404, send(t, srv.Listener.Addr().String(), "GET", "/a.txt%00").status)
	})
}
