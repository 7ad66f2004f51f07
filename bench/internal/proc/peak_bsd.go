//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package proc

import (
	"os"
	"runtime"
	"syscall"
)

// rusagePeak returns ru_maxrss in bytes: macOS reports bytes, the BSDs KiB.
func rusagePeak(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss)
	}
	return int64(ru.Maxrss) * 1024
}
