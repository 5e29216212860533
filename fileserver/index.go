package fileserver

import (
	"io/fs"
	"net/http"
	"net/url"
	"path"

	"github.com/simplehttp/simplehttp/internal/httperr"
	"github.com/simplehttp/simplehttp/internal/indexpage"
	"github.com/simplehttp/simplehttp/internal/urlpath"
)

// Index returns a middleware that serves a directory's index page: a GET or
// HEAD whose path ends in "/" and names a directory of fsys holding a
// regular file called "index.html", else "index.htm" (see
// [WithIndexNames]), is passed to next as a clone of the request whose path
// names that file (r.RequestURI is kept, so logs show what the client sent).
// Symbolic links are followed as fsys follows them. A directory called
// index.html does not count. Every other request goes to next untouched.
//
// next is expected to serve the file ([New] does). Index can sit anywhere
// in front of it: a listing middleware gives way to a directory with an
// index page whether it is above or below Index.
//
// Index panics if fsys or an option is nil or a name is invalid, and the
// middleware panics when wrapping a nil handler.
func Index(fsys fs.FS, opts ...IndexOption) func(http.Handler) http.Handler {
	if fsys == nil {
		panic("fileserver: Index: nil fs.FS")
	}
	names := newIndexConfig(opts).names
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("fileserver: Index: nil next handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				if dir, trailingSlash, ok := urlpath.FromRequest(r); ok && trailingSlash {
					index, err := indexpage.Find(fsys, dir, names)
					if err != nil {
						httperr.Unavailable(w, err)
						return
					}
					if index != "" {
						next.ServeHTTP(w, withIndex(r, path.Base(index)))
						return
					}
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// withIndex returns a shallow copy of r whose URL path (ending in "/") has
// the file name index appended, the same way under any prefix.
func withIndex(r *http.Request, index string) *http.Request {
	u := *r.URL
	if r.URL.RawPath == "" {
		u.Path = r.URL.Path + index
	} else {
		raw := urlpath.Raw(r.URL) // without a "#fragment"
		decoded, err := url.PathUnescape(raw)
		if err != nil {
			decoded = r.URL.Path
		}
		u.Path = decoded + index
		u.RawPath = raw + url.PathEscape(index)
	}
	r2 := new(http.Request)
	*r2 = *r
	r2.URL = &u
	return r2
}
