package dirlist

import "unicode/utf8"

// pythonPage renders Python 3.12's listing page (SimpleHTTPRequestHandler's
// list_directory) for the escaped title path, byte for byte.
func pythonPage(title string, entries []item) []byte {
	size := 200 + 2*len(title)
	for i := range entries {
		size += 30 + quotedLen(entries[i].raw) + escapedLen(entries[i].raw)
	}
	b := make([]byte, 0, size)
	b = append(b, "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Directory listing for "...)
	b = append(b, title...)
	b = append(b, "</title>\n</head>\n<body>\n<h1>Directory listing for "...)
	b = append(b, title...)
	b = append(b, "</h1>\n<hr>\n<ul>\n"...)
	for i := range entries {
		e := &entries[i]
		b = append(b, `<li><a href="`...)
		b = appendQuoted(b, e.raw)
		if e.dir {
			b = append(b, '/')
		}
		b = append(b, `">`...)
		b = appendEscaped(b, e.raw)
		switch {
		case e.link:
			b = append(b, '@')
		case e.dir:
			b = append(b, '/')
		}
		b = append(b, "</a></li>\n"...)
	}
	b = append(b, "</ul>\n<hr>\n</body>\n</html>\n"...)
	return b
}

// quotedLen is the length of s once appendQuoted has encoded it.
func quotedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if shouldQuote(s[i]) {
			n += 2
		}
	}
	return n
}

// escapedLen bounds the length of s once appendEscaped has escaped it: exact
// for valid UTF-8, and allowing three bytes (U+FFFD) per byte otherwise.
func escapedLen(s string) int {
	if !utf8.ValidString(s) {
		return 5 * len(s)
	}
	n := len(s)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '&':
			n += 4
		case '<', '>':
			n += 3
		}
	}
	return n
}
