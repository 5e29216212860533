package dirlist_test

import (
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing/fstest"

	"github.com/simplehttp/simplehttp/dirlist"
)

// Python's page, mounted under a prefix: the links are relative and the
// title is the path the client asked for.
func ExampleNew() {
	fsys := fstest.MapFS{
		"docs/Read me.txt": {Data: []byte("hello")},
		"docs/img/a.png":   {Data: []byte("png")},
		"docs/.hidden":     {Data: []byte("x")},
	}
	list := dirlist.New(fsys)
	files := http.NotFoundHandler() // the file handler would go here
	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static", list(files)))

	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/static/docs/", nil))
	fmt.Println(rec.Header().Get("Content-Type"))
	fmt.Print(rec.Body.String())
	// Output:
	// text/html; charset=utf-8
	// <!DOCTYPE HTML>
	// <html lang="en">
	// <head>
	// <meta charset="utf-8">
	// <title>Directory listing for /static/docs/</title>
	// </head>
	// <body>
	// <h1>Directory listing for /static/docs/</h1>
	// <hr>
	// <ul>
	// <li><a href=".hidden">.hidden</a></li>
	// <li><a href="img/">img/</a></li>
	// <li><a href="Read%20me.txt">Read me.txt</a></li>
	// </ul>
	// <hr>
	// </body>
	// </html>
}

// The JSON form, asked for with an Accept header, without dotfiles.
func ExampleWithJSON() {
	fsys := fstest.MapFS{
		"a b.txt": {Data: []byte("12345")},
		"sub/x":   {},
		".git/x":  {},
	}
	h := dirlist.New(fsys, dirlist.WithJSON(), dirlist.WithHideDotfiles())(http.NotFoundHandler())
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Header().Get("Content-Type"), rec.Header().Get("Vary"))
	fmt.Print(rec.Body.String())
	// Output:
	// application/json Accept
	// {"path":"/","root":true,"entries":[{"name":"sub","href":"sub/","dir":true,"symlink":false,"size":0,"modified":"0001-01-01T00:00:00Z"},{"name":"a b.txt","href":"a%20b.txt","dir":false,"symlink":false,"size":5,"modified":"0001-01-01T00:00:00Z"}],"sort":"name","desc":false}
}

// A template of your own gets a *dirlist.Listing; query parameters sort,
// order and q sort and filter it.
func ExampleWithTemplate() {
	tmpl := template.Must(template.New("list").Parse(
		`<h1>{{.Path}}</h1>{{range .Entries}}
<a href="{{.Href}}">{{.Name}}</a> {{if .IsDir}}dir{{else}}{{.HumanSize}}{{end}}{{end}}
`))
	fsys := fstest.MapFS{
		"small.txt": {Data: []byte("x")},
		"big.bin":   {Data: []byte(strings.Repeat("x", 3000))},
		"<b>.txt":   {Data: []byte("xy")},
		"sub/x":     {},
	}
	h := dirlist.New(fsys, dirlist.WithTemplate(tmpl))(http.NotFoundHandler())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/?sort=size&order=desc", nil))
	fmt.Print(rec.Body.String())
	// Output:
	// <h1>/</h1>
	// <a href="sub/">sub</a> dir
	// <a href="big.bin">big.bin</a> 2.9 KiB
	// <a href="%3Cb%3E.txt">&lt;b&gt;.txt</a> 2 B
	// <a href="small.txt">small.txt</a> 1 B
}
