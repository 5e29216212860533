package compress

import (
	"net/http"
	"strings"
)

// mark returns the weak ETag of a compressed variant: tag's opaque part
// with suffix added. A tag that is not a quoted string is returned as is.
func mark(tag, suffix string) string {
	opaque := strings.TrimPrefix(tag, "W/")
	if len(opaque) < 2 || opaque[0] != '"' || opaque[len(opaque)-1] != '"' {
		return tag
	}
	return `W/"` + opaque[1:len(opaque)-1] + suffix + `"`
}

// unmarkConditions returns r with each entity tag of If-None-Match that
// carries the chosen coding's mark also listed without it, so that the
// handler, which knows only its own tags, recognises the variant. r is
// returned unchanged when there is nothing to add; otherwise a shallow
// copy with its own header map.
func (cw *writer) unmarkConditions(r *http.Request) *http.Request {
	values := r.Header.Values("If-None-Match")
	if len(values) == 0 {
		return r
	}
	var added []string
	for _, v := range values {
		for _, tag := range entityTags(v) {
			opaque := strings.TrimPrefix(tag, "W/")
			inner := opaque[1 : len(opaque)-1]
			base, ok := strings.CutSuffix(inner, cw.coding.suffix)
			if !ok {
				continue
			}
			if cw.variants == nil {
				cw.variants = map[string]bool{}
			}
			cw.variants[base] = true
			added = append(added, `W/"`+base+`"`)
		}
	}
	if len(added) == 0 {
		return r
	}
	r2 := new(http.Request)
	*r2 = *r
	r2.Header = r.Header.Clone()
	r2.Header["If-None-Match"] = append(r2.Header["If-None-Match"], strings.Join(added, ", "))
	return r2
}

// markNotModified gives a 304 the marked ETag of the variant the client
// holds, when the client named it.
func (cw *writer) markNotModified(h http.Header) {
	if cw.coding == nil || len(cw.variants) == 0 {
		return
	}
	tag := h.Get("ETag")
	opaque := strings.TrimPrefix(tag, "W/")
	if len(opaque) < 2 || opaque[0] != '"' || opaque[len(opaque)-1] != '"' {
		return
	}
	if cw.variants[opaque[1:len(opaque)-1]] {
		h.Set("ETag", mark(tag, cw.coding.suffix))
		addVary(h)
	}
}

// entityTags returns the entity tags of an If-None-Match value, each
// with its W/ prefix and quotes; "*" and malformed parts are skipped.
// Commas may appear inside a tag's quotes.
func entityTags(v string) []string {
	var tags []string
	for {
		v = strings.TrimLeft(v, " \t,")
		if v == "" {
			return tags
		}
		start := v
		weak := strings.HasPrefix(v, "W/")
		if weak {
			v = v[2:]
		}
		if v == "" || v[0] != '"' {
			// Skip to the next comma.
			i := strings.IndexByte(v, ',')
			if i < 0 {
				return tags
			}
			v = v[i:]
			continue
		}
		end := strings.IndexByte(v[1:], '"')
		if end < 0 {
			return tags
		}
		n := len(start) - len(v) + end + 2
		tags = append(tags, start[:n])
		v = start[n:]
	}
}
