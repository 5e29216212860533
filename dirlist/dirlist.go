package dirlist

import (
	"bytes"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"time"

	"github.com/simplehttp/simplehttp/internal/urlpath"
)

// noPermission is Python's message when a directory cannot be read.
const noPermission = "No permission to list directory"

// New returns middleware that answers GET and HEAD requests for a directory
// of fsys, named by a request path that ends in "/", with a listing of it:
// Python 3.12's page byte for byte unless options ask for more. Everything
// else (files, directories without the slash, missing names, other methods)
// goes to next. A directory that cannot be read is answered with 404 "No
// permission to list directory" the http.Error way.
//
// The request path maps to a name of fsys as Python's translate_path does
// (percent-decoded once, ".." above the root dropped); the page's links are
// relative and its title is built from r.RequestURI, so the listing stays
// right under http.StripPrefix or a chi Mount. A symbolic link to a
// directory is listed as one when fsys follows it (os.DirFS does; the FS of
// an os.Root does only for links that stay inside the root).
//
// It looks for no index file: put an index handler in front of it. It sets
// no Last-Modified, so a conditional middleware in front never answers 304
// for a listing.
//
// New panics if an option is given nil or [WithTemplate] and
// [WithRichListing] are combined.
func New(fsys fs.FS, opts ...Option) func(http.Handler) http.Handler {
	if fsys == nil {
		panic("dirlist: nil fs.FS")
	}
	c := config{loc: time.UTC}
	for _, o := range opts {
		o(&c)
	}
	switch {
	case c.badNil != "":
		panic("dirlist: " + c.badNil + " given nil")
	case c.rich && c.tmpl != nil:
		panic("dirlist: WithRichListing and WithTemplate cannot be combined")
	}
	h := &handler{fsys: fsys, cfg: c, tmpl: c.tmpl}
	if len(c.hide) > 0 {
		h.hide = func(name string) bool {
			for _, f := range c.hide {
				if f(name) {
					return true
				}
			}
			return false
		}
	}
	if c.rich {
		h.tmpl = richTemplate()
		h.csp = richCSP()
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.serve(w, r, next)
		})
	}
}

type handler struct {
	fsys fs.FS
	cfg  config
	tmpl *template.Template // the rich page or the user's; nil for Python's
	csp  string
	hide func(name string) bool
}

func (h *handler) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		next.ServeHTTP(w, r)
		return
	}
	name, slash, ok := urlpath.FromRequest(r)
	if !ok || !slash {
		next.ServeHTTP(w, r)
		return
	}
	if fi, err := fs.Stat(h.fsys, name); err != nil || !fi.IsDir() {
		next.ServeHTTP(w, r)
		return
	}

	asJSON := h.cfg.json && wantsJSON(r)
	python := !asJSON && h.tmpl == nil
	entries, err := readEntries(h.fsys, name, h.hide, !python, h.cfg.loc)
	if err != nil {
		http.Error(w, noPermission, http.StatusNotFound)
		return
	}

	var body []byte
	var ctype string
	if python {
		body = pythonPage(string(appendEscaped(nil, displayPath(r))), entries)
		ctype = "text/html; charset=utf-8"
	} else {
		l := h.listing(r, name, entries)
		var buf bytes.Buffer
		switch {
		case asJSON:
			err = json.NewEncoder(&buf).Encode(l) // with a final newline
			ctype = "application/json"
		case h.cfg.rich:
			err = writeRich(&buf, h.tmpl, l)
			ctype = "text/html; charset=utf-8"
		default:
			err = h.tmpl.Execute(&buf, l)
			ctype = "text/html; charset=utf-8"
		}
		body = buf.Bytes()
		if err != nil {
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
	}

	hdr := w.Header()
	hdr.Set("Content-Type", ctype)
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	if h.cfg.json {
		hdr.Add("Vary", "Accept")
	}
	if h.csp != "" && !asJSON {
		hdr.Set("Content-Security-Policy", h.csp)
		hdr.Set("X-Content-Type-Options", "nosniff")
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// listing builds the data of the rich forms from the query parameters.
func (h *handler) listing(r *http.Request, name string, entries []Entry) *Listing {
	q := r.URL.Query()
	l := &Listing{
		Path:   displayPath(r),
		Root:   name == ".",
		Sort:   "name",
		Desc:   q.Get("order") == "desc",
		Filter: q.Get("q"),
	}
	switch s := q.Get("sort"); s {
	case "size", "time":
		l.Sort = s
	}
	fill(entries)
	entries = filter(entries, l.Filter)
	order(entries, l.Sort, l.Desc)
	l.Entries = entries
	return l
}

// wantsJSON reports whether r asks for the JSON form: format=json, or an
// Accept header preferring JSON without format=html.
func wantsJSON(r *http.Request) bool {
	switch r.URL.Query().Get("format") {
	case "json":
		return true
	case "html":
		return false
	}
	return prefersJSON(r.Header.Values("Accept"))
}
