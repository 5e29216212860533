// Package rootfs is the fs.FS of an os.Root that the file server can open
// files of once, without blocking: os.Root.FS opens with plain O_RDONLY,
// which hangs on a FIFO, so a server given it must stat every name before
// opening it, walking the path twice.
package rootfs

import (
	"io/fs"
	"os"
	"syscall"
)

// An Opener opens a name of its file system without following it out of
// the tree and without blocking, so that a FIFO or device can be opened,
// found not to be a regular file by fstat, and closed.
type Opener interface {
	OpenNonblock(name string) (*os.File, error)
}

// FS is root.FS() plus [Opener]. It implements fs.StatFS, fs.ReadDirFS,
// fs.ReadFileFS and fs.ReadLinkFS as root.FS() does.
type FS struct {
	root *os.Root
	fsys fs.FS
}

// New returns the FS of root. The caller keeps root and closes it.
func New(root *os.Root) *FS { return &FS{root: root, fsys: root.FS()} }

func (f *FS) Open(name string) (fs.File, error) { return f.fsys.Open(name) }

func (f *FS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(f.fsys, name) }

func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(f.fsys, name) }

func (f *FS) ReadFile(name string) ([]byte, error) { return fs.ReadFile(f.fsys, name) }

func (f *FS) ReadLink(name string) (string, error) { return fs.ReadLink(f.fsys, name) }

func (f *FS) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(f.fsys, name) }

// OpenNonblock opens name for reading with O_NONBLOCK, through the root.
func (f *FS) OpenNonblock(name string) (*os.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	return f.root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
