package dirlist

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/simplehttp/simplehttp/internal/oracle"
	"github.com/simplehttp/simplehttp/internal/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawGet sends "METHOD target" as is (net/http's client would clean some
// targets) and returns the status line, the headers and the body, which
// for HEAD must be empty.
func rawGet(t *testing.T, addr, method, target string) (status string, header http.Header, body string) {
	t.Helper()
	all := testutil.Exchange(t, addr, method+" "+target+" HTTP/1.0\r\nHost: "+addr+"\r\n\r\n")
	head, rest, ok := strings.Cut(string(all), "\r\n\r\n")
	require.True(t, ok, "no end of headers in %q", all)
	lines := strings.Split(head, "\r\n")
	header = http.Header{}
	for _, l := range lines[1:] {
		k, v, _ := strings.Cut(l, ":")
		header.Add(k, strings.TrimSpace(v))
	}
	return lines[0], header, rest
}

// TestAgainstPython compares the page, Content-Type and Content-Length with
// Python 3.12's on the same tree (every link followed: os.DirFS), for the
// targets below. Skipped when Python 3.12 is absent.
func TestAgainstPython(t *testing.T) {
	dir := makeTree(t)
	py := oracle.Start(t, dir)
	srv := httptest.NewServer(New(os.DirFS(dir))(http.NotFoundHandler()))
	t.Cleanup(srv.Close)
	addr := strings.TrimPrefix(srv.URL, "http://")

	targets := []string{
		"/",
		"/Dir%20Space/",
		"//Dir%20Space/", // Python reduces a leading "//"
		"/emptydir/",
		"/link2dir/",
		"/./emptydir/../Dir%20Space/",
		"/../../",
		"/%44ir%20Space/",
	}
	for _, target := range targets {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			t.Run(method+" "+target, func(t *testing.T) {
				pyStatus, pyHeader, pyBody := rawGet(t, py.Addr, method, target)
				status, header, body := rawGet(t, addr, method, target)
				require.Equal(t, pyStatus, status)
				assert.Equal(t, pyBody, body)
				assert.Equal(t, pyHeader.Get("Content-Type"), header.Get("Content-Type"))
				assert.Equal(t, pyHeader.Get("Content-Length"), header.Get("Content-Length"))
				assert.Equal(t, pyHeader.Get("Last-Modified"), header.Get("Last-Modified"))
			})
		}
	}
}

// TestQueryInTitleDiffers pins the one deliberate difference in the page:
// Python 3.12 keeps "?query" and "#fragment" in the title, we drop them as
// 3.14 does.
func TestQueryInTitleDiffers(t *testing.T) {
	dir := makeTree(t)
	py := oracle.Start(t, dir)
	h := New(os.DirFS(dir))(terminal)
	for _, suffix := range []string{"?a=b", "#frag", "?a=b#frag"} {
		t.Run(suffix, func(t *testing.T) {
			_, _, body := rawGet(t, py.Addr, http.MethodGet, "/emptydir/"+suffix)
			assert.Contains(t, body, "<title>Directory listing for /emptydir/"+suffix+"</title>")
			rec := serve(t, h, http.MethodGet, "/emptydir/"+suffix)
			assert.Contains(t, rec.Body.String(), "<title>Directory listing for /emptydir/</title>")
		})
	}
}
