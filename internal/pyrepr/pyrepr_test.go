package pyrepr

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The expected values are what Python 3.12 prints for repr() of the same str.
func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"PUT", `'PUT'`},
		{"it's", `"it's"`},
		{`a'b"c`, `'a\'b"c'`},
		{`say "hi"`, `'say "hi"'`},
		{"P\x01T", `'P\x01T'`},
		{"a\\b", `'a\\b'`},
		{"t\tn\nr\r", `'t\tn\nr\r'`},
		{"\x7f\u0085\u00a0", `'\x7f\x85\xa0'`},
		{"é€", `'é€'`},
		{"\u200b", `'\u200b'`},
		{"\U000e0001", `'\U000e0001'`},
		{"\xff", `'\xff'`},
		{"", `''`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, String(tt.in))
		})
	}
}
