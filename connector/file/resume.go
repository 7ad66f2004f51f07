package file

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/datasync-go/datasync"
)

var (
	_ datasync.ResumePreparer = (*Sink)(nil)
	_ datasync.CheckpointSink = (*Sink)(nil)
)

// PrepareResume is Prepare for a run that resumes an interrupted one (see
// datasync.ResumePreparer): it keeps what the interrupted run committed (no
// truncation, no removal of a single file's parts, no nonConflict check,
// which those files would fail).
func (s *Sink) PrepareResume(_ context.Context, schema datasync.Schema) error {
	if err := s.checkHeader(schema); err != nil {
		return err
	}
	s.mu.Lock()
	s.schema = schema
	s.mu.Unlock()
	if err := os.MkdirAll(s.cfg.Path, 0o755); err != nil {
		return fmt.Errorf("file: %w", err)
	}
	return nil
}

// DurableCheckpoint tells, for a single file (SingleFile), whether split's
// part was committed: the part's rename into the parts directory is the
// split's durable checkpoint, so a resumed run (or a RunSplit) does not
// write it again, and a part that is missing (removed by Abort after a
// failed run) is written again whatever a local state says. For per-split
// files it knows nothing (ok false): the local state of the run tells.
func (s *Sink) DurableCheckpoint(_ context.Context, split string) (datasync.SplitProgress, bool, error) {
	if !s.cfg.SingleFile {
		return datasync.SplitProgress{}, false, nil
	}
	_, err := os.Stat(filepath.Join(s.stagingDir(), safeID(split)+".part"))
	switch {
	case err == nil:
		return datasync.SplitProgress{Done: true}, true, nil
	case errors.Is(err, fs.ErrNotExist):
		return datasync.SplitProgress{}, true, nil
	}
	return datasync.SplitProgress{}, false, fmt.Errorf("file: %w", err)
}

// ClearCheckpoints removes a single file's committed parts, so that the
// next run writes every split again.
func (s *Sink) ClearCheckpoints(context.Context) error {
	if !s.cfg.SingleFile {
		return nil
	}
	if err := os.RemoveAll(s.stagingDir()); err != nil {
		return fmt.Errorf("file: remove the parts of an earlier run: %w", err)
	}
	return nil
}
