package dirlist

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/simplehttp/simplehttp/internal/httperr"
	"github.com/simplehttp/simplehttp/internal/indexpage"
	"github.com/simplehttp/simplehttp/internal/precond"
	"github.com/simplehttp/simplehttp/internal/urlpath"
)

// noPermission is Python's message when a directory cannot be read.
const noPermission = "No permission to list directory"

// New returns middleware that answers GET and HEAD requests for a directory
// of fsys, named by a request path that ends in "/", with a listing of it:
// Python 3.12's page byte for byte unless options ask for more. Everything
// else (files, directories without the slash, missing names, other methods)
// goes to next, with the writer it came with. The path maps to a name as
// Python's translate_path does; links are relative and the title comes from
// r.RequestURI, so it works under http.StripPrefix or a chi Mount.
//
// A directory holding an index page ([WithIndexNames]) goes to next. A
// listing has no validators: If-None-Match and If-Match are answered as
// the conditional package does, never 304 by If-Modified-Since. A directory
// that cannot be read is 404 "No permission to list directory", one that
// cannot be read for want of descriptors or memory 503 with Retry-After.
// Python's page of a directory whose names have not changed for 2 seconds
// is cached until they do (Linux).
//
// Put it behind dotfiles and cgi, in front of the file handler. New panics
// if fsys or an option is nil, if [WithTemplate], [WithHide] or
// [WithLocation] is given nil, or if [WithTemplate] and [WithRichListing]
// are combined; the middleware panics when wrapping a nil handler.
func New(fsys fs.FS, opts ...Option) func(http.Handler) http.Handler {
	if fsys == nil {
		panic("dirlist: nil fs.FS")
	}
	c := config{loc: time.UTC}
	for _, o := range opts {
		if o == nil {
			panic("dirlist: nil Option")
		}
		o(&c)
	}
	switch {
	case c.tmplSet && c.tmpl == nil:
		panic("dirlist: WithTemplate given nil")
	case slices.ContainsFunc(c.hide, func(f func(string) bool) bool { return f == nil }):
		panic("dirlist: WithHide given nil")
	case c.loc == nil:
		panic("dirlist: WithLocation given nil")
	case c.rich && c.tmpl != nil:
		panic("dirlist: WithRichListing and WithTemplate cannot be combined")
	}
	for _, n := range c.index {
		if n == "" || n == "." || n == ".." || strings.ContainsAny(n, "/\x00") {
			panic(fmt.Sprintf("dirlist: WithIndexNames: invalid name %q", n))
		}
	}
	h := &handler{fsys: fsys, cfg: c, tmpl: c.tmpl, list: newListCache()}
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
		if next == nil {
			panic("dirlist: nil next handler")
		}
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
	list *listCache // Python's page
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
	fi, err := fs.Stat(h.fsys, name)
	if err != nil && httperr.Transient(err) {
		httperr.Unavailable(w, err)
		return
	}
	if err != nil || !fi.IsDir() {
		next.ServeHTTP(w, r)
		return
	}
	if index, err := indexpage.Find(h.fsys, name, h.cfg.index); err != nil {
		httperr.Unavailable(w, err)
		return
	} else if index != "" {
		next.ServeHTTP(w, r)
		return
	}
	if precond.Present(r.Header) && precond.Write(w, precond.Evaluate(r, w.Header(), nil)) {
		return
	}

	asJSON := h.cfg.json && wantsJSON(r)
	python := !asJSON && h.tmpl == nil
	var items []item
	var entries []Entry
	if python {
		items, err = h.list.items(h.fsys, name, fi, h.hide)
	} else {
		entries, err = readEntries(h.fsys, name, h.hide, h.cfg.loc)
	}
	if err != nil {
		if httperr.Transient(err) {
			httperr.Unavailable(w, err)
		} else {
			httperr.Error(w, noPermission, http.StatusNotFound)
		}
		return
	}

	var body []byte
	var ctype string
	if python {
		body = pythonPage(string(appendEscaped(nil, displayPath(r))), items)
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
