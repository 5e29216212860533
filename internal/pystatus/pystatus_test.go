package pystatus

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		code    int
		ok      bool
		phrase  string
		explain string
	}{
		{404, true, "Not Found", "Nothing matches the given URI"},
		{501, true, "Not Implemented", "Server does not support this operation"},
		{418, true, "I'm a Teapot", "Server refuses to brew coffee because it is a teapot."},
		{102, true, "Processing", ""},
		{599, false, "", ""},
	}
	for _, tt := range tests {
		s, ok := Lookup(tt.code)
		assert.Equal(t, tt.ok, ok, tt.code)
		assert.Equal(t, tt.phrase, s.Phrase, tt.code)
		assert.Equal(t, tt.explain, s.Explain, tt.code)
	}
	assert.Len(t, statuses, 62)
}
