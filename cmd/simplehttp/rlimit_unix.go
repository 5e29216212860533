//go:build unix

package main

import "syscall"

// openFileLimit is the soft limit on open files (RLIMIT_NOFILE), which Go
// raises to the hard limit at start; 0 if it cannot be read.
func openFileLimit() uint64 {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil || rl.Cur == ^uint64(0) {
		return 0
	}
	return rl.Cur
}
