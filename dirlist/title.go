package dirlist

import (
	"net/http"
	"strings"

	"github.com/simplehttp/simplehttp/internal/urlpath"
)

// displayPath returns the path a listing is titled with: the request target
// as the client sent it (the path of an absolute-form target; not r.URL, so
// the title stays right under http.StripPrefix), a leading "//" reduced to
// "/" as Python does, without ?query or #fragment (Python 3.14's rule; 3.12
// keeps them), percent-decoded once ("+" stays "+"), as valid UTF-8. It is
// not escaped.
func displayPath(r *http.Request) string {
	p, ok := urlpath.Target(r)
	if !ok {
		// A request built by hand: the path after any StripPrefix is the
		// best left.
		p = urlpath.Raw(r.URL)
	}
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if strings.HasPrefix(p, "//") {
		p = "/" + strings.TrimLeft(p, "/")
	}
	return toValidUTF8(urlpath.Unquote(p))
}
