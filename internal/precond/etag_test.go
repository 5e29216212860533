package precond

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestScanETag(t *testing.T) {
	for _, tc := range []struct {
		in, tag, rest string
	}{
		{`"v1"`, `"v1"`, ""},
		{`  W/"v1", "v2"`, `W/"v1"`, `, "v2"`},
		{`""`, `""`, ""},
		{`W/""`, `W/""`, ""},
		{`"a b"`, "", ""}, // space is not etagc
		{`"a"b"`, `"a"`, `b"`},
		{"\"caf\xc3\xa9\"", "\"caf\xc3\xa9\"", ""}, // obs-text
		{"\"a\x7fb\"", "", ""},
		{`w/"v1"`, "", ""}, // W/ is case-sensitive
		{`"unterminated`, "", ""},
		{`"`, "", ""},
		{`W/`, "", ""},
		{`v1`, "", ""},
		{``, "", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			tag, rest := scanETag(tc.in)
			assert.Equal(t, tc.tag, tag)
			assert.Equal(t, tc.rest, rest)
		})
	}
}

func TestMatchList(t *testing.T) {
	for _, tc := range []struct {
		name         string
		field        []string
		current      string
		weak, strong bool
	}{
		{"same strong", []string{`"v1"`}, `"v1"`, true, true},
		{"weak current", []string{`"v1"`}, `W/"v1"`, true, false},
		{"weak member", []string{`W/"v1"`}, `"v1"`, true, false},
		{"both weak", []string{`W/"v1"`}, `W/"v1"`, true, false},
		{"different", []string{`"v2"`}, `"v1"`, false, false},
		{"no current", []string{`"v1"`}, "", false, false},
		{"empty tag is a tag", []string{`""`}, `""`, true, true},
		{"list", []string{`"a",W/"b" , "v1"`}, `"v1"`, true, true},
		{"empty members", []string{`,, "v1",`}, `"v1"`, true, true},
		{"lines", []string{`"a"`, `"v1"`}, `"v1"`, true, true},
		{"star", []string{`*`}, "", true, true},
		{"star after tags", []string{`"a", *`}, `"v1"`, true, true},
		{"stops at garbage", []string{`"a", v1, "v1"`}, `"v1"`, false, false},
		{"garbage on one line only", []string{`v1`, `"v1"`}, `"v1"`, true, true},
		{"blank", []string{" \t"}, `"v1"`, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.weak, matchList(tc.field, tc.current, weakMatch), "weak")
			assert.Equal(t, tc.strong, matchList(tc.field, tc.current, strongMatch), "strong")
		})
	}
}

// FuzzMatchList reads any If-None-Match or If-Match field against any
// ETag: it never panics, a strong match is always a weak one, and a field
// that starts with the response's own (valid) tag matches it weakly.
func FuzzMatchList(f *testing.F) {
	for _, s := range []struct{ field, etag string }{
		{`"v1"`, `"v1"`}, {`W/"v1", "v2"`, `"v2"`}, {`*`, ``}, {`"a", bad, "v1"`, `"v1"`},
		{`,,`, `W/"x"`}, {`""`, `""`}, {"\"\xff\"", "\"\xff\""}, {`W/`, `W/"`},
	} {
		f.Add(s.field, s.etag)
	}
	f.Fuzz(func(t *testing.T, field, etag string) {
		current := validETag(etag)
		weak := matchList([]string{field}, current, weakMatch)
		strong := matchList([]string{field}, current, strongMatch)
		if strong && !weak {
			t.Fatalf("%q against %q: strong match but no weak one", field, current)
		}
		if current != "" && !matchList([]string{current + "," + field}, current, weakMatch) {
			t.Fatalf("%q does not match its own list %q", current, current+","+field)
		}
		if tag, rest := scanETag(field); tag != "" && !strings.HasSuffix(field, tag+rest) {
			t.Fatalf("scanETag(%q) = %q, %q: not a split of the input", field, tag, rest)
		}
	})
}
