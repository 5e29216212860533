// Package pyrepr quotes strings the way Python's repr() quotes a str, for
// the messages Python's http.server builds with %r, such as
// "Unsupported method ('PUT')".
package pyrepr

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// String returns s quoted as Python's repr(s) would: single quotes unless s
// holds a single quote and no double quote; backslash, the quote, \t, \n and
// \r escaped; other non-printable characters as \xNN, \uNNNN or \UNNNNNNNN.
// A byte that is not valid UTF-8 is written as \xNN (Python would show a
// surrogate escape; the bytes are the same).
func String(s string) string {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	b := make([]byte, 0, len(s)+2)
	b = append(b, quote)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = appendHex(b, 'x', uint32(s[i]), 2)
			i++
			continue
		}
		i += size
		switch {
		case r == '\\' || r == rune(quote):
			b = append(b, '\\', byte(r))
		case r == '\t':
			b = append(b, '\\', 't')
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r < 0x80 && r >= 0x20 && r != 0x7f:
			b = append(b, byte(r))
		case r >= 0x80 && unicode.IsPrint(r):
			b = utf8.AppendRune(b, r)
		case r <= 0xff:
			b = appendHex(b, 'x', uint32(r), 2)
		case r <= 0xffff:
			b = appendHex(b, 'u', uint32(r), 4)
		default:
			b = appendHex(b, 'U', uint32(r), 8)
		}
	}
	return string(append(b, quote))
}

func appendHex(b []byte, kind byte, v uint32, width int) []byte {
	b = append(b, '\\', kind)
	h := strconv.FormatUint(uint64(v), 16)
	for range width - len(h) {
		b = append(b, '0')
	}
	return append(b, h...)
}
