// Command servemux serves a directory under /static/ of an http.ServeMux
// with the fileserver package alone: index pages, Python's content types,
// the trailing-slash redirect, 404 and 501, byte ranges and ETags.
//
//	go run ./examples/servemux -d DIR -addr :8080
//	curl -i localhost:8080/static/file.txt
package main

import (
	"flag"
	"io/fs"
	"log"
	"net/http"
	"os"

	"github.com/simplehttp/simplehttp/fileserver"
)

func newMux(fsys fs.FS) *http.ServeMux {
	files := fileserver.Index(fsys)(fileserver.New(fsys))
	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static", files))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/", http.StatusFound)
	})
	return mux
}

func main() {
	dir := flag.String("d", ".", "directory to serve")
	addr := flag.String("addr", "localhost:8080", "address to listen on")
	flag.Parse()
	// An os.Root keeps requests inside dir: symbolic links that lead out
	// of it are answered 404.
	root, err := os.OpenRoot(*dir)
	if err != nil {
		log.Fatal(err)
	}
	defer root.Close()
	log.Printf("serving %s on http://%s/static/", *dir, *addr)
	log.Fatal(http.ListenAndServe(*addr, newMux(root.FS())))
}
