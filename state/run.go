package state

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/datasync-go/datasync"
)

// BeginOptions are how a run begins.
type BeginOptions struct {
	// Fresh starts the job over, forgetting an unfinished run's progress
	// (needed to run a job that changed since its unfinished run).
	Fresh bool
}

// Run is one run of a job, holding the job's lock until Close. Its Tasks are
// the datasync.CheckpointStore (and PlanStore) of the job's pipelines. Its
// methods may be called from several goroutines.
type Run struct {
	store    *Store
	dir      string
	lockFile *os.File
	resuming bool

	mu    sync.Mutex
	state JobState
}

// Begin starts a run of the job called name, whose identity (the resolved
// job without secrets: the same bytes for the same job) is identity. It
// takes the job's lock, failing with ErrLocked while another process runs
// it. When the job's last run did not finish (it failed or was killed), the
// new run resumes it: its tasks give that run's plan and split progress
// back; unless the identity differs, which fails with ErrJobChanged, or
// opts.Fresh is set, which starts over. A job whose last run finished starts
// over. The caller must Close the Run.
func (s *Store) Begin(name string, identity []byte, opts BeginOptions) (*Run, error) {
	if name == "" {
		return nil, errors.New("state: Begin: the job's name is empty")
	}
	dir := s.jobDir(name)
	f, err := lock(dir, name)
	if err != nil {
		return nil, err
	}
	r := &Run{store: s, dir: dir, lockFile: f}
	prev, ok, err := load(dir)
	if err != nil && !opts.Fresh {
		unlock(f)
		return nil, err
	}
	fp := fingerprint(identity)
	now := time.Now().UTC()
	switch {
	case ok && !opts.Fresh && prev.Status != StatusFinished && prev.Fingerprint != fp:
		unlock(f)
		return nil, fmt.Errorf("%w: job %q has an unfinished run (%s, last updated %s) of a different job: "+
			"its checkpoints may not fit; start over with --fresh (BeginOptions.Fresh), or restore the job",
			ErrJobChanged, name, prev.Status, prev.Updated.Format(time.RFC3339))
	case ok && !opts.Fresh && prev.Status != StatusFinished:
		r.state, r.resuming = prev, true
		r.state.Runs++
		r.state.Error = ""
	default:
		r.state = JobState{Name: name, Fingerprint: fp, Identity: string(identity), Runs: 1, Started: now}
	}
	r.state.Status, r.state.PID, r.state.Updated = StatusRunning, os.Getpid(), now
	if err := save(dir, &r.state); err != nil {
		unlock(f)
		return nil, err
	}
	return r, nil
}

// Resuming reports whether the run resumes an unfinished one.
func (r *Run) Resuming() bool { return r.resuming }

// State returns a copy of the run's state as last saved.
func (r *Run) State() JobState {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.state
	s.Tasks = slices.Clone(s.Tasks)
	for i := range s.Tasks {
		s.Tasks[i].Splits = maps.Clone(s.Tasks[i].Splits)
	}
	return s
}

// Task returns the checkpoint store of task i (0 for a single pipeline):
// give it to the task's pipeline with datasync.WithCheckpointStore.
func (r *Run) Task(i int) *Task {
	return &Task{run: r, index: i}
}

// Finish records the run's outcome: with err nil the job is finished and its
// progress dropped (its next run starts over); otherwise the run failed and
// its progress stays for the next run to resume.
func (r *Run) Finish(err error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state.Updated = time.Now().UTC()
	if err == nil {
		r.state.Status, r.state.Error, r.state.Tasks = StatusFinished, "", nil
	} else {
		r.state.Status, r.state.Error = StatusFailed, err.Error()
	}
	return save(r.dir, &r.state)
}

// Close releases the job's lock. A run closed without Finish stays
// "running" in the store, as one killed does: the next run resumes it.
func (r *Run) Close() error {
	if r.lockFile == nil {
		return nil
	}
	err := unlock(r.lockFile)
	r.lockFile = nil
	return err
}

// update changes task i's state under the lock and saves it.
func (r *Run) update(i int, fn func(t *TaskState)) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for len(r.state.Tasks) <= i {
		r.state.Tasks = append(r.state.Tasks, TaskState{})
	}
	fn(&r.state.Tasks[i])
	r.state.Updated = time.Now().UTC()
	return save(r.dir, &r.state)
}

// Task is the state of one task (pipeline) of a Run: it implements
// datasync.CheckpointStore and datasync.PlanStore.
type Task struct {
	run   *Run
	index int
}

var (
	_ datasync.CheckpointStore = (*Task)(nil)
	_ datasync.PlanStore       = (*Task)(nil)
)

// LoadCheckpoint returns the progress saved for split.
func (t *Task) LoadCheckpoint(_ context.Context, split string) (datasync.SplitProgress, bool, error) {
	t.run.mu.Lock()
	defer t.run.mu.Unlock()
	if t.index >= len(t.run.state.Tasks) {
		return datasync.SplitProgress{}, false, nil
	}
	p, ok := t.run.state.Tasks[t.index].Splits[split]
	return p, ok, nil
}

// SaveCheckpoint saves split's progress, atomically, before it returns.
func (t *Task) SaveCheckpoint(_ context.Context, split string, p datasync.SplitProgress) error {
	return t.run.update(t.index, func(ts *TaskState) {
		if ts.Splits == nil {
			ts.Splits = map[string]datasync.SplitProgress{}
		}
		ts.Splits[split] = p
	})
}

// SavedPlan returns the plan of the run being resumed.
func (t *Task) SavedPlan(context.Context) ([]datasync.Split, bool, error) {
	t.run.mu.Lock()
	defer t.run.mu.Unlock()
	if t.index >= len(t.run.state.Tasks) || t.run.state.Tasks[t.index].Plan == nil {
		return nil, false, nil
	}
	return slices.Clone(t.run.state.Tasks[t.index].Plan), true, nil
}

// Finish records that the task succeeded, so that a run resuming the job
// skips it.
func (t *Task) Finish() error {
	return t.run.update(t.index, func(ts *TaskState) { ts.Finished = true })
}

// Finished reports whether the task succeeded in the run being resumed.
func (t *Task) Finished() bool {
	t.run.mu.Lock()
	defer t.run.mu.Unlock()
	return t.index < len(t.run.state.Tasks) && t.run.state.Tasks[t.index].Finished
}

// SavePlan saves the task's plan, and forgets progress of splits it has not.
func (t *Task) SavePlan(_ context.Context, splits []datasync.Split) error {
	return t.run.update(t.index, func(ts *TaskState) {
		ts.Plan = slices.Clone(splits)
		if ts.Plan == nil {
			ts.Plan = []datasync.Split{}
		}
		ts.Splits = nil
	})
}
