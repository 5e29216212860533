// Package coding chooses a content coding from a request's
// Accept-Encoding header (RFC 9110 section 12.5.3), for the compress
// middleware and the fileserver's precompressed files. It is internal: its
// API may change with them.
package coding

import (
	"strconv"
	"strings"
)

// Negotiate returns the content coding of offered that the Accept-Encoding
// values accept with the highest quality, or "" for identity (no coding).
// offered lists lower-case coding names in the server's order of
// preference, which breaks ties between them. A coding not named gets
// the quality of "*" when there is one, 0 otherwise. Identity is chosen
// over the best coding only when it is named (or "*" is) with a higher
// quality. "x-gzip" is "gzip". Without an
// Accept-Encoding header the answer is identity; when nothing offered is
// acceptable it is identity too, even if identity;q=0 refused it: sending
// the representation as it is beats sending nothing.
func Negotiate(accept []string, offered []string) string {
	if len(accept) == 0 {
		return ""
	}
	best, bestQ := "", -1.0
	star, hasStar := 0.0, false
	identity, hasIdentity := 0.0, false
	qs := make([]float64, len(offered))
	named := make([]bool, len(offered))
	for _, v := range accept {
		for entry := range strings.SplitSeq(v, ",") {
			name, q, ok := parse(entry)
			if !ok {
				continue
			}
			switch name {
			case "*":
				star, hasStar = q, true
			case "identity":
				identity, hasIdentity = q, true
			default:
				for i, o := range offered {
					if o == name && (!named[i] || q > qs[i]) {
						qs[i], named[i] = q, true
					}
				}
			}
		}
	}
	if !hasIdentity && hasStar {
		identity = star
	}
	for i, o := range offered {
		q := qs[i]
		if !named[i] {
			q = 0
			if hasStar {
				q = star
			}
		}
		if q > 0 && q > bestQ {
			best, bestQ = o, q
		}
	}
	if best != "" && bestQ >= identity {
		return best
	}
	return ""
}

// parse reads one element of Accept-Encoding: a coding name, lower-cased
// ("x-gzip" read as "gzip"), and its quality (1 without a q parameter).
// ok is false for an empty element or an invalid quality.
func parse(entry string) (name string, q float64, ok bool) {
	name, params, _ := strings.Cut(entry, ";")
	name = strings.ToLower(strings.Trim(name, " \t"))
	if name == "" {
		return "", 0, false
	}
	if name == "x-gzip" {
		name = "gzip"
	}
	q = 1
	for p := range strings.SplitSeq(params, ";") {
		key, value, found := strings.Cut(strings.Trim(p, " \t"), "=")
		if !found || !strings.EqualFold(strings.TrimRight(key, " \t"), "q") {
			continue
		}
		var valid bool
		q, valid = quality(strings.Trim(value, " \t"))
		if !valid {
			return "", 0, false
		}
	}
	return name, q, true
}

// quality reads a qvalue: "0" to "1" with at most three decimals.
func quality(s string) (float64, bool) {
	if s == "" || len(s) > 5 || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	if len(s) > 1 {
		if s[1] != '.' {
			return 0, false
		}
		for _, c := range s[2:] {
			if c < '0' || c > '9' {
				return 0, false
			}
		}
	}
	q, err := strconv.ParseFloat(s, 64)
	if err != nil || q > 1 {
		return 0, false
	}
	return q, true
}
