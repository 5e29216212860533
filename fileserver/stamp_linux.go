package fileserver

import (
	"io/fs"
	"syscall"
	"time"
)

// A fileStamp identifies a file and its last change: writing to it,
// truncating it, changing its mode or owner, or linking or renaming it
// sets its ctime, and a file put in its place has another inode (and a
// ctime of its own).
type fileStamp struct {
	dev, ino     uint64
	size         int64
	mode         uint32
	mtime, ctime syscall.Timespec
}

// stampOf returns the stamp of the file whose stat is fi, if the file
// system tells it.
func stampOf(fi fs.FileInfo) (fileStamp, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st == nil {
		return fileStamp{}, false
	}
	return fileStamp{
		dev: uint64(st.Dev), ino: uint64(st.Ino), size: int64(st.Size), mode: uint32(st.Mode),
		mtime: st.Mtim, ctime: st.Ctim,
	}, true
}

// changed is the time of the file's last change (its ctime).
func (s fileStamp) changed() time.Time { return time.Unix(s.ctime.Unix()) }
