//go:build !linux

package dirlist

import (
	"io/fs"
	"time"
)

// A dirStamp would identify a directory and its last change; listings are
// cached on Linux only.
type dirStamp struct{}

func stampOf(fs.FileInfo) (dirStamp, bool) { return dirStamp{}, false }

func (dirStamp) modified() time.Time { return time.Time{} }
