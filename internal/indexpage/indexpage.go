// Package indexpage finds a directory's index page, the one rule the file
// server (which serves it) and the listing (which gives way to it) share.
package indexpage

import (
	"io/fs"
	"path"

	"github.com/simplehttp/simplehttp/internal/httperr"
)

// DefaultNames are the index pages Python's http.server looks for, in
// order.
var DefaultNames = []string{"index.html", "index.htm"}

// Find returns the name in fsys of the index page of the directory dir:
// the first of names (nil means DefaultNames) that is a regular file there,
// following links as fsys does, or "" when there is none. The error is
// non-nil only for a failure that may pass (no descriptor left), which is
// no answer about the directory.
func Find(fsys fs.FS, dir string, names []string) (string, error) {
	if names == nil {
		names = DefaultNames
	}
	for _, index := range names {
		name := path.Join(dir, index)
		info, err := fs.Stat(fsys, name)
		if err != nil && httperr.Transient(err) {
			return "", err
		}
		if err == nil && info.Mode().IsRegular() {
			return name, nil
		}
	}
	return "", nil
}
