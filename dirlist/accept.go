package dirlist

import "strings"

// prefersJSON reports whether Accept header values ask for JSON rather than
// HTML: "application/json" is listed with a quality above 0 and above that
// of any "text/html" listed. Wildcards ("*/*", "application/*") do not count
// as asking for JSON, so browsers and curl's default "*/*" get HTML.
func prefersJSON(values []string) bool {
	jsonQ, htmlQ := -1.0, -1.0
	for _, v := range values {
		for r := range strings.SplitSeq(v, ",") {
			mt, params, _ := strings.Cut(r, ";")
			mt = strings.ToLower(strings.TrimSpace(mt))
			if mt != "application/json" && mt != "text/html" {
				continue
			}
			q, ok := quality(params)
			if !ok {
				continue
			}
			if mt == "application/json" {
				jsonQ = max(jsonQ, q)
			} else {
				htmlQ = max(htmlQ, q)
			}
		}
	}
	return jsonQ > 0 && jsonQ > htmlQ
}

// quality returns the q parameter among a media range's parameters
// ("q=0.5; level=1"): 1 when absent, ok false when malformed (RFC 9110
// allows 0 to 1 with at most three decimals).
func quality(params string) (q float64, ok bool) {
	for p := range strings.SplitSeq(params, ";") {
		k, v, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		return parseQ(strings.TrimSpace(v))
	}
	return 1, true
}

// parseQ parses a qvalue: "0" or "1", optionally followed by "." and up to
// three digits (only zeros after "1").
func parseQ(v string) (q float64, ok bool) {
	if v == "" || v[0] != '0' && v[0] != '1' {
		return 0, false
	}
	if len(v) > 1 && (v[1] != '.' || len(v) > 5) {
		return 0, false
	}
	frac, digits := 0, 0
	for i := 2; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' || v[0] == '1' && v[i] != '0' {
			return 0, false
		}
		frac = frac*10 + int(v[i]-'0')
		digits++
	}
	for ; digits < 3; digits++ {
		frac *= 10
	}
	return float64(v[0]-'0') + float64(frac)/1000, true
}
