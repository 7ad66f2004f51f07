package state

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Store is a directory holding the state of jobs, one subdirectory per job.
// Its methods may be called from several goroutines, and several processes
// may share one directory: a job being run is locked (see Store.Begin).
type Store struct {
	dir string
}

// Open returns the store in directory dir, creating it (mode 0700: the state
// names tables and hosts) when it does not exist.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("state: Open: the directory is empty")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("state: Open %q: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("state: Open: %w", err)
	}
	return &Store{dir: abs}, nil
}

// DefaultDir returns the directory used when none is given: $DATASYNC_STATE_DIR
// when set, else "datasync" under the user's state directory
// ($XDG_STATE_HOME, else ~/.local/state).
func DefaultDir() (string, error) {
	if d := os.Getenv("DATASYNC_STATE_DIR"); d != "" {
		return d, nil
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "datasync"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("state: no state directory: set DATASYNC_STATE_DIR (%w)", err)
	}
	return filepath.Join(home, ".local", "state", "datasync"), nil
}

// Dir returns the store's directory, absolute.
func (s *Store) Dir() string { return s.dir }

// jobKey returns the directory name of the job called name: a hash, so that
// any name (a file path, a URL) makes a valid, fixed-length file name.
func jobKey(name string) string {
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:12])
}

// jobDir returns the directory of the job called name.
func (s *Store) jobDir(name string) string {
	return filepath.Join(s.dir, jobKey(name))
}

// writeFileAtomic replaces path with data so that a crash leaves either the
// old or the new content: a temporary file in the same directory, synced,
// renamed over path, and the directory synced.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // best effort: not every file system syncs directories
		_ = d.Close()
	}
	return nil
}
