package simplehttp

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// get answers target through h and returns the status and body.
func get(t *testing.T, h http.Handler, target string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec.Code, rec.Body.String()
}

// TestHandlerClose pins that Close releases the directory NewHandler
// opened: the handler serves before it, and no longer finds the file after.
func TestHandlerClose(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.txt": "a"})
	h, err := NewHandler(dir)
	require.NoError(t, err)
	code, body := get(t, h, "/a.txt")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "a", body)
	require.NoError(t, h.Close())
	code, _ = get(t, h, "/a.txt")
	assert.Equal(t, http.StatusNotFound, code)
}

// TestNewRootHandler pins that a Handler over the caller's root serves from
// it, leaves it open on Close, and that WithFollowSymlinks follows a link
// out of it (from root.Name()) where the default refuses it.
func TestNewRootHandler(t *testing.T) {
	outside := writeFiles(t, map[string]string{"secret.txt": "secret"})
	dir := writeFiles(t, map[string]string{"a.txt": "a"})
	require.NoError(t, os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "out.txt")))
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	defer root.Close()

	h, err := NewRootHandler(root)
	require.NoError(t, err)
	code, body := get(t, h, "/a.txt")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "a", body)
	code, _ = get(t, h, "/out.txt")
	assert.Equal(t, http.StatusNotFound, code)
	require.NoError(t, h.Close())
	_, err = root.Stat("a.txt")
	assert.NoError(t, err, "the caller's root stays open")

	follow, err := NewRootHandler(root, WithFollowSymlinks())
	require.NoError(t, err)
	code, body = get(t, follow, "/out.txt")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "secret", body)
}

// TestProgrammerErrors pins the panics for what only a programmer gets
// wrong.
func TestProgrammerErrors(t *testing.T) {
	dir := t.TempDir()
	assert.PanicsWithValue(t, "simplehttp: nil Option", func() { _, _ = NewHandler(dir, nil) })
	assert.PanicsWithValue(t, "simplehttp: nil Option", func() { _, _ = NewHandler(dir, WithCGI(), nil) })
	assert.PanicsWithValue(t, "simplehttp: nil *os.Root", func() { _, _ = NewRootHandler(nil) })
}

// TestHideDotfiles pins WithHideDotfiles across the stack: dot-names are
// left out of listings and answered Python's 404 page when asked for
// directly, percent-encoded or not, for files, directories and CGI
// scripts; without the option they are listed and served, as Python does.
func TestHideDotfiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".env":               "SECRET=1",
		".git/config":        "[core]",
		"a/.hidden/x":        "x",
		"a/b.txt":            "b",
		"cgi-bin/ok.sh":      "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nok'\n",
		"cgi-bin/.secret.sh": "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nsecret'\n",
	})
	openForNobody(t, dir, "cgi-bin/ok.sh", "cgi-bin/.secret.sh")
	notFound := errorPage(404, "File not found", "Nothing matches the given URI")
	tests := []struct {
		path       string
		hidden     string // the body with WithHideDotfiles, "" for notFound
		shown      string // a substring of the body without it
		shownCode  int
		hiddenCode int
	}{
		{path: "/.env", shown: "SECRET=1", shownCode: 200, hiddenCode: 404},
		{path: "/%2eenv", shown: "SECRET=1", shownCode: 200, hiddenCode: 404},
		{path: "/.git/config", shown: "[core]", shownCode: 200, hiddenCode: 404},
		{path: "/a/%2Ehidden/x", shown: "x", shownCode: 200, hiddenCode: 404},
		{path: "/a/.hidden/", shown: `href="x"`, shownCode: 200, hiddenCode: 404},
		{path: "/a/b/../.hidden/x", shown: "x", shownCode: 200, hiddenCode: 404},
		{path: "/cgi-bin/.secret.sh", shown: "secret", shownCode: 200, hiddenCode: 404},
		{path: "/cgi-bin/ok.sh", shown: "ok", hidden: "ok", shownCode: 200, hiddenCode: 200},
		{path: "/a/b.txt", shown: "b", hidden: "b", shownCode: 200, hiddenCode: 200},
		{path: "/a/", shown: `<a href=".hidden/">.hidden/</a>`, hidden: listingPage("/a/", "b.txt"), shownCode: 200, hiddenCode: 200},
	}
	shown, err := NewHandler(dir, WithCGI())
	require.NoError(t, err)
	defer shown.Close()
	hidden, err := NewHandler(dir, WithCGI(), WithHideDotfiles())
	require.NoError(t, err)
	defer hidden.Close()
	srvShown, srvHidden := httptest.NewServer(shown), httptest.NewServer(hidden)
	defer srvShown.Close()
	defer srvHidden.Close()
	fetch := func(t *testing.T, srv *httptest.Server, path string) (int, string) {
		resp, err := srv.Client().Get(srv.URL + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(body)
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			code, body := fetch(t, srvShown, tc.path)
			assert.Equal(t, tc.shownCode, code)
			assert.Contains(t, body, tc.shown)
			code, body = fetch(t, srvHidden, tc.path)
			assert.Equal(t, tc.hiddenCode, code)
			want := tc.hidden
			if want == "" {
				want = notFound
			}
			assert.Equal(t, want, body)
			assert.False(t, strings.Contains(body, ".hidden") || strings.Contains(body, "SECRET"), body)
		})
	}
}

// openForNobody makes the scripts executable, and the served directory and
// its parents searchable, since scripts run as nobody when the tests run as
// root.
func openForNobody(t *testing.T, dir string, scripts ...string) {
	t.Helper()
	for _, s := range scripts {
		require.NoError(t, os.Chmod(filepath.Join(dir, s), 0o755))
		require.NoError(t, os.Chmod(filepath.Dir(filepath.Join(dir, s)), 0o755))
	}
	require.NoError(t, os.Chmod(dir, 0o755))
	for d := filepath.Dir(dir); d != "/"; d = filepath.Dir(d) {
		info, err := os.Stat(d)
		require.NoError(t, err)
		require.NoError(t, os.Chmod(d, info.Mode().Perm()|0o011))
	}
}
