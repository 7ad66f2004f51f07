//go:build !unix

package proc

import "time"

// SelfCPU returns 0, 0: this system has no getrusage.
func SelfCPU() (user, system time.Duration) { return 0, 0 }
