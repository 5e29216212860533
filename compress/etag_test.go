package compress

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEntityTags(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{`"a"`, []string{`"a"`}},
		{`W/"a", "b"`, []string{`W/"a"`, `"b"`}},
		{`"a,b" ,W/"c"`, []string{`"a,b"`, `W/"c"`}},
		{`*`, nil},
		{`junk, "a"`, []string{`"a"`}},
		{`"unterminated`, nil},
		{`W/`, nil},
		{``, nil},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, entityTags(tc.in), tc.in)
	}
}

func TestMark(t *testing.T) {
	assert.Equal(t, `W/"a-gz"`, mark(`"a"`, "-gz"))
	assert.Equal(t, `W/"a-br"`, mark(`W/"a"`, "-br"))
	assert.Equal(t, `bogus`, mark(`bogus`, "-br"))
	assert.Equal(t, `"`, mark(`"`, "-br"))
}

func FuzzEntityTags(f *testing.F) {
	for _, s := range []string{`"a"`, `W/"a", "b"`, `"a,b" ,W/"c"`, `*`, `W/`, `"`, `,,W/"x-gz"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		for _, tag := range entityTags(v) {
			opaque := strings.TrimPrefix(tag, "W/")
			if len(opaque) < 2 || opaque[0] != '"' || opaque[len(opaque)-1] != '"' || strings.Count(opaque, `"`) != 2 {
				t.Fatalf("entityTags(%q) gave %q", v, tag)
			}
			if !strings.Contains(v, tag) {
				t.Fatalf("entityTags(%q) gave %q, not in the input", v, tag)
			}
		}
	})
}
