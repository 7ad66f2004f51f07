//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package proc

import "os"

// rusagePeak returns 0 (unknown): this system has no ru_maxrss.
func rusagePeak(*os.ProcessState) int64 { return 0 }
