//go:build !unix

package state

import "os"

// lockFile on systems without flock: the lock is the file's existence,
// created exclusively by openLock; a process that crashes leaves it, and
// "datasync state clear" removes it.
func lockFile(f *os.File) (bool, error) { return true, nil }

func unlockFile(f *os.File) error { return nil }
