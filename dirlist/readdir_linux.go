package dirlist

import (
	"encoding/binary"
	"io/fs"
	"os"
	"syscall"
	"unsafe"
)

// Offsets in a linux_dirent64 record, as getdents64 writes them.
const (
	direntReclen = unsafe.Offsetof(syscall.Dirent{}.Reclen)
	direntType   = unsafe.Offsetof(syscall.Dirent{}.Type)
	direntName   = unsafe.Offsetof(syscall.Dirent{}.Name)
)

// readTypes reads the names and types of the open directory f with
// getdents64, looking at none of the entries: a directory opened in an
// os.Root looks at (lstat) every entry as it reads it, which the Python
// page does not need. The names of one read share one string. It reports
// false, having read nothing, when f is not an *os.File, and when the file
// system does not give entry types (DT_UNKNOWN).
func readTypes(f fs.File) ([]dirent, bool, error) {
	osf, ok := f.(*os.File)
	if !ok {
		return nil, false, nil
	}
	rc, err := osf.SyscallConn()
	if err != nil {
		return nil, false, nil
	}
	var (
		ents    []dirent
		readErr error
		unknown bool
	)
	buf := make([]byte, 64<<10)
	var names []byte // one read's names, then one string
	var types []fs.FileMode
	var ends []int
	ctlErr := rc.Control(func(fd uintptr) {
		for !unknown {
			n, err := syscall.Getdents(int(fd), buf)
			if err == syscall.EINTR {
				continue
			}
			if err != nil {
				readErr = &fs.PathError{Op: "getdents", Path: osf.Name(), Err: err}
				return
			}
			if n <= 0 {
				return
			}
			names, types, ends = names[:0], types[:0], ends[:0]
			for b := buf[:n]; len(b) > int(direntName); {
				reclen := int(binary.NativeEndian.Uint16(b[direntReclen:]))
				if reclen <= int(direntName) || reclen > len(b) {
					readErr = &fs.PathError{Op: "getdents", Path: osf.Name(), Err: syscall.EIO}
					return
				}
				name := b[direntName:reclen]
				for i, c := range name {
					if c == 0 {
						name = name[:i]
						break
					}
				}
				var typ fs.FileMode
				switch b[direntType] {
				case syscall.DT_DIR:
					typ = fs.ModeDir
				case syscall.DT_LNK:
					typ = fs.ModeSymlink
				case syscall.DT_UNKNOWN:
					unknown = true
				}
				b = b[reclen:]
				if string(name) == "." || string(name) == ".." {
					continue
				}
				names = append(names, name...)
				types = append(types, typ)
				ends = append(ends, len(names))
			}
			all, start := string(names), 0
			for i, end := range ends {
				ents = append(ents, dirent{name: all[start:end], typ: types[i]})
				start = end
			}
		}
		// Start again from the top for the caller's own reading.
		_, readErr = syscall.Seek(int(fd), 0, 0)
	})
	switch {
	case ctlErr != nil:
		return nil, false, nil
	case unknown && readErr == nil:
		return nil, false, nil
	case readErr != nil:
		return nil, true, readErr
	}
	return ents, true, nil
}
