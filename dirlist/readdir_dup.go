//go:build unix && !linux

package dirlist

import (
	"io/fs"
	"os"
	"syscall"
)

// readTypes reads the entries of the open directory f with the types the
// system's directory read gives, looking at none of them. A directory
// opened in an os.Root looks at (lstat) every entry as it reads it, to fill
// the entry's Info, which the Python page does not need: a copy of the
// descriptor opened with os.NewFile reads the same directory without it.
// It reports false when f is not an *os.File.
func readTypes(f fs.File) ([]dirent, bool, error) {
	osf, ok := f.(*os.File)
	if !ok {
		return nil, false, nil
	}
	rc, err := osf.SyscallConn()
	if err != nil {
		return nil, false, nil
	}
	dup := -1
	var dupErr error
	if err := rc.Control(func(fd uintptr) {
		// Not inherited by a process started meanwhile (a CGI script).
		syscall.ForkLock.RLock()
		defer syscall.ForkLock.RUnlock()
		if dup, dupErr = syscall.Dup(int(fd)); dupErr == nil {
			syscall.CloseOnExec(dup)
		}
	}); err != nil {
		return nil, false, nil
	}
	if dupErr != nil {
		return nil, true, &fs.PathError{Op: "dup", Path: osf.Name(), Err: dupErr}
	}
	d := os.NewFile(uintptr(dup), osf.Name())
	defer d.Close()
	des, err := d.ReadDir(-1)
	if err != nil {
		return nil, true, err
	}
	ents := make([]dirent, len(des))
	for i, de := range des {
		// Not de itself: its Info would look the name up by path.
		ents[i] = dirent{name: de.Name(), typ: de.Type()}
	}
	return ents, true, nil
}
