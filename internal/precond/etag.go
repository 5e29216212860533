package precond

import "strings"

// An entity tag is `"opaque"` (strong) or `W/"opaque"` (weak), where the
// opaque part is any run of %x21, %x23-7E and obs-text (RFC 9110 §8.8.3).

// scanETag reads one entity tag at the start of s (after optional
// whitespace) and returns it with the rest of s. It returns "" when s does
// not start with a well-formed tag.
func scanETag(s string) (tag, rest string) {
	s = strings.TrimLeft(s, " \t")
	start := 0
	if strings.HasPrefix(s, "W/") {
		start = 2
	}
	if len(s) < start+2 || s[start] != '"' {
		return "", ""
	}
	for i := start + 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return s[:i+1], s[i+1:]
		case c == 0x21 || 0x23 <= c && c <= 0x7e || c >= 0x80:
		default:
			return "", ""
		}
	}
	return "", ""
}

// validETag returns the response's entity tag if it is well formed, else "".
func validETag(h string) string {
	tag, rest := scanETag(h)
	if strings.Trim(rest, " \t") != "" {
		return ""
	}
	return tag
}

// weakMatch compares two entity tags ignoring weakness (RFC 9110 §8.8.3.2).
func weakMatch(a, b string) bool {
	return a != "" && strings.TrimPrefix(a, "W/") == strings.TrimPrefix(b, "W/")
}

// strongMatch compares two entity tags that must both be strong.
func strongMatch(a, b string) bool {
	return a != "" && a == b && !strings.HasPrefix(a, "W/")
}

// matchList reports whether the entity-tag list field (If-Match or
// If-None-Match, all its lines) matches current, the response's entity tag
// ("" when it has none), using match. "*" matches any current
// representation, and the middleware only evaluates responses that have one.
// Parsing stops at the first malformed member; what was read until then
// counts.
func matchList(field []string, current string, match func(a, b string) bool) bool {
	for _, line := range field {
		for s := line; ; {
			s = strings.TrimLeft(s, " \t")
			if s == "" {
				break
			}
			if s[0] == ',' {
				s = s[1:]
				continue
			}
			if s[0] == '*' {
				return true
			}
			tag, rest := scanETag(s)
			if tag == "" {
				break
			}
			if match(tag, current) {
				return true
			}
			s = rest
		}
	}
	return false
}
