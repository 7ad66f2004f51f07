package file

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/datasync-go/datasync/connector/text"
)

// Finalize joins the parts of a single file (SingleFile) into FileName:
// the header, then each split's part in the natural order of the split IDs,
// written under a temporary name and renamed into place (after the old
// content, in append mode). It does nothing for per-split files.
func (s *Sink) Finalize(ctx context.Context) error {
	if !s.cfg.SingleFile {
		return nil
	}
	dir := s.stagingDir()
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("file: %w", err)
	}
	var parts []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".part") {
			parts = append(parts, e.Name())
		}
	}
	slices.SortFunc(parts, naturalCompare)

	final := filepath.Join(s.cfg.Path, s.cfg.FileName)
	tmp, err := createTemp(s.cfg.Path, s.cfg.FileName)
	if err != nil {
		return fmt.Errorf("file: %w", err)
	}
	defer func() {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	headed := false
	if s.mode == text.WriteAppend {
		if old, err := os.Open(final); err == nil {
			n, err := io.Copy(tmp, old)
			old.Close()
			if err != nil {
				return fmt.Errorf("file: %w", err)
			}
			headed = n > 0 // an existing file already has its header
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("file: %w", err)
		}
	}
	if !headed {
		s.mu.Lock()
		schema := s.schema
		s.mu.Unlock()
		if err := s.spec.WriteHeader(tmp, schema.Names()); err != nil {
			return fmt.Errorf("file: header: %w", err)
		}
	}
	for _, p := range parts {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := appendFile(tmp, filepath.Join(dir, p)); err != nil {
			return err
		}
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("file: %w", err)
	}
	name := tmp.Name()
	tmp = nil
	if s.mode == text.WriteNonConflict {
		err = linkNew(name, final)
		if errors.Is(err, fs.ErrExist) {
			os.Remove(name)
			return fmt.Errorf("file: writeMode nonConflict: %q appeared while the job ran", final)
		}
	} else {
		err = os.Rename(name, final)
	}
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("file: %w", err)
	}
	if err := syncDir(s.cfg.Path); err != nil {
		return err
	}
	return os.RemoveAll(dir)
}

// Abort removes the parts of a single file (the hidden .FileName.parts
// directory, holding the splits that did complete) after a failed or
// cancelled job; the file itself is left as it was. Per-split files are
// renamed into place as their splits complete, and stay.
func (s *Sink) Abort(ctx context.Context) error {
	if !s.cfg.SingleFile {
		return nil
	}
	if err := os.RemoveAll(s.stagingDir()); err != nil {
		return fmt.Errorf("file: remove the parts of the failed job: %w", err)
	}
	return nil
}

func appendFile(dst *os.File, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("file: %w", err)
	}
	defer f.Close()
	if _, err := io.Copy(dst, f); err != nil {
		return fmt.Errorf("file: %w", err)
	}
	return nil
}
