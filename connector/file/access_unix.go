//go:build unix

package file

import "syscall"

// writable reports whether this process may create files in dir.
func writable(dir string) error {
	return syscall.Access(dir, 0x2|0x1) // W_OK|X_OK
}
