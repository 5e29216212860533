package cgi

import "strings"

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
	p := unquote(raw)
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

// unquote percent-decodes s the way Python's urllib.parse.unquote does: a
// "%" not followed by two hex digits stays as it is, and "+" is not a
// space.
func unquote(s string) string {
	i := strings.IndexByte(s, '%')
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for ; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
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
