// Command embed serves files compiled into the binary (an embed.FS) with
// the fileserver package: the same index pages, content types and
// redirects as from disk, with no directory needed at run time.
//
//	go run ./examples/embed -addr :8080
//	curl -i localhost:8080/
package main

import (
	"embed"
	"flag"
	"io/fs"
	"log"
	"net/http"

	"github.com/simplehttp/simplehttp/fileserver"
)

//go:embed static
var static embed.FS

func newHandler() http.Handler {
	// Serve the static directory itself as the root.
	fsys, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the directory is embedded: this cannot fail
	}
	return fileserver.Index(fsys)(fileserver.New(fsys))
}

func main() {
	addr := flag.String("addr", "localhost:8080", "address to listen on")
	flag.Parse()
	log.Printf("serving the embedded files on http://%s/", *addr)
	log.Fatal(http.ListenAndServe(*addr, newHandler()))
}
