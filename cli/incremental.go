package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/state"
)

// incrementalRuns are the incremental tasks of one `run`: their sources
// restricted to the rows past their marks, and the marks to save when each
// task succeeds. Marks live in the state directory ($DATASYNC_STATE_DIR, or
// state.DefaultDir), under the job file's absolute path; each task by its
// path in the file (job.content[0]).
type incrementalRuns struct {
	runs map[int]*state.Incremental
}

// beginIncremental replaces the source of every incremental task of the
// session's job by the rows past its mark. The marks live in the store of
// dir (run's --state-dir), or the default one when dir is "".
func (s *session) beginIncremental(ctx context.Context, dir string) (*incrementalRuns, error) {
	r := &incrementalRuns{runs: map[int]*state.Incremental{}}
	var store *state.Store
	for i, t := range s.job.Tasks {
		is, ok := t.Source.(datasync.IncrementalSource)
		if !ok || is.Incremental().Column == "" {
			continue
		}
		if err := state.CheckIncrementalSink(t.Sink); err != nil {
			return r, fmt.Errorf("%s: %w", t.Path, err)
		}
		if store == nil {
			var err error
			if store, err = openStateStore(dir); err != nil {
				return r, err
			}
		}
		key, err := filepath.Abs(s.path)
		if err != nil {
			return r, err
		}
		run, err := store.BeginIncremental(ctx, key, t.Path, t.Source)
		if err != nil {
			return r, fmt.Errorf("%s: %w", t.Path, err)
		}
		r.runs[i] = run
		t.Source = run.Source
	}
	return r, nil
}

// describe says what task i reads, for the log: "" when not incremental.
func (r *incrementalRuns) describe(i int) string {
	run := r.runs[i]
	switch {
	case run == nil:
		return ""
	case run.Empty:
		return "incremental: no row has a value of " + run.To.Column + " yet"
	case run.From == nil:
		return fmt.Sprintf("incremental: first run, every row up to %s = %s", run.To.Column, run.To.Value)
	}
	return fmt.Sprintf("incremental: rows with %s past %s, up to %s", run.To.Column, run.From.Value, run.To.Value)
}

// commit saves the mark of task i, which succeeded.
func (r *incrementalRuns) commit(i int) error {
	if run := r.runs[i]; run != nil {
		return run.Commit()
	}
	return nil
}

// close releases the restricted sources.
func (r *incrementalRuns) close() error {
	var errs []error
	for _, run := range r.runs {
		errs = append(errs, run.Close())
	}
	return errors.Join(errs...)
}
