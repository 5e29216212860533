package fileserver_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing/fstest"
	"time"

	"github.com/simplehttp/simplehttp/fileserver"
)

func Example() {
	// From disk, use os.OpenRoot(dir) and root.FS() (or os.DirFS(dir) to
	// follow links out of dir); any fs.FS works.
	mtime := time.Date(2023, time.November, 14, 22, 13, 20, 0, time.UTC)
	fsys := fstest.MapFS{
		"hello.txt":       {Data: []byte("hello\n"), ModTime: mtime},
		"docs/index.html": {Data: []byte("<h1>docs</h1>\n"), ModTime: mtime},
	}
	h := fileserver.Index(fsys)(fileserver.New(fsys, fileserver.WithPythonHeaders()))

	for _, req := range []struct{ method, target string }{
		{"GET", "/hello.txt"},
		{"GET", "/docs?lang=en"},
		{"GET", "/docs/"},
		{"GET", "/missing"},
		{"PUT", "/hello.txt"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(req.method, req.target, nil))
		res := rec.Result()
		fmt.Println(req.method, req.target, res.StatusCode)
		for _, k := range []string{"Content-Type", "Content-Length", "Last-Modified", "Location"} {
			if v := res.Header.Get(k); v != "" {
				fmt.Printf("  %s: %s\n", k, v)
			}
		}
		fmt.Printf("  %q\n", rec.Body.String())
	}
	// Output:
	// GET /hello.txt 200
	//   Content-Type: text/plain
	//   Content-Length: 6
	//   Last-Modified: Tue, 14 Nov 2023 22:13:20 GMT
	//   "hello\n"
	// GET /docs?lang=en 301
	//   Content-Length: 0
	//   Location: /docs/?lang=en
	//   ""
	// GET /docs/ 200
	//   Content-Type: text/html
	//   Content-Length: 14
	//   Last-Modified: Tue, 14 Nov 2023 22:13:20 GMT
	//   "<h1>docs</h1>\n"
	// GET /missing 404
	//   Content-Type: text/plain; charset=utf-8
	//   "File not found\n"
	// PUT /hello.txt 501
	//   Content-Type: text/plain; charset=utf-8
	//   "Unsupported method ('PUT')\n"
}

func ExampleContentType() {
	for _, name := range []string{"index.html", "notes.TXT", "backup.tgz", "page.html.br", "data.gz", ".bashrc", "README"} {
		fmt.Printf("%-14s %s\n", name, fileserver.ContentType(name))
	}
	// Output:
	// index.html     text/html
	// notes.TXT      text/plain
	// backup.tgz     application/x-tar
	// page.html.br   text/html
	// data.gz        application/gzip
	// .bashrc        application/octet-stream
	// README         application/octet-stream
}

func ExampleWithCharset() {
	fsys := fstest.MapFS{"a.txt": {Data: []byte("é\n")}}
	rec := httptest.NewRecorder()
	fileserver.New(fsys, fileserver.WithCharset("utf-8")).ServeHTTP(rec, httptest.NewRequest("GET", "/a.txt", nil))
	fmt.Println(rec.Header().Get("Content-Type"))
	// Output:
	// text/plain; charset=utf-8
}

func ExampleIndex() {
	fsys := fstest.MapFS{"site/home.htm": {Data: []byte("home\n")}}
	h := fileserver.Index(fsys, fileserver.WithIndexNames("home.htm"))(fileserver.New(fsys))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/site/", nil))
	fmt.Print(rec.Code, " ", rec.Body.String())
	// Output:
	// 200 home
}

// A file server under a prefix, with net/http's ServeMux: the directory
// redirect still points under the prefix.
func Example_stripPrefix() {
	fsys := fstest.MapFS{"docs/index.html": {Data: []byte("docs\n")}}
	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static", fileserver.Index(fsys)(fileserver.New(fsys))))

	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/static/docs", nil))
	fmt.Println(rec.Code, rec.Header().Get("Location"))
	// Output:
	// 301 /static/docs/
}
