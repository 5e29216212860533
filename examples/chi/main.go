// Command chi mounts the Python-compatible file server under /static of a
// chi router, beside the application's own routes. http.StripPrefix hands
// the file server paths relative to /static, and its redirects and links
// still point under /static.
//
//	go run ./examples/chi -d DIR -addr :8080
//	curl -i localhost:8080/static/
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/simplehttp/simplehttp"
)

// newRouter returns the router and the file handler, which the caller
// closes (it holds the directory open) once the router is no longer used.
func newRouter(dir string) (http.Handler, *simplehttp.Handler, error) {
	files, err := simplehttp.NewHandler(dir)
	if err != nil {
		return nil, nil, err
	}
	r := chi.NewRouter()
	r.Get("/", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "files are under /static/")
	})
	r.Mount("/static", http.StripPrefix("/static", files))
	return r, files, nil
}

func main() {
	dir := flag.String("d", ".", "directory to serve")
	addr := flag.String("addr", "localhost:8080", "address to listen on")
	flag.Parse()
	r, files, err := newRouter(*dir)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("serving %s on http://%s/static/", *dir, *addr)
	err = http.ListenAndServe(*addr, r)
	files.Close()
	log.Fatal(err)
}
