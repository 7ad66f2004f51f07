package oss

import (
	"context"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/text"
)

var _ datasync.ResumePreparer = (*Sink)(nil)

// PrepareResume is Prepare for a run that resumes an interrupted one (see
// datasync.ResumePreparer): the objects the interrupted run completed stay
// (no truncation, no nonConflict check, which they would fail); in
// truncate mode the multipart uploads its unfinished splits left are
// aborted. Completing an object's upload is its split's commit point: the
// local state records the split done after it, and a resumed run skips it.
func (s *Sink) PrepareResume(ctx context.Context, schema datasync.Schema) error {
	if err := s.checkHeader(schema); err != nil {
		return err
	}
	s.mu.Lock()
	s.schema = schema
	s.mu.Unlock()
	if s.mode == text.WriteTruncate {
		return s.abortUploads(ctx)
	}
	return nil
}
