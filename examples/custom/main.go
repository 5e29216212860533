// Command custom composes its own stack from the toolkit's packages instead
// of the Python-compatible one: a Combined-format access log, plain-text
// error pages, conditional requests, index pages, the rich directory listing
// (or JSON, on request), dotfiles hidden from listings and refused, and
// files with a UTF-8 charset on text types. The Combined log sits outside
// errorpage, so that it counts the bytes of the page the client gets.
//
//	go run ./examples/custom -d DIR -addr :8080
package main

import (
	"flag"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"

	"github.com/simplehttp/simplehttp/conditional"
	"github.com/simplehttp/simplehttp/dirlist"
	"github.com/simplehttp/simplehttp/dotfiles"
	"github.com/simplehttp/simplehttp/errorpage"
	"github.com/simplehttp/simplehttp/fileserver"
	"github.com/simplehttp/simplehttp/logging"
)

func newHandler(fsys fs.FS, accessLog io.Writer) http.Handler {
	// Outermost first; the terminal handler comes last.
	middleware := []func(http.Handler) http.Handler{
		logging.New(accessLog, logging.WithFormat(logging.Combined)),
		errorpage.New(errorpage.WithPageTemplate("text/plain; charset=utf-8",
			"{{.Code}} {{.Message}}: {{.Explain}}.\n")),
		dotfiles.New(),
		conditional.New(),
		fileserver.Index(fsys),
		dirlist.New(fsys, dirlist.WithRichListing(), dirlist.WithJSON(), dirlist.WithHideDotfiles()),
	}
	h := fileserver.New(fsys, fileserver.WithCharset("utf-8"))
	for i := len(middleware) - 1; i >= 0; i-- {
		h = middleware[i](h)
	}
	return h
}

func main() {
	dir := flag.String("d", ".", "directory to serve")
	addr := flag.String("addr", "localhost:8080", "address to listen on")
	flag.Parse()
	root, err := os.OpenRoot(*dir)
	if err != nil {
		log.Fatal(err)
	}
	defer root.Close()
	log.Printf("serving %s on http://%s/", *dir, *addr)
	log.Fatal(http.ListenAndServe(*addr, newHandler(root.FS(), os.Stderr)))
}
