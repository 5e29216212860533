package dirlist

import (
	"io/fs"
	"syscall"
	"time"
)

// A dirStamp identifies a directory and the last change to it: a name
// added, removed or renamed changes its mtime, a change of its mode or
// owner its ctime.
type dirStamp struct {
	dev, ino     uint64
	mtime, ctime syscall.Timespec
}

// stampOf returns the stamp of the directory whose stat is fi, if the file
// system tells it.
func stampOf(fi fs.FileInfo) (dirStamp, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st == nil {
		return dirStamp{}, false
	}
	return dirStamp{dev: uint64(st.Dev), ino: uint64(st.Ino), mtime: st.Mtim, ctime: st.Ctim}, true
}

// modified is the time a name was last added, removed or renamed.
func (s dirStamp) modified() time.Time { return time.Unix(s.mtime.Unix()) }
