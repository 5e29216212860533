package dirlist

import (
	"unicode"
	"unicode/utf8"
)

// sortKey returns the key Python's listing sorts a name by, name.lower(),
// encoded so that comparing keys byte by byte orders them the way Python
// compares the lower-cased strings code point by code point.
//
// Python lower-cases with the full Unicode mapping: U+0130 becomes "i̇" (two
// code points) and a capital sigma at the end of a word becomes "ς"; Go's
// unicode.ToLower gives one rune per rune and no context, so both are
// handled here. A byte that is not valid UTF-8 reaches Python as the
// surrogate U+DC80+byte (surrogateescape); it is encoded here as that
// surrogate's three-byte form (ED B2 xx or ED B3 xx), which sorts among
// valid UTF-8 exactly where the surrogate sorts among code points.
func sortKey(name string) string {
	ascii := true
	upper := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if ascii {
		if !upper {
			return name
		}
		b := []byte(name)
		for i, c := range b {
			if 'A' <= c && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
		}
		return string(b)
	}
	b := make([]byte, 0, len(name)+4)
	for i := 0; i < len(name); {
		r, size := utf8.DecodeRuneInString(name[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			// Surrogate U+DC00+byte, written as a generalised UTF-8 sequence.
			cp := 0xDC00 + rune(name[i])
			b = append(b, byte(0xE0|cp>>12), byte(0x80|(cp>>6)&0x3F), byte(0x80|cp&0x3F))
		case r == 'İ': // U+0130: SpecialCasing lower-cases it to "i" + U+0307.
			b = append(b, "i\u0307"...)
		case r == 'Σ':
			if finalSigma(name, i, size) {
				b = append(b, "ς"...)
			} else {
				b = append(b, "σ"...)
			}
		default:
			b = utf8.AppendRune(b, unicode.ToLower(r))
		}
		i += size
	}
	return string(b)
}

// finalSigma reports whether the capital sigma at s[i:i+size] is in the
// Final_Sigma context of Unicode's SpecialCasing (as Python's str.lower
// checks it): preceded by a cased letter, skipping case-ignorable
// characters, and not followed by one.
func finalSigma(s string, i, size int) bool {
	j := i
	before := false
	for j > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:j])
		j -= n
		if n == 1 && r == utf8.RuneError {
			break // a surrogate escape: neither cased nor case-ignorable
		}
		if caseIgnorable(r) {
			continue
		}
		before = cased(r)
		break
	}
	if !before {
		return false
	}
	for j = i + size; j < len(s); {
		r, n := utf8.DecodeRuneInString(s[j:])
		j += n
		if n == 1 && r == utf8.RuneError {
			return true
		}
		if caseIgnorable(r) {
			continue
		}
		return !cased(r)
	}
	return true
}

// cased reports Unicode's Cased property: Lowercase, Uppercase or Lt.
func cased(r rune) bool {
	return unicode.In(r, unicode.Lu, unicode.Ll, unicode.Lt, unicode.Other_Lowercase, unicode.Other_Uppercase)
}

// caseIgnorable reports Unicode's Case_Ignorable property: Mn, Me, Cf, Lm,
// Sk, or Word_Break MidLetter, MidNumLet or Single_Quote (which Go's unicode
// package does not carry, hence the list).
func caseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', 0x00B7, 0x0387, 0x055F, 0x05F4, 0x2018, 0x2019, 0x2024,
		0x2027, 0xFE13, 0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}
