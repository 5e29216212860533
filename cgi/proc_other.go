//go:build !linux

package cgi

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
)

// Running scripts needs Linux (process groups, credentials and waitid);
// New panics elsewhere. These stand-ins keep the package building.
const supported = false

const (
	oPath      = 0
	oDirectory = 0
	execPath   = ""
)

func fdPath(*os.File) string { return "" }

var errUnsupported = errors.New("cgi: not supported on this system")

func start(*exec.Cmd, *credential) error { return errUnsupported }
func killGroup(int)                      {}
func waitExited(int) error               { return errUnsupported }
func exitCode(ps *os.ProcessState) int   { return ps.ExitCode() }
func pipeEmpty(*os.File) bool            { return false }

type runAs struct{ uid, gid uint32 }

func currentRunAs() runAs                 { return runAs{} }
func (runAs) canExecute(fs.FileInfo) bool { return false }

func pipe(weRead bool) (ours, theirs *os.File, err error) {
	r, w, err := os.Pipe()
	if weRead {
		return r, w, err
	}
	return w, r, err
}
