package fileserver_test

import (
	"fmt"
	"net/http/httptest"
	"testing/fstest"
	"time"

	"github.com/simplehttp/simplehttp/fileserver"
)

func ExampleWithPrecompressed() {
	mtime := time.Date(2023, time.November, 14, 22, 13, 20, 0, time.UTC)
	fsys := fstest.MapFS{
		"app.js":    {Data: []byte("console.log('hi')\n"), ModTime: mtime},
		"app.js.br": {Data: []byte("(brotli bytes)"), ModTime: mtime},
		"app.js.gz": {Data: []byte("(gzip bytes)"), ModTime: mtime},
	}
	h := fileserver.New(fsys, fileserver.WithPrecompressed())
	for _, accept := range []string{"gzip, br", "gzip", ""} {
		req := httptest.NewRequest("GET", "/app.js", nil)
		req.Header.Set("Accept-Encoding", accept)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Printf("%q: %s %q %s\n", accept, rec.Header().Get("Content-Type"), rec.Header().Get("Content-Encoding"), rec.Body)
	}
	// Output:
	// "gzip, br": text/javascript "br" (brotli bytes)
	// "gzip": text/javascript "gzip" (gzip bytes)
	// "": text/javascript "" console.log('hi')
}

func ExampleWithSPA() {
	fsys := fstest.MapFS{"index.html": {Data: []byte("<div id=app></div>\n")}}
	h := fileserver.New(fsys, fileserver.WithSPA())
	for _, r := range []struct{ target, accept string }{
		{"/settings/profile", "text/html,*/*;q=0.8"},
		{"/settings/profile", "application/json"},
		{"/missing.js", "text/html,*/*;q=0.8"},
	} {
		req := httptest.NewRequest("GET", r.target, nil)
		req.Header.Set("Accept", r.accept)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Println(r.target, r.accept, rec.Code)
	}
	// Output:
	// /settings/profile text/html,*/*;q=0.8 200
	// /settings/profile application/json 404
	// /missing.js text/html,*/*;q=0.8 404
}
