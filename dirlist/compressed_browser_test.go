package dirlist

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/compress"
	"github.com/simplehttp/simplehttp/fileserver"
)

// TestBrowserCompressed loads, in headless Chromium, a page compressed on
// the fly (compress) that includes a script served from a precompressed
// sidecar (fileserver.WithPrecompressed), and the rich listing
// compressed too; checks that each arrived encoded and rendered (the
// script ran, the rows are there).
func TestBrowserCompressed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	var rows strings.Builder
	for i := range 300 {
		rows.WriteString("<li class=row>row " + strings.Repeat("x", i%40) + "</li>\n")
	}
	page := "<!doctype html><title>compressed</title><ul>" + rows.String() + "</ul><script src=app.js></script>"
	script := "window.appRan = document.querySelectorAll('li.row').length;\n" + strings.Repeat("// padding\n", 200)
	var br bytes.Buffer
	bw := brotli.NewWriter(&br)
	_, err := bw.Write([]byte(script))
	require.NoError(t, err)
	require.NoError(t, bw.Close())
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err = zw.Write([]byte(script))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	dir := t.TempDir()
	// The original says -1: only a sidecar makes the page count its rows.
	// Chromium offers br over HTTPS only, so gzip is there too.
	for name, content := range map[string]string{"page.html": page, "app.js": "window.appRan = -1;", "app.js.br": br.String(), "app.js.gz": gz.String()} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	t.Cleanup(func() { root.Close() })

	var mu sync.Mutex
	encodings := map[string]string{} // path -> Content-Encoding sent
	h := compress.New()(New(root.FS(), WithRichListing())(fileserver.New(root.FS(), fileserver.WithPrecompressed())))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		mu.Lock()
		encodings[r.URL.Path] = w.Header().Get("Content-Encoding")
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)

	c := startChromium(t, ctx)
	require.NoError(t, c.call(ctx, "Page.enable", nil, nil))
	require.NoError(t, c.call(ctx, "Page.navigate", map[string]any{"url": srv.URL + "/page.html"}, nil))
	_, err = c.waitEvent(ctx, "Page.loadEventFired", nil)
	require.NoError(t, err)
	var state struct {
		Title   string
		Rows    int
		AppRan  int
		Encoded int
		Decoded int
	}
	require.NoError(t, c.eval(ctx, `(() => {
		const nav = performance.getEntriesByType("navigation")[0];
		return {title: document.title, rows: document.querySelectorAll("li.row").length, appRan: window.appRan,
			encoded: nav.encodedBodySize, decoded: nav.decodedBodySize};
	})()`, &state))
	assert.Equal(t, "compressed", state.Title)
	assert.Equal(t, 300, state.Rows)
	assert.Equal(t, 300, state.AppRan, "the script from a sidecar ran")
	assert.Equal(t, len(page), state.Decoded)
	assert.Less(t, state.Encoded, state.Decoded/4, "the page travelled compressed")

	require.NoError(t, c.call(ctx, "Page.navigate", map[string]any{"url": srv.URL + "/"}, nil))
	_, err = c.waitEvent(ctx, "Page.loadEventFired", nil)
	require.NoError(t, err)
	var listing []string
	require.NoError(t, c.eval(ctx, `Array.from(document.querySelectorAll("#listing tbody a")).map(a => a.textContent)`, &listing))
	assert.Contains(t, listing, "page.html")

	mu.Lock()
	defer mu.Unlock()
	assert.NotEmpty(t, encodings["/page.html"], "page.html compressed on the fly")
	assert.Contains(t, []string{"br", "gzip"}, encodings["/app.js"], "app.js from a sidecar")
	assert.NotEmpty(t, encodings["/"], "the listing compressed on the fly")
}
