//go:build !unix

package dirlist

import "io/fs"

// readTypes reports false: the directory is read with its own ReadDir.
func readTypes(fs.File) ([]dirent, bool, error) { return nil, false, nil }
