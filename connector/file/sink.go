package file

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/textcodec"
	"github.com/datasync-go/datasync/connector/text"
)

// Sink writes local text files: one per split (rolling at MaxFileBytes), or
// a single file. Each file is written under a temporary name and renamed
// into place when its split completes, so a failed job never leaves a half
// file under a final name. It is safe for concurrent use.
type Sink struct {
	cfg    SinkConfig
	spec   *textcodec.WriteSpec
	mode   text.WriteMode
	suffix string

	mu     sync.Mutex
	schema datasync.Schema // from Prepare: names the header of splits that write no row
}

var (
	_ datasync.Sink        = (*Sink)(nil)
	_ datasync.Finalizer   = (*Sink)(nil)
	_ datasync.Aborter     = (*Sink)(nil)
	_ datasync.SinkChecker = (*Sink)(nil)
	_ datasync.Committer   = (*writer)(nil)
)

// NewSink checks cfg and returns a Sink. It writes nothing until Prepare.
func NewSink(cfg SinkConfig) (*Sink, error) {
	spec, err := textcodec.CompileWrite(cfg.WriteOptions)
	mode, merr := textcodec.ParseWriteMode(cfg.WriteMode)
	if err = errors.Join(err, merr, cfg.check()); err != nil {
		return nil, fmt.Errorf("file: %w", err)
	}
	s := &Sink{cfg: cfg, spec: spec, mode: mode, suffix: spec.Suffix(cfg.Suffix)}
	return s, nil
}

// String describes the sink.
func (s *Sink) String() string {
	if s.cfg.SingleFile {
		return fmt.Sprintf("file sink %q", filepath.Join(s.cfg.Path, s.cfg.FileName))
	}
	return fmt.Sprintf("file sink %q", filepath.Join(s.cfg.Path, s.cfg.FileName+"_*"+s.suffix))
}

// stagingDir holds the committed parts of a single file until Finalize.
func (s *Sink) stagingDir() string {
	return filepath.Join(s.cfg.Path, "."+s.cfg.FileName+".parts")
}

// Prepare creates the directory and applies the write mode: truncate
// removes the files whose names start with FileName, nonConflict fails when
// one exists. For a single file, truncate replaces it only when the job
// finishes.
func (s *Sink) Prepare(ctx context.Context, schema datasync.Schema) error {
	if err := s.checkHeader(schema); err != nil {
		return err
	}
	s.mu.Lock()
	s.schema = schema
	s.mu.Unlock()
	if err := os.MkdirAll(s.cfg.Path, 0o755); err != nil {
		return fmt.Errorf("file: %w", err)
	}
	if s.cfg.SingleFile {
		if err := os.RemoveAll(s.stagingDir()); err != nil {
			return fmt.Errorf("file: remove stale parts: %w", err)
		}
		if s.mode == text.WriteNonConflict {
			return s.checkSingleAbsent()
		}
		return nil
	}
	switch s.mode {
	case text.WriteNonConflict:
		return s.checkNoConflict()
	case text.WriteTruncate:
		existing, err := s.existing(true)
		if err != nil {
			return err
		}
		for _, name := range existing {
			if err := os.Remove(filepath.Join(s.cfg.Path, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("file: truncate: %w", err)
			}
		}
	}
	return nil
}

func (s *Sink) checkHeader(schema datasync.Schema) error {
	if n := len(s.cfg.Header); n > 0 && schema != nil && n != len(schema) {
		return fmt.Errorf("file: header has %d names but the source has %d columns (%s)", n, len(schema), schema)
	}
	return nil
}

// existing lists the files of Path whose names start with FileName, and,
// with stale, the temporary files of earlier writers.
func (s *Sink) existing(stale bool) ([]string, error) {
	entries, err := os.ReadDir(s.cfg.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("file: %w", err)
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir():
		case strings.HasPrefix(name, s.cfg.FileName):
			names = append(names, name)
		case stale && strings.HasPrefix(name, "."+s.cfg.FileName) && strings.HasSuffix(name, tmpSuffix):
			names = append(names, name)
		}
	}
	return names, nil
}

func (s *Sink) checkNoConflict() error {
	existing, err := s.existing(false)
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		shown := existing[:min(len(existing), 5)]
		return fmt.Errorf("file: writeMode nonConflict: %d file(s) in %q start with %q (%s); set writeMode to truncate to replace them or append to add to them",
			len(existing), s.cfg.Path, s.cfg.FileName, strings.Join(shown, ", "))
	}
	return nil
}

func (s *Sink) checkSingleAbsent() error {
	path := filepath.Join(s.cfg.Path, s.cfg.FileName)
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("file: writeMode nonConflict: %q exists; set writeMode to truncate to replace it or append to add to it", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("file: %w", err)
	}
	return nil
}

// Check checks, without writing, that the directory exists or can be
// created and is writable, that nonConflict would not fail, and that the
// header matches the schema.
func (s *Sink) Check(ctx context.Context, schema datasync.Schema) error {
	if err := s.checkHeader(schema); err != nil {
		return err
	}
	dir := s.cfg.Path
	for {
		info, err := os.Stat(dir)
		if err == nil {
			if !info.IsDir() {
				return fmt.Errorf("file: %q is not a directory", dir)
			}
			if err := writable(dir); err != nil {
				return fmt.Errorf("file: cannot write in %q: %w", dir, err)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("file: %w", err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return fmt.Errorf("file: no part of %q exists", s.cfg.Path)
		}
		dir = parent
	}
	if s.mode != text.WriteNonConflict {
		return nil
	}
	if s.cfg.SingleFile {
		return s.checkSingleAbsent()
	}
	return s.checkNoConflict()
}

// Open returns the writer of split sp. It creates the directory if Prepare
// has not (as when a distributed engine runs the split elsewhere).
func (s *Sink) Open(ctx context.Context, sp datasync.Split) (datasync.Writer, error) {
	if err := os.MkdirAll(s.cfg.Path, 0o755); err != nil {
		return nil, fmt.Errorf("file: %w", err)
	}
	if s.cfg.SingleFile {
		if err := os.MkdirAll(s.stagingDir(), 0o755); err != nil {
			return nil, fmt.Errorf("file: %w", err)
		}
	}
	s.mu.Lock()
	schema := s.schema
	s.mu.Unlock()
	w := &writer{s: s, split: sp}
	w.files.w = w
	w.sw = s.spec.NewStreamWriter(&w.files, textcodec.StreamConfig{MaxBytes: s.cfg.MaxFileBytes, Schema: schema, NoHeader: s.cfg.SingleFile})
	return w, nil
}
