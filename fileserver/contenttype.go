package fileserver

import (
	_ "embed"
	"strings"
	"sync"
)

// pythonTypes is Python 3.12's mimetypes.types_map (strict) as read on the
// project's reference machines: the built-in table plus Debian's
// /etc/mime.types. Embedding it keeps the answer independent of the host.
//
//go:embed python-mimetypes.tsv
var pythonTypes string

// typesByExt parses pythonTypes once: lower-case extension (".txt") to type.
var typesByExt = sync.OnceValue(func() map[string]string {
	m := make(map[string]string, 1600)
	for line := range strings.SplitSeq(pythonTypes, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		ext, rest, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		typ, _, _ := strings.Cut(rest, "\t")
		m[ext] = typ
	}
	return m
})

// overrides is http.server's SimpleHTTPRequestHandler.extensions_map: it is
// looked up before mimetypes, with the exact extension and then the
// lower-cased one.
var overrides = map[string]string{
	".gz":  "application/gzip",
	".Z":   "application/octet-stream",
	".bz2": "application/x-bzip2",
	".xz":  "application/x-xz",
}

// suffixes is mimetypes.suffix_map, looked up with the lower-cased
// extension, repeatedly.
var suffixes = map[string]string{
	".svgz": ".svg.gz",
	".taz":  ".tar.gz",
	".tbz2": ".tar.bz2",
	".tgz":  ".tar.gz",
	".txz":  ".tar.xz",
	".tz":   ".tar.gz",
}

// encodings holds the keys of mimetypes.encodings_map (case-sensitive).
var encodings = map[string]bool{
	".Z":   true,
	".br":  true,
	".bz2": true,
	".gz":  true,
	".xz":  true,
}

// ContentType returns the media type Python 3.12's http.server sends for a
// file called name (a slash-separated path; only its last segment counts),
// without a charset parameter:
//
//  1. the handler's own overrides for the extension, exact and then
//     lower-cased: .gz application/gzip, .Z application/octet-stream,
//     .bz2 application/x-bzip2, .xz application/x-xz;
//  2. mimetypes.suffix_map, case-insensitive and repeated (.tgz is .tar.gz);
//  3. an encoding suffix (.gz .Z .bz2 .xz .br, case-sensitive) is dropped;
//  4. the lower-cased extension in Python's table;
//  5. otherwise application/octet-stream.
//
// The extension is what follows the last dot of the last segment; leading
// dots do not count, so ".hidden" has none. The table is embedded, so the
// answer does not depend on the host's mime files.
func ContentType(name string) string {
	t, _ := contentType(name)
	return t
}

// contentType is ContentType, and whether the type was found rather than
// the default.
func contentType(name string) (string, bool) {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	base, ext := splitExt(name)
	if t, ok := overrides[ext]; ok {
		return t, true
	}
	if t, ok := lookupLower(overrides, ext); ok {
		return t, true
	}
	for {
		s, ok := lookupLower(suffixes, ext)
		if !ok {
			break
		}
		base, ext = splitExt(base + s)
	}
	if encodings[ext] {
		_, ext = splitExt(base)
	}
	if t, ok := lookupLower(typesByExt(), ext); ok {
		return t, true
	}
	return "application/octet-stream", false
}

// splitExt splits a file name (no slash) the way Python's posixpath.splitext
// does: ext is empty or starts at the last dot, and leading dots are part of
// the base.
func splitExt(name string) (base, ext string) {
	dot := strings.LastIndexByte(name, '.')
	if dot <= 0 || strings.TrimLeft(name[:dot], ".") == "" {
		return name, ""
	}
	return name[:dot], name[dot:]
}

// lookupLower looks up the lower-cased ext in m, without allocating for a
// short ASCII extension.
func lookupLower(m map[string]string, ext string) (string, bool) {
	var buf [16]byte
	if len(ext) > len(buf) {
		v, ok := m[lower(ext)]
		return v, ok
	}
	for i := 0; i < len(ext); i++ {
		c := ext[i]
		switch {
		case c >= 0x80:
			v, ok := m[lower(ext)]
			return v, ok
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	v, ok := m[string(buf[:len(ext)])]
	return v, ok
}

// lower lower-cases s as Python's str.lower does, as far as it matters for
// matching the ASCII keys of the tables: Go's simple case mapping turns
// U+0130 (İ) into a plain "i", where Python gives "i" plus a combining dot.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(strings.ReplaceAll(s, "\u0130", "i\u0307"))
		}
	}
	return s
}

// withCharset appends "; charset=cs" to a text/* type when cs is set.
func withCharset(typ, cs string) string {
	if cs == "" || !strings.HasPrefix(typ, "text/") {
		return typ
	}
	return typ + "; charset=" + cs
}
