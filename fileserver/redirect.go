package fileserver

import (
	"net/http"
	"strings"

	"github.com/simplehttp/simplehttp/internal/urlpath"
)

// redirectToSlash answers a directory asked for without a trailing slash as
// Python does: 301, Location, Content-Length: 0, and nothing else (no
// Content-Type, no body, unlike http.Redirect).
func redirectToSlash(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Location", slashLocation(r))
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusMovedPermanently)
}

// slashLocation returns the request target's path as sent (still
// percent-encoded) plus "/", then the query and fragment as sent, the way
// Python rebuilds it with urlsplit/urlunsplit (an empty "?" or "#" is
// dropped).
//
// The path comes from r.RequestURI, so that it is still right when
// http.StripPrefix (or chi's Mount behind it) has trimmed r.URL; r.URL is
// used when RequestURI is not an origin- or absolute-form target or has been
// rewritten into something r.URL's path is not a suffix of.
//
// Leading slashes are collapsed to one (Python's open-redirect fix), and a
// backslash right after it is sent as %5C, so the Location never starts with
// "//" or "/\", which browsers would take for another host.
func slashLocation(r *http.Request) string {
	raw := urlpath.Raw(r.URL)
	target, ok := urlpath.Target(r)
	if ok {
		p, _, _ := strings.Cut(target, "#")
		p, _, _ = strings.Cut(p, "?")
		ok = strings.HasSuffix(p, raw)
	}
	if !ok {
		target = r.URL.RawPath
		if target == "" {
			target = r.URL.EscapedPath()
		}
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		if r.URL.Fragment != "" {
			target += "#" + r.URL.EscapedFragment()
		}
	}
	// urlsplit: the fragment first, then the query.
	rest, fragment, _ := strings.Cut(target, "#")
	p, query, _ := strings.Cut(rest, "?")

	p = "/" + strings.TrimLeft(p, "/")
	if strings.HasPrefix(p, `/\`) {
		p = "/%5C" + p[2:]
	}
	b := make([]byte, 0, len(p)+len(query)+len(fragment)+3)
	b = append(b, p...)
	if !strings.HasSuffix(p, "/") { // only "/" itself, from an odd target such as "A:"
		b = append(b, '/')
	}
	if query != "" {
		b = append(b, '?')
		b = append(b, query...)
	}
	if fragment != "" {
		b = append(b, '#')
		b = append(b, fragment...)
	}
	return string(b)
}
