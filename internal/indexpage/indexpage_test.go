package indexpage

import (
	"io/fs"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
)

type emfileFS struct{}

func (emfileFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EMFILE}
}

func TestFind(t *testing.T) {
	fsys := fstest.MapFS{
		"a/index.html":        {},
		"b/index.htm":         {},
		"c/index.html/x":      {}, // a directory called index.html
		"c/index.htm":         {},
		"d/index.html":        {},
		"d/index.htm":         {},
		"e/home.htm":          {},
		"f/other.txt":         {},
		"g/index.html/nested": {},
	}
	for _, tc := range []struct {
		dir   string
		names []string
		want  string
	}{
		{"a", nil, "a/index.html"},
		{"b", nil, "b/index.htm"},
		{"c", nil, "c/index.htm"},
		{"d", nil, "d/index.html"},
		{"e", nil, ""},
		{"e", []string{"home.htm"}, "e/home.htm"},
		{"a", []string{}, ""},
		{"f", nil, ""},
		{"g", nil, ""},
		{".", nil, ""},
	} {
		got, err := Find(fsys, tc.dir, tc.names)
		assert.NoError(t, err)
		assert.Equal(t, tc.want, got, "%s %v", tc.dir, tc.names)
	}
	_, err := Find(emfileFS{}, "a", nil)
	assert.ErrorIs(t, err, syscall.EMFILE)
}
