package dirlist

import (
	"strings"
	"unicode/utf8"
)

const upperHex = "0123456789ABCDEF"

// shouldQuote reports whether quote percent-encodes the byte c: everything
// but ASCII letters, digits, "_.-~" and "/", as Python's
// urllib.parse.quote(s, safe="/").
func shouldQuote(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return false
	case c == '_', c == '.', c == '-', c == '~', c == '/':
		return false
	}
	return true
}

// appendQuoted appends s to b percent-encoded like Python's
// urllib.parse.quote: every byte outside the safe set becomes %XX with
// upper-case hex. Bytes that are not valid UTF-8 are encoded as they are, so
// url-unescaping the result gives back s exactly.
func appendQuoted(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if shouldQuote(c) {
			b = append(b, '%', upperHex[c>>4], upperHex[c&15])
		} else {
			b = append(b, c)
		}
	}
	return b
}

// quote returns s percent-encoded like [appendQuoted].
func quote(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if shouldQuote(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	return string(appendQuoted(make([]byte, 0, len(s)+2*n), s))
}

// appendEscaped appends s to b HTML-escaped the way Python's
// html.escape(s, quote=False) does (only "&", "<" and ">"), with every
// maximal ill-formed UTF-8 subsequence replaced by U+FFFD, as Python's UTF-8
// decoder with errors="replace" does.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case '&':
				b = append(b, "&amp;"...)
			case '<':
				b = append(b, "&lt;"...)
			case '>':
				b = append(b, "&gt;"...)
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, "\uFFFD"...)
			i += invalidLen(s[i:])
			continue
		}
		b = append(b, s[i:i+size]...)
		i += size
	}
	return b
}

// toValidUTF8 returns s with every maximal ill-formed subsequence replaced by
// U+FFFD (unlike strings.ToValidUTF8, which replaces whole runs, and like
// Python's bytes.decode("utf-8", "replace") and browsers).
func toValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString("\uFFFD")
			i += invalidLen(s[i:])
			continue
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// invalidLen returns the length of the maximal ill-formed subsequence at the
// start of s, which must not start with a valid UTF-8 sequence: a lead byte
// followed by as many continuation bytes as could still begin a valid
// sequence, or 1.
func invalidLen(s string) int {
	need, lo, hi := 0, byte(0x80), byte(0xBF)
	switch c := s[0]; {
	case 0xC2 <= c && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0
	case c == 0xED:
		need, hi = 2, 0x9F
	case 0xE1 <= c && c <= 0xEF:
		need = 2
	case c == 0xF0:
		need, lo = 3, 0x90
	case c == 0xF4:
		need, hi = 3, 0x8F
	case 0xF1 <= c && c <= 0xF3:
		need = 3
	default:
		return 1
	}
	n := 1
	for ; n <= need && n < len(s); n++ {
		c := s[n]
		if n == 1 && (c < lo || c > hi) || c < 0x80 || c > 0xBF {
			break
		}
	}
	return n
}
