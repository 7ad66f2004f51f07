package datasync

import (
	"context"
	"fmt"
	"log/slog"
)

// SplitProgress is what is durably known of a split: where to resume it, or
// that it is complete.
type SplitProgress struct {
	// Checkpoint is the position after the last record durably written; a
	// split resumes just after it. Nil means the split's start.
	Checkpoint Checkpoint `json:"checkpoint,omitempty"`
	// Done says the split is complete: a run that finds it so skips it.
	Done bool `json:"done,omitempty"`
}

// CheckpointWriter is implemented by a Writer that can make its rows and the
// split's progress durable together, in one transaction: a flush that
// commits the rows written since the last one and records p in the target
// (a progress table). Then a commit whose reply is lost, or a crash at any
// moment, never lets a window be written twice: the progress read back
// (CheckpointSink.DurableCheckpoint) is exactly that of the rows committed.
//
// The pipeline calls FlushCheckpoint instead of Flush, with the reader's
// checkpoint after the last row written, and, at the end of the split, with
// Done set (even when no row was written since the last flush). Its contract
// is Flush's otherwise (late rejected rows come back in a *RowErrors, every
// other row then being durable).
type CheckpointWriter interface {
	Writer
	FlushCheckpoint(ctx context.Context, p SplitProgress) error
}

// CheckpointSink is implemented by a Sink whose writers are CheckpointWriters:
// it reads a split's durable progress back. Before a split runs (in
// Pipeline.Run and Pipeline.RunSplit alike) and before each retry, the
// pipeline asks it: a split found Done is skipped, any other found is
// resumed from its checkpoint (it takes precedence over the checkpoint given
// to RunSplit, which may be older).
//
// Such a sink keeps its progress until Finalize, which forgets it, so that
// the next run of the job copies everything again; a failed or killed run
// leaves it, so that the next run resumes. ClearCheckpoints forgets it on
// demand (start over).
type CheckpointSink interface {
	Sink
	// DurableCheckpoint returns split's progress; ok is false when nothing
	// was recorded for it (run it from the start).
	DurableCheckpoint(ctx context.Context, split string) (p SplitProgress, ok bool, err error)
	// ClearCheckpoints forgets the progress of every split of the job.
	ClearCheckpoints(ctx context.Context) error
}

// CheckpointStore keeps split progress outside the sink, for a job run by
// Pipeline.Run (see WithCheckpointStore); package state has one on local
// disk. The pipeline saves a split's progress after each durable flush (and
// Done after its last flush, or Commit for a Committer), and loads it before
// the split runs when the sink is not a CheckpointSink. Progress saved
// after the flush it describes is at-least-once: a crash between the two
// replays that window.
type CheckpointStore interface {
	LoadCheckpoint(ctx context.Context, split string) (p SplitProgress, ok bool, err error)
	SaveCheckpoint(ctx context.Context, split string, p SplitProgress) error
}

// PlanStore is implemented by a CheckpointStore that also keeps the job's
// plan, so that a resumed run divides the source exactly as the run it
// resumes did (a checkpoint means something only within its own split):
// Pipeline.Run uses the saved plan when there is one, and saves the plan it
// makes otherwise.
type PlanStore interface {
	SavedPlan(ctx context.Context) (splits []Split, ok bool, err error)
	SavePlan(ctx context.Context, splits []Split) error
}

// ResumePreparer is implemented by a Sink whose Prepare has steps that must
// not run again when a run resumes an interrupted one, such as truncating
// the target, pre-SQL, or removing earlier output: they would undo the work
// being resumed. Pipeline.Run calls PrepareResume instead of Prepare when it
// resumes with a saved plan (WithCheckpointStore with a PlanStore); a
// distributed engine calls Pipeline.PrepareResume.
type ResumePreparer interface {
	PrepareResume(ctx context.Context, s Schema) error
}

// PrepareResume is Prepare for a job that resumes an interrupted run: the
// sink's PrepareResume when it is a ResumePreparer, else its Prepare.
func (p *Pipeline) PrepareResume(ctx context.Context) error {
	schema, err := p.sourceSchema(ctx)
	if err != nil {
		return err
	}
	return p.prepareSink(ctx, schema, true)
}

// prepareSink prepares the sink for schema, as for a resumed run when
// resuming.
func (p *Pipeline) prepareSink(ctx context.Context, schema Schema, resuming bool) error {
	var err error
	if rp, ok := p.dst.(ResumePreparer); ok && resuming {
		err = rp.PrepareResume(ctx, schema)
	} else {
		err = p.dst.Prepare(ctx, schema)
	}
	if err != nil {
		return fmt.Errorf("datasync: prepare the sink: %w", err)
	}
	return nil
}

// WithCheckpointStore makes Pipeline.Run and RunSplit save each split's
// progress in store and resume splits from it (see CheckpointStore). A sink
// that is a CheckpointSink is asked first: its progress is exact.
func WithCheckpointStore(store CheckpointStore) Option {
	return optionFunc(func(c *config) error {
		if store == nil {
			return invalid("WithCheckpointStore", "the store is nil")
		}
		c.checkpoints = store
		return nil
	})
}

// ClearCheckpoints forgets the durable progress of the job kept by the sink
// (a CheckpointSink's progress table), so that the next run starts over. It
// does nothing for other sinks. A CheckpointStore is cleared by its owner.
func (p *Pipeline) ClearCheckpoints(ctx context.Context) error {
	cs, ok := p.dst.(CheckpointSink)
	if !ok {
		return nil
	}
	if err := cs.ClearCheckpoints(ctx); err != nil {
		return fmt.Errorf("datasync: clear the sink's checkpoints: %w", err)
	}
	return nil
}

// durableProgress returns where split s stands durably: the sink's progress
// (a CheckpointSink), else the store's, else ok false.
func (j *job) durableProgress(ctx context.Context, s Split) (SplitProgress, bool, error) {
	if cs, ok := j.p.dst.(CheckpointSink); ok {
		p, ok, err := cs.DurableCheckpoint(ctx, s.ID)
		if err != nil {
			return SplitProgress{}, false, fmt.Errorf("read the split's durable checkpoint from the sink: %w", err)
		}
		if ok {
			return p, true, nil
		}
	}
	if st := j.p.cfg.checkpoints; st != nil {
		p, ok, err := st.LoadCheckpoint(ctx, s.ID)
		if err != nil {
			return SplitProgress{}, false, fmt.Errorf("load the split's checkpoint: %w", err)
		}
		return p, ok, nil
	}
	return SplitProgress{}, false, nil
}

// resumePoint returns where an attempt at split s starts: the sink's
// durable progress when it has some (it is exact, even after a commit whose
// reply was lost), else, for a first attempt from the split's start, the
// store's; else cp, the attempt's own last durable checkpoint. done reports
// a split already complete.
func (j *job) resumePoint(ctx context.Context, s Split, cp Checkpoint, first bool) (Checkpoint, bool, error) {
	_, sinkKeeps := j.p.dst.(CheckpointSink)
	if !sinkKeeps && !(first && cp == nil && j.p.cfg.checkpoints != nil) {
		return cp, false, nil
	}
	p, ok, err := j.durableProgress(ctx, s)
	if err != nil || !ok {
		return cp, false, err
	}
	if first {
		j.p.cfg.logger.LogAttrs(ctx, slog.LevelInfo, "resuming a split from its durable checkpoint",
			slog.String("split", s.ID), slog.Bool("done", p.Done))
	}
	return p.Checkpoint, p.Done, nil
}

// runPlan returns the plan of a Run: the store's saved plan when it keeps
// one (resuming), else a new plan, saved.
func (p *Pipeline) runPlan(ctx context.Context) (splits []Split, resuming bool, err error) {
	ps, ok := p.cfg.checkpoints.(PlanStore)
	if !ok {
		splits, err = p.Plan(ctx)
		return splits, false, err
	}
	splits, ok, err = ps.SavedPlan(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("datasync: load the saved plan: %w", err)
	}
	if ok {
		p.cfg.logger.LogAttrs(ctx, slog.LevelInfo, "resuming with the saved plan", slog.Int("splits", len(splits)))
		return splits, true, nil
	}
	if splits, err = p.Plan(ctx); err != nil {
		return nil, false, err
	}
	if err := ps.SavePlan(ctx, splits); err != nil {
		return nil, false, fmt.Errorf("datasync: save the plan: %w", err)
	}
	return splits, false, nil
}
