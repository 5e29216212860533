package dotfiles

import (
	"net/http"
	"strings"

	"github.com/simplehttp/simplehttp/internal/httperr"
	"github.com/simplehttp/simplehttp/internal/urlpath"
)

// New returns middleware that answers 404 "File not found", for every
// method, a request whose path has a segment that starts with "." other
// than "." and "..", as decoded from percent-encoding ("/%2eenv" is
// "/.env") and before or after dot segments are resolved; it drops
// Cache-Control, ETag and Last-Modified from that answer. Every other
// request goes to next untouched, with the writer it came with. It sits in
// front of every handler that maps paths to files: file server, listing,
// CGI.
//
// The middleware panics when wrapping a nil handler.
func New() func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("dotfiles: nil next handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if hidden(r) {
				httperr.Error(w, "File not found", http.StatusNotFound)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// hidden reports whether New hides the request r: whether its path, as
// decoded, or the name it maps to once "." and ".." are resolved, has a
// segment that starts with ".".
func hidden(r *http.Request) bool {
	if dotSegment(r.URL.Path) {
		return true
	}
	name, _, ok := urlpath.FromRequest(r)
	return ok && dotSegment(name)
}

// dotSegment reports whether p has a "/"-separated segment that starts
// with "." and is not "." or "..".
func dotSegment(p string) bool {
	for {
		i := strings.IndexByte(p, '.')
		if i < 0 {
			return false
		}
		if i == 0 || p[i-1] == '/' {
			end := strings.IndexByte(p[i:], '/')
			if end < 0 {
				end = len(p) - i
			}
			if seg := p[i : i+end]; seg != "." && seg != ".." {
				return true
			}
		}
		p = p[i+1:]
	}
}
