package cgi

import (
	"strings"

	"github.com/simplehttp/simplehttp/internal/urlpath"
)

// collapse returns the canonical form of a request path as sent (still
// percent-encoded, without the query), the form on which both the CGI
// test and the script lookup work, as Python's _url_collapse_path does:
// the path is decoded once ("%2f" becomes a separator), empty and "."
// segments are dropped and ".." removes the segment before it. The result
// starts with "/", has no empty, "." or ".." segment, and ends in "/" when
// the path ended in "/", "/." or "/..".
//
// ok is false when a ".." would climb above the root (Python raises
// IndexError there and drops the connection) or the decoded path holds a
// NUL byte.
func collapse(raw string) (canonical string, ok bool) {
	p := urlpath.Unquote(raw)
	if strings.IndexByte(p, 0) >= 0 {
		return "", false
	}
	segs := make([]string, 0, strings.Count(p, "/")+1)
	trailing := false
	for seg := range strings.SplitSeq(p, "/") {
		switch seg {
		case "", ".":
			trailing = true
		case "..":
			if len(segs) == 0 {
				return "", false
			}
			segs = segs[:len(segs)-1]
			trailing = true
		default:
			segs = append(segs, seg)
			trailing = false
		}
	}
	if len(segs) == 0 {
		return "/", true
	}
	n := len(segs)
	for _, s := range segs {
		n += len(s)
	}
	var b strings.Builder
	b.Grow(n + 1)
	for _, s := range segs {
		b.WriteByte('/')
		b.WriteString(s)
	}
	if trailing {
		b.WriteByte('/')
	}
	return b.String(), true
}
