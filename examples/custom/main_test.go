package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCustomStack checks each layer of the stack: the charset on text
// files, the rich and JSON listings without dotfiles, 304s, the error page
// and the access log.
func TestCustomStack(t *testing.T) {
	fsys := fstest.MapFS{
		"a.txt":       {Data: []byte("a")},
		".secret":     {Data: []byte("s")},
		"dir/b.txt":   {Data: []byte("b")},
		"dir/c.html":  {Data: []byte("c")},
		"dir/.hidden": {Data: []byte("h")},
	}
	var log bytes.Buffer
	srv := httptest.NewServer(newHandler(fsys, &log))
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/a.txt")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))

	resp, err = http.Get(srv.URL + "/dir/")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), `href="b.txt"`)
	assert.Contains(t, string(body), `href="c.html"`)
	assert.NotContains(t, string(body), `href=".hidden"`)

	// dotfiles: hidden names are refused, not only left out of listings.
	for _, path := range []string{"/.secret", "/dir/.hidden", "/dir/%2Ehidden"} {
		resp, err = http.Get(srv.URL + path)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, path)
	}

	// conditional: the file server's ETag gives a 304.
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/a.txt", nil)
	require.NoError(t, err)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotModified, resp.StatusCode)

	// errorpage: a plain-text page from our template.
	resp, err = http.Get(srv.URL + "/missing")
	require.NoError(t, err)
	body, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, "404 File not found: Nothing matches the given URI.\n", string(body))
	pageLen := len(body)

	// dirlist: JSON on request.
	resp, err = http.Get(srv.URL + "/dir/?format=json")
	require.NoError(t, err)
	body, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Contains(t, resp.Header.Get("Content-Type"), "application/json")
	assert.Contains(t, string(body), `"b.txt"`)

	// logging counts what the client got: the error page's bytes (51), not
	// the handler's plain message (15).
	assert.Contains(t, log.String(), fmt.Sprintf(`"GET /missing HTTP/1.1" 404 %d `, pageLen))
	assert.Contains(t, log.String(), `"GET /a.txt HTTP/1.1" 200 1`)
	assert.Contains(t, log.String(), `"GET /a.txt HTTP/1.1" 304 -`)
	assert.Contains(t, log.String(), `"GET /dir/ HTTP/1.1" 200`)
}
