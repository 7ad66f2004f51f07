package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/state"
)

// stateFlags are run's flags for durable state.
type stateFlags struct {
	dir     *string
	fresh   *bool
	noState *bool
}

func addStateFlags(fs *flag.FlagSet) stateFlags {
	return stateFlags{
		dir: fs.String("state-dir", "", "the `directory` of the local job state "+
			"(default $DATASYNC_STATE_DIR, else $XDG_STATE_HOME/datasync, else ~/.local/state/datasync)"),
		fresh:   fs.Bool("fresh", false, "start the job over, forgetting the progress of an unfinished run (local state and the target's progress table)"),
		noState: fs.Bool("no-state", false, "keep no local state: an interrupted run cannot be resumed from it (a target's progress table still is)"),
	}
}

// openStateStore opens the store of --state-dir, or the default one.
func openStateStore(dir string) (*state.Store, error) {
	if dir == "" {
		d, err := state.DefaultDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	return state.Open(dir)
}

// jobStateName is the name a job file's state is kept under: its absolute path.
func jobStateName(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// beginState begins the run's local state: nil (and no error) with
// --no-state. The identity is the resolved job file without its secrets.
func (e *env) beginState(s *session, in *jobInputs, f stateFlags) (*state.Run, error) {
	if *f.noState {
		return nil, nil
	}
	store, err := openStateStore(*f.dir)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(s.path)
	if err != nil {
		return nil, err
	}
	opts, err := in.options(e.registry)
	if err != nil {
		return nil, err
	}
	resolved, err := job.Resolve(data, opts)
	if err != nil {
		return nil, err
	}
	identity := []byte(s.job.Redact(string(resolved)))
	return store.Begin(jobStateName(s.path), identity, state.BeginOptions{Fresh: *f.fresh})
}

// statePipelines returns one pipeline per task, each with its task's
// checkpoint store when run is not nil.
func statePipelines(j *job.Job, run *state.Run, extra []datasync.Option) ([]*datasync.Pipeline, error) {
	if run == nil {
		return j.Pipelines(extra...)
	}
	opts, err := j.Options()
	if err != nil {
		return nil, err
	}
	opts = append(opts, extra...)
	out := make([]*datasync.Pipeline, len(j.Tasks))
	for i, t := range j.Tasks {
		p, err := datasync.NewPipeline(t.Source, t.Sink, append(opts, datasync.WithCheckpointStore(run.Task(i)))...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Path, err)
		}
		out[i] = p
	}
	return out, nil
}

// clearProgress forgets what the targets' progress tables hold of the job
// (--fresh).
func clearProgress(ctx context.Context, pipelines []*datasync.Pipeline) error {
	var errs []error
	for _, p := range pipelines {
		errs = append(errs, p.ClearCheckpoints(ctx))
	}
	return errors.Join(errs...)
}
