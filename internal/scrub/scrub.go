// Package scrub escapes text for a log line the way Python's http.server
// does, and more strictly: no control character, escape sequence or
// invalid UTF-8 from a client, a handler or a CGI script reaches the
// terminal. The logging middleware scrubs every line with [Append], and the
// cgi middleware's default logger each script's stderr line.
package scrub

import "unicode/utf8"

const hexDigits = "0123456789abcdef"

// Append appends s to dst so that it is safe to print on a terminal,
// the way Python's log_message translates its message with
// _control_char_table, and safer:
//
//   - the C0 controls U+0000–U+001F, DEL and the C1 controls U+007F–U+009F
//     become \xNN (lower-case hex), as in Python;
//   - a backslash becomes \\, as in Python;
//   - a byte that is not part of valid UTF-8 becomes \xNN (Python decodes the
//     request line as Latin-1 instead, so a raw byte 0x80–0x9F is \xNN there
//     too, and a byte 0xA0–0xFF is printed as the Latin-1 character);
//   - any other valid UTF-8 passes through unchanged.
//
// With quote set, a double quote becomes \" as well, for the quoted fields of
// the Common and Combined Log Formats.
func Append[S string | []byte](dst []byte, s S, quote bool) []byte {
	for i := 0; i < len(s); {
		// Copy the run of printable ASCII that needs no escape at once.
		j := i
		for j < len(s) && s[j] >= 0x20 && s[j] < 0x7f && s[j] != '\\' && (s[j] != '"' || !quote) {
			j++
		}
		dst = append(dst, s[i:j]...)
		if i = j; i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c < 0x20 || c == 0x7f:
				dst = append(dst, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
			case c == '\\':
				dst = append(dst, '\\', '\\')
			case c == '"' && quote:
				dst = append(dst, '\\', '"')
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		var rb [utf8.UTFMax]byte
		r, size := utf8.DecodeRune(rb[:copy(rb[:], s[i:])])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
		case r <= 0x9f: // a C1 control, encoded as two bytes
			dst = append(dst, '\\', 'x', hexDigits[r>>4], hexDigits[r&0xf])
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst
}
