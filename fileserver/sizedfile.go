package fileserver

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// sizedFile is an open file whose size fstat has told: its Seek only moves
// a position kept here, and the descriptor's own offset is set when bytes
// are read, so that http.ServeContent's seek to the end (to learn the size)
// and back costs no system call. The *os.File stays reachable as a
// syscall.Conn, so net/http still sends it with sendfile.
type sizedFile struct {
	*os.File
	size int64
	info fs.FileInfo // fstat's answer, given again by Stat
	pos  int64       // the position the reader believes in
	fd   int64       // the descriptor's offset; -1: unknown
	// handed: the descriptor was handed out (sendfile moves its offset
	// without telling us) and no Seek came since, so the reader's
	// position is the descriptor's, wherever sendfile left it.
	handed bool
}

// Stat returns what fstat said when the file was opened, without asking
// again (connguard asks, to know the file is regular, before it sends).
func (f *sizedFile) Stat() (fs.FileInfo, error) {
	if f.info == nil {
		return f.File.Stat()
	}
	return f.info, nil
}

var errNegativeOffset = errors.New("fileserver: seek to a negative position")

func (f *sizedFile) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = f.pos + offset
	case io.SeekEnd:
		abs = f.size + offset
	default:
		return 0, errors.New("fileserver: invalid whence")
	}
	if abs < 0 {
		return 0, errNegativeOffset
	}
	if f.handed {
		f.handed, f.fd = false, -1
	}
	f.pos = abs
	return abs, nil
}

// sync puts the descriptor's offset and pos in agreement: after a
// hand-out, pos follows the descriptor; otherwise the offset is moved to
// pos, when it is not there.
func (f *sizedFile) sync() error {
	if f.handed {
		cur, err := f.File.Seek(0, io.SeekCurrent)
		if err != nil {
			return err
		}
		f.pos, f.fd, f.handed = cur, cur, false
		return nil
	}
	if f.fd == f.pos {
		return nil
	}
	if _, err := f.File.Seek(f.pos, io.SeekStart); err != nil {
		f.fd = -1
		return err
	}
	f.fd = f.pos
	return nil
}

func (f *sizedFile) Read(p []byte) (int, error) {
	if err := f.sync(); err != nil {
		return 0, err
	}
	n, err := f.File.Read(p)
	f.pos += int64(n)
	f.fd = f.pos
	return n, err
}

// SyscallConn hands out the descriptor (net's sendfile reads from its
// offset and moves it): the offset is put in place first, and afterwards
// the reader's position is the descriptor's until the next Seek.
func (f *sizedFile) SyscallConn() (syscall.RawConn, error) {
	if err := f.sync(); err != nil {
		return nil, err
	}
	f.handed, f.fd = true, -1
	return f.File.SyscallConn()
}

// WriteTo keeps os.File's sendfile and splice for io.Copy, from the
// reader's position.
func (f *sizedFile) WriteTo(w io.Writer) (int64, error) {
	if err := f.sync(); err != nil {
		return 0, err
	}
	n, err := f.File.WriteTo(w)
	f.pos += n
	f.fd = f.pos // WriteTo reads from the offset and moves it
	return n, err
}
