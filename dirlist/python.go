package dirlist

// pythonPage renders Python 3.12's listing page (SimpleHTTPRequestHandler's
// list_directory) for the escaped title path, byte for byte.
func pythonPage(title string, entries []Entry) []byte {
	size := 200 + 2*len(title)
	for i := range entries {
		size += 30 + 4*len(entries[i].raw)
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
		if e.IsDir {
			b = append(b, '/')
		}
		b = append(b, `">`...)
		b = appendEscaped(b, e.raw)
		switch {
		case e.IsSymlink:
			b = append(b, '@')
		case e.IsDir:
			b = append(b, '/')
		}
		b = append(b, "</a></li>\n"...)
	}
	b = append(b, "</ul>\n<hr>\n</body>\n</html>\n"...)
	return b
}
