//go:build unix

package proc

import (
	"syscall"
	"time"
)

// SelfCPU returns the CPU time this process has used so far, in user mode
// and in the kernel (getrusage RUSAGE_SELF: every thread, the Go runtime's
// and the garbage collector's included). The library child takes it around
// its run, so that the run's CPU can be told from its start-up's.
func SelfCPU() (user, system time.Duration) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}
