package job

import (
	"fmt"
	"os"
)

// dirtyFileMode is the dirty-data file's mode: its records are row values,
// which may be personal or secret, so only the owner reads them. A umask
// only removes bits, so it cannot widen this.
const dirtyFileMode = 0o600

// lazyFile creates its file on the first write, so that checking or
// planning a job, or a run with no dirty record, leaves no file behind.
type lazyFile struct {
	path string
	f    *os.File
}

func (l *lazyFile) Write(p []byte) (int, error) {
	if l.f == nil {
		f, err := createPrivate(l.path)
		if err != nil {
			return 0, fmt.Errorf("create the dirty-data file: %w", err)
		}
		l.f = f
	}
	return l.f.Write(p)
}

// Sync makes what was written durable (DirtyToJSONLines calls it).
func (l *lazyFile) Sync() error {
	if l.f == nil {
		return nil
	}
	return l.f.Sync()
}

// Close closes the file, if it was created.
func (l *lazyFile) Close() error {
	if l.f == nil {
		return nil
	}
	return l.f.Close()
}

// createPrivate creates or truncates the file at path, readable and
// writable by its owner only. A regular file that already exists keeps its
// owner's read and write bits but loses the group's and others' (an earlier
// run, or an earlier version, may have left it readable by all), before
// anything is written to it. Anything else (a pipe, /dev/stderr) is left as it is.
func createPrivate(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, dirtyFileMode)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err == nil && info.Mode().IsRegular() && info.Mode().Perm()&^dirtyFileMode != 0 {
		err = f.Chmod(info.Mode().Perm() & dirtyFileMode)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: make it private: %w", path, err)
	}
	return f, nil
}

// Name returns the file's path, so that logs and reports can say where
// the dirty records went (datasync.DirtyDestination).
func (l *lazyFile) Name() string { return l.path }
