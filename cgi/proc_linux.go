package cgi

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"syscall"
	"unsafe"
)

const supported = true

// oPath is O_PATH, which the syscall package does not name: a descriptor
// that names a file without opening it for reading, enough to fstat and to
// execute it (the same value on every Linux port of Go).
const oPath = 0x200000

// execPath runs the file open as the child's descriptor 3 (the first of
// exec.Cmd's ExtraFiles).
const execPath = "/proc/self/fd/3"

const oDirectory = syscall.O_DIRECTORY

// fdPath names the file f has open, for a child process before it execs
// (it has our descriptors until then): "/proc/self/fd/N"; "" for a nil f.
func fdPath(f *os.File) string {
	if f == nil {
		return ""
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return ""
	}
	p := ""
	_ = rc.Control(func(fd uintptr) { p = "/proc/self/fd/" + strconv.FormatUint(uint64(fd), 10) })
	return p
}

// start starts cmd in a process group of its own, as cred when not nil,
// with no supplementary groups.
func start(cmd *exec.Cmd, cred *credential) error {
	attr := &syscall.SysProcAttr{Setpgid: true}
	if cred != nil {
		attr.Credential = &syscall.Credential{Uid: cred.uid, Gid: cred.gid, Groups: []uint32{}}
	}
	cmd.SysProcAttr = attr
	return cmd.Start()
}

// killGroup kills every process in the process group pgid. The caller makes
// sure the group's leader has not been reaped yet, so that the id cannot
// belong to another group.
func killGroup(pgid int) {
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}

// waitExited blocks until the process pid has exited, without reaping it:
// until it is reaped, its pid (the id of its process group) is not reused.
// It waits on a pidfd in Go's poller, which holds no thread; where pidfds
// are missing (Linux before 5.3) a thread waits in waitid(2).
func waitExited(pid int) error {
	const pPID, pPIDFD = 1, 3
	fd, _, errno := syscall.Syscall(sysPidfdOpen, uintptr(pid), syscall.O_NONBLOCK, 0)
	if errno != 0 {
		return waitid(pPID, pid, syscall.WEXITED|syscall.WNOWAIT)
	}
	f := os.NewFile(fd, "pidfd")
	defer f.Close()
	rc, err := f.SyscallConn()
	werr := errStillRunning
	if err == nil {
		// A pidfd polls readable once its process has exited.
		err = rc.Read(func(fd uintptr) bool {
			werr = waitid(pPIDFD, int(fd), syscall.WEXITED|syscall.WNOWAIT|syscall.WNOHANG)
			return werr != errStillRunning
		})
	}
	if err != nil || werr == errStillRunning {
		// The poller could not wait on it.
		return waitid(pPID, pid, syscall.WEXITED|syscall.WNOWAIT)
	}
	return werr
}

// sysPidfdOpen is pidfd_open(2)'s number, the same on every Linux port.
const sysPidfdOpen = 434

var errStillRunning = errors.New("still running")

// waitid calls waitid(2) for the process idType and id name, and returns
// errStillRunning when, with WNOHANG, it has not exited yet.
func waitid(idType, id int, options int) error {
	var info [128]byte // siginfo_t; si_pid is the int at offset 16
	for {
		_, _, errno := syscall.Syscall6(syscall.SYS_WAITID, uintptr(idType), uintptr(id),
			uintptr(unsafe.Pointer(&info)), uintptr(options), 0, 0)
		switch {
		case errno == syscall.EINTR:
			continue
		case errno != 0:
			return errno
		case options&syscall.WNOHANG != 0 && *(*int32)(unsafe.Pointer(&info[16])) == 0:
			return errStillRunning
		}
		return nil
	}
}

// exitCode is Python's os.waitstatus_to_exitcode: the exit status, or minus
// the signal that killed the process.
func exitCode(ps *os.ProcessState) int {
	ws, ok := ps.Sys().(syscall.WaitStatus)
	if !ok {
		return ps.ExitCode()
	}
	if ws.Signaled() {
		return -int(ws.Signal())
	}
	return ws.ExitStatus()
}

// runAs is the user whose permission to execute a script is tested.
type runAs struct {
	uid, gid uint32
	groups   []uint32
}

func currentRunAs() runAs {
	r := runAs{uid: uint32(os.Geteuid()), gid: uint32(os.Getegid())}
	groups, _ := os.Getgroups()
	for _, g := range groups {
		r.groups = append(r.groups, uint32(g))
	}
	return r
}

// canExecute applies the kernel's execute-permission rule to fi: root
// needs any execute bit; others the owner's, the group's or everyone's
// bit, whichever class they fall in.
func (u runAs) canExecute(fi fs.FileInfo) bool {
	perm := fi.Mode().Perm()
	st, ok := fi.Sys().(*syscall.Stat_t)
	switch {
	case u.uid == 0 || !ok:
		return perm&0o111 != 0
	case st.Uid == u.uid:
		return perm&0o100 != 0
	case st.Gid == u.gid || slices.Contains(u.groups, st.Gid):
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}

// pipeEmpty reports whether nothing is waiting to be read in the pipe f
// (false when that cannot be told).
func pipeEmpty(f *os.File) bool {
	rc, err := f.SyscallConn()
	if err != nil {
		return false
	}
	empty := false
	_ = rc.Control(func(fd uintptr) {
		var avail int32
		_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TIOCINQ, uintptr(unsafe.Pointer(&avail)))
		empty = errno == 0 && avail == 0
	})
	return empty
}

// pipe makes a pipe between us and a child process. Our end, the reading
// one when weRead, is non-blocking and waited on by Go's poller; the
// child's end is blocking and never polled, as a child's standard stream
// must be. Made this way, rather than with os.Pipe, the child's end costs
// one fcntl(2) instead of six system calls (it is set non-blocking and
// registered with epoll by os.Pipe, then set back and unregistered when
// handed to the child).
func pipe(weRead bool) (ours, theirs *os.File, err error) {
	var fds [2]int
	if err := syscall.Pipe2(fds[:], syscall.O_CLOEXEC); err != nil {
		return nil, nil, os.NewSyscallError("pipe2", err)
	}
	o, t := fds[1], fds[0]
	if weRead {
		o, t = fds[0], fds[1]
	}
	// A pipe's status flags are O_RDONLY or O_WRONLY, which F_SETFL
	// ignores: setting O_NONBLOCK alone needs no F_GETFL first.
	if _, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(o), syscall.F_SETFL, syscall.O_NONBLOCK); errno != 0 {
		syscall.Close(o)
		syscall.Close(t)
		return nil, nil, os.NewSyscallError("fcntl", errno)
	}
	return os.NewFile(uintptr(o), "|ours"), os.NewFile(uintptr(t), "|theirs"), nil
}
