// Package urlpath maps request paths to slash-separated file names the way
// Python's http.server does, without ever leaving the served root.
//
// Every package of simplehttp that touches a file system resolves a request
// through [FromRequest], so the file handler, the index lookup, the listing
// and the CGI middleware all agree on which name a request means.
package urlpath

import (
	"net/http"
	"net/url"
	"strings"
)

// Raw returns the request path as the client sent it (still percent-encoded),
// without a "#fragment". It honours http.StripPrefix, which trims both
// URL.Path and URL.RawPath.
//
// net/http does not split a fragment off the request target (it is not
// expected in a request), so "/a.txt#x" arrives with "#x" in the path; Python
// drops it, and so do we.
func Raw(u *url.URL) string {
	raw := u.RawPath
	if raw == "" {
		// With RawPath empty the escaped form of Path is what was sent, and a
		// '#' in Path can only have come from "%23": it is part of the name.
		return u.EscapedPath()
	}
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		raw = raw[:i]
	}
	return raw
}

// FromRequest returns the fs.FS name that the request's path maps to ("."
// for the root) and whether the path, as sent, ended in a slash. ok is false
// when the path cannot name a file (a bad escape or a NUL byte); callers
// answer that as if the file did not exist.
//
// The mapping follows Python's translate_path: the path is percent-decoded
// once ("%2f" becomes a separator), empty and "." segments are dropped, ".."
// removes the previous segment and is dropped at the root. The trailing
// slash is looked for in the path as sent (Python 3.12's rule), so
// "/a.txt%2f" names the file a.txt without a trailing slash.
//
// An empty path is the root. It is what http.StripPrefix leaves of the
// prefix itself, so whether it ends in a slash is decided by the request
// target (r.RequestURI, see [Target]): StripPrefix("/static/") makes
// "/static/" the root with its slash, and StripPrefix("/static") makes
// "/static" the root without one. A request with no target (built by hand)
// has the slash, as a client sends "/" for an empty path.
func FromRequest(r *http.Request) (name string, trailingSlash bool, ok bool) {
	if r.URL.RawPath == "" {
		if r.URL.Path == "" {
			return ".", emptyPathHasSlash(r), true
		}
		// Path is already decoded and holds no fragment (see Raw).
		return Clean(r.URL.Path), strings.HasSuffix(r.URL.Path, "/"), !strings.ContainsRune(r.URL.Path, 0)
	}
	raw := Raw(r.URL)
	if raw == "" {
		return ".", emptyPathHasSlash(r), true
	}
	decoded, err := url.PathUnescape(raw)
	if err != nil || strings.ContainsRune(decoded, 0) {
		return "", false, false
	}
	return Clean(decoded), strings.HasSuffix(raw, "/"), true
}

// emptyPathHasSlash reports whether a request whose URL path is empty asked
// for the root with a trailing slash: whether the path of the request
// target ends in "/", or true when there is no target.
func emptyPathHasSlash(r *http.Request) bool {
	target, ok := Target(r)
	if !ok {
		return true
	}
	if i := strings.IndexAny(target, "?#"); i >= 0 {
		target = target[:i]
	}
	return strings.HasSuffix(target, "/")
}

// Target returns the request target as the client sent it, in origin form
// ("/path?query#fragment", still percent-encoded): r.RequestURI when it
// starts with "/", or the part of an absolute-form target that follows the
// authority ("http://host/p?q" gives "/p?q", "http://host" gives "/").
// Unlike r.URL, it is not changed by http.StripPrefix. ok is false when
// there is no such target: an empty RequestURI (a request built by hand),
// "*", or an authority-form (CONNECT) target.
func Target(r *http.Request) (target string, ok bool) {
	uri := r.RequestURI
	if strings.HasPrefix(uri, "/") {
		return uri, true
	}
	scheme, rest, found := strings.Cut(uri, "://")
	if !found || !isScheme(scheme) {
		return "", false
	}
	i := strings.IndexAny(rest, "/?#")
	if i < 0 {
		return "/", true
	}
	if rest[i] != '/' {
		return "/" + rest[i:], true
	}
	return rest[i:], true
}

// isScheme reports whether s is a URI scheme: a letter, then letters,
// digits, "+", "-" or ".".
func isScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return s != ""
}

// Clean resolves a decoded, slash-separated path into an fs.FS name: "."
// for the root, otherwise segments joined by "/" with no empty, "." or ".."
// segment. A ".." above the root is dropped, as Python's posixpath.normpath
// does for an absolute path.
func Clean(p string) string {
	if p == "" || p == "/" {
		return "."
	}
	// Fast path: already clean ("/a/b.txt", "/dir/").
	if clean := strings.Trim(p, "/"); isClean(clean) {
		if clean == "" {
			return "."
		}
		return clean
	}
	parts := make([]string, 0, strings.Count(p, "/")+1)
	for seg := range strings.SplitSeq(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			if len(parts) > 0 {
				parts = parts[:len(parts)-1]
			}
		default:
			parts = append(parts, seg)
		}
	}
	if len(parts) == 0 {
		return "."
	}
	return strings.Join(parts, "/")
}

// isClean reports whether s (with no leading or trailing slash) has no
// empty, "." or ".." segment.
func isClean(s string) bool {
	for seg := range strings.SplitSeq(s, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return s == ""
		}
	}
	return true
}

// Unquote percent-decodes s once, byte by byte, the way Python's
// urllib.parse.unquote_to_bytes does: a "%" not followed by two hex digits
// stays as it is, and "+" stays "+". Unlike [url.PathUnescape] it never
// fails, and the result need not be UTF-8.
func Unquote(s string) string {
	i := strings.IndexByte(s, '%')
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for ; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
