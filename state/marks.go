package state

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/datasync-go/datasync"
)

// Mark is the high-water mark of one incremental task: the greatest value of
// its incremental column that the last successful run copied, as the
// source's database prints it (see datasync.IncrementalSource).
type Mark struct {
	// Column is the incremental column the mark is of.
	Column string `json:"column"`
	// Value is the mark.
	Value string `json:"value"`
	// Saved is when the run that reached it succeeded.
	Saved time.Time `json:"saved"`
}

// marksFile is the file of a job's marks, in its directory.
const marksFile = "marks.json"

// markMu serializes the read-modify-write of marks files in this process
// (tasks of one job may finish at once).
var markMu sync.Mutex

// markEntry is what marks.json keeps of one task: its mark, and the range
// of a run that began and did not succeed (the next run copies the same
// range, so that a resumed run's splits read what they were planned for).
type markEntry struct {
	Mark    *Mark `json:"mark,omitempty"`
	Pending *Mark `json:"pending,omitempty"`
}

func (s *Store) markPath(job string) string { return filepath.Join(s.jobDir(job), marksFile) }

// markRead returns the entries of job by task, empty when none were saved.
func (s *Store) markRead(job string) (map[string]markEntry, error) {
	data, err := os.ReadFile(s.markPath(job))
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]markEntry{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("state: read the marks of job %q: %w", job, err)
	}
	entries := map[string]markEntry{}
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, fmt.Errorf("state: the marks of job %q (%s) are damaged: %w", job, s.markPath(job), err)
	}
	return entries, nil
}

// markUpdate changes the entry of task of job with change, and saves the
// file atomically.
func (s *Store) markUpdate(job, task string, change func(*markEntry)) error {
	markMu.Lock()
	defer markMu.Unlock()
	entries, err := s.markRead(job)
	if err != nil {
		return err
	}
	e := entries[task]
	change(&e)
	entries[task] = e
	data, err := json.MarshalIndent(entries, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(s.markPath(job), data); err != nil {
		return fmt.Errorf("state: save the mark of job %q task %q: %w", job, task, err)
	}
	return nil
}

// Marks returns the high-water marks saved for job's incremental tasks, by
// task name.
func (s *Store) Marks(job string) (map[string]Mark, error) {
	markMu.Lock()
	defer markMu.Unlock()
	entries, err := s.markRead(job)
	if err != nil {
		return nil, err
	}
	marks := map[string]Mark{}
	for task, e := range entries {
		if e.Mark != nil {
			marks[task] = *e.Mark
		}
	}
	return marks, nil
}

// Mark returns the mark saved for task of job; ok is false when none was:
// the task's next run copies everything.
func (s *Store) Mark(job, task string) (m Mark, ok bool, err error) {
	marks, err := s.Marks(job)
	if err != nil {
		return Mark{}, false, err
	}
	m, ok = marks[task]
	return m, ok, nil
}

// pending returns the upper end of task's run that began and has not
// succeeded, if any.
func (s *Store) pending(job, task string) (*Mark, error) {
	markMu.Lock()
	defer markMu.Unlock()
	entries, err := s.markRead(job)
	if err != nil {
		return nil, err
	}
	return entries[task].Pending, nil
}

// SaveMark replaces the mark of task of job, atomically, and forgets the
// range of a run that had not succeeded.
func (s *Store) SaveMark(job, task string, m Mark) error {
	return s.markUpdate(job, task, func(e *markEntry) { e.Mark, e.Pending = &m, nil })
}

// ClearMarks forgets the marks of job: its incremental tasks copy
// everything on their next run.
func (s *Store) ClearMarks(job string) error {
	markMu.Lock()
	defer markMu.Unlock()
	if err := os.Remove(s.markPath(job)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("state: clear the marks of job %q: %w", job, err)
	}
	return nil
}

// Incremental is one run of an incremental task, begun by
// Store.BeginIncremental: Source reads the rows past the saved mark, and
// Commit saves the new mark once the run succeeded.
type Incremental struct {
	// Source reads the rows to copy this run: everything on the first run,
	// then the rows past the mark (less the lookback), up to To.
	Source datasync.Source
	// From is the mark of the last successful run; nil on the first run.
	From *Mark
	// To is the mark this run reaches when it succeeds: the greatest value
	// of the column when the run began. Empty (with Empty true) when the
	// source has no row with a value.
	To Mark
	// Empty is true when the source has no row with a value of the
	// column: Source then reads nothing and the mark does not move.
	Empty bool

	store     *Store
	job, task string
	closer    io.Closer
}

// BeginIncremental starts a run of the incremental task named task of job,
// whose source is src (an datasync.IncrementalSource with its Column set):
// it reads the saved mark and the source's current high-water mark, and
// returns the source to read. It records the run's range as pending; the
// mark moves only at Commit. When an earlier run's range is still pending
// (that run failed or was killed), this run copies that same range again
// rather than a new one, so that a run resumed from durable checkpoints
// reads what its splits were planned for; later rows wait for the next
// run.
func (s *Store) BeginIncremental(ctx context.Context, job, task string, src datasync.Source) (*Incremental, error) {
	is, ok := src.(datasync.IncrementalSource)
	if !ok || is.Incremental().Column == "" {
		return nil, fmt.Errorf("state: task %q of job %q: its source is not incremental (no incremental column)", task, job)
	}
	column := is.Incremental().Column
	run := &Incremental{store: s, job: job, task: task}
	saved, found, err := s.Mark(job, task)
	if err != nil {
		return nil, err
	}
	if found {
		if saved.Column != column {
			return nil, fmt.Errorf("state: task %q of job %q: its mark was saved for column %q, and the incremental column is now %q: clear the job's marks (datasync state clear, or Store.ClearMarks) to copy everything again",
				task, job, saved.Column, column)
		}
		run.From = &saved
	}
	pending, err := s.pending(job, task)
	if err != nil {
		return nil, err
	}
	if pending != nil && pending.Column == column {
		// A run of this range began and did not succeed: copy the same
		// range, so that a resumed run's splits read what they were
		// planned for. The rows past it wait for the next run.
		run.To = *pending
		if run.Source, err = is.Since(ctx, saved.Value, found, pending.Value); err != nil {
			return nil, err
		}
		if c, ok := run.Source.(io.Closer); ok {
			run.closer = c
		}
		return run, nil
	}
	hw, any, err := is.HighWater(ctx)
	if err != nil {
		return nil, err
	}
	if !any { // no row has a value: nothing to read, the mark stays
		run.Empty = true
		run.To = Mark{Column: column}
		if found {
			run.To = saved
		}
		run.Source = markNoRows{is}
		return run, nil
	}
	run.To = Mark{Column: column, Value: hw}
	if err := s.markUpdate(job, task, func(e *markEntry) { e.Pending = &Mark{Column: column, Value: hw} }); err != nil {
		return nil, err
	}
	run.Source, err = is.Since(ctx, saved.Value, found, hw)
	if err != nil {
		return nil, err
	}
	if c, ok := run.Source.(io.Closer); ok {
		run.closer = c
	}
	return run, nil
}

// Commit saves the mark this run reached: call it only when the run
// succeeded. A run that found no values leaves the mark as it was.
func (r *Incremental) Commit() error {
	if r.Empty {
		return nil
	}
	m := r.To
	m.Saved = time.Now().UTC()
	return r.store.SaveMark(r.job, r.task, m)
}

// Close releases the run's source.
func (r *Incremental) Close() error {
	if r.closer == nil {
		return nil
	}
	return r.closer.Close()
}

// targetReplacer is implemented by a Sink that empties or replaces its
// target on each run (the PostgreSQL and MySQL sinks with truncate or
// atomicRefresh).
type targetReplacer interface{ ReplacesTarget() bool }

// CheckIncrementalSink refuses a sink that empties or replaces its target
// on each run: an incremental run into it would leave only the rows past
// the mark. RunIncremental calls it; so does `datasync run`.
func CheckIncrementalSink(dst datasync.Sink) error {
	if r, ok := dst.(targetReplacer); ok && r.ReplacesTarget() {
		return errors.New("state: an incremental run copies only the rows past its mark, and this writer empties or replaces its table on each run (truncate, atomicRefresh): the table would keep only those rows")
	}
	return nil
}

// RunIncremental runs the incremental task named task of job once: it
// begins the run (BeginIncremental), copies the rows past the saved mark
// from src to dst with a pipeline made with opts, and saves the new mark
// only when the pipeline succeeded. A failed run leaves the mark where it
// was, so the next run copies its rows again.
func RunIncremental(ctx context.Context, s *Store, job, task string, src datasync.Source, dst datasync.Sink, opts ...datasync.Option) (datasync.Result, error) {
	if err := CheckIncrementalSink(dst); err != nil {
		return datasync.Result{}, err
	}
	run, err := s.BeginIncremental(ctx, job, task, src)
	if err != nil {
		return datasync.Result{}, err
	}
	defer run.Close()
	p, err := datasync.NewPipeline(run.Source, dst, opts...)
	if err != nil {
		return datasync.Result{}, err
	}
	res, err := p.Run(ctx)
	if err != nil {
		return res, err
	}
	return res, run.Commit()
}

// markNoRows is a source with its schema and no splits: the run of an
// incremental task whose column has no value yet.
type markNoRows struct{ datasync.Source }

// Plan plans nothing.
func (markNoRows) Plan(context.Context, datasync.PlanHint) ([]datasync.Split, error) { return nil, nil }
