package temporal

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/datasync-go/datasync"
)

// activities are the job workflow's activities, run by a Worker.
type activities struct {
	w *Worker
}

// taskInput names one task of a job.
type taskInput struct {
	Job  JobSpec `json:"job"`
	Task int     `json:"task"`
}

// TaskSettings are a task's job-wide settings, read on the worker that
// prepared it and shared out by the workflow.
type TaskSettings struct {
	Parallelism int           `json:"parallelism"`
	Rate        datasync.Rate `json:"rate"`
	MaxDirty    int64         `json:"maxDirty"`      // DirtyPolicy.MaxRecords
	MaxRatio    float64       `json:"maxDirtyRatio"` // DirtyPolicy.MaxRatio
}

// prepareOutput is what Prepare returns: the job's number of tasks and the
// task's settings.
type prepareOutput struct {
	Tasks    int          `json:"tasks"`
	Settings TaskSettings `json:"settings"`
}

// withTask loads the job and runs fn with the task's pipeline, then
// releases the job.
func (a *activities) withTask(ctx context.Context, in taskInput, split string, fn func(ps *Pipelines, p *datasync.Pipeline) error) error {
	info := activity.GetInfo(ctx)
	ps, err := a.w.load(ctx, in.Job, scope{workflowID: info.WorkflowExecution.ID, task: in.Task, split: split})
	if err != nil {
		return err
	}
	defer func() {
		if cerr := closePipelines(ps); cerr != nil {
			a.w.logger().LogAttrs(ctx, slog.LevelWarn, "closing the job's connectors failed",
				slog.String("workflow", info.WorkflowExecution.ID), slog.String("error", cerr.Error()))
		}
	}()
	if in.Task < 0 || in.Task >= len(ps.Tasks) {
		return invalidJob(fmt.Errorf("datasync/temporal: %s has %d tasks, no task %d (did the job change while it ran?)", in.Job.describe(), len(ps.Tasks), in.Task))
	}
	return fn(ps, ps.Tasks[in.Task])
}

// prepare forgets the sink's durable checkpoints of an earlier run,
// prepares the sink of a task (pre-SQL, truncation) and returns the task's
// settings.
func (a *activities) prepare(ctx context.Context, in taskInput) (out prepareOutput, err error) {
	err = a.withTask(ctx, in, "", func(ps *Pipelines, p *datasync.Pipeline) error {
		s := p.Settings()
		out = prepareOutput{Tasks: len(ps.Tasks), Settings: TaskSettings{
			Parallelism: s.Parallelism, Rate: s.Rate, MaxDirty: s.Dirty.MaxRecords, MaxRatio: s.Dirty.MaxRatio}}
		// A workflow is a new run of the job: progress a transactional
		// sink kept from an earlier, failed run must not make its splits
		// skip or resume after this run's pre-SQL.
		if err := p.ClearCheckpoints(ctx); err != nil {
			return err
		}
		return p.Prepare(ctx)
	})
	return out, activityError(err)
}

// plan plans a task's splits.
func (a *activities) plan(ctx context.Context, in taskInput) (splits []datasync.Split, err error) {
	err = a.withTask(ctx, in, "", func(_ *Pipelines, p *datasync.Pipeline) error {
		splits, err = p.Plan(ctx)
		return err
	})
	return splits, activityError(err)
}

// finalize runs a task's once-per-job finishing work (post-SQL).
func (a *activities) finalize(ctx context.Context, in taskInput) error {
	return activityError(a.withTask(ctx, in, "", func(_ *Pipelines, p *datasync.Pipeline) error {
		return p.Finalize(ctx)
	}))
}

// abort runs a task's cleaning up after a failed or cancelled job.
func (a *activities) abort(ctx context.Context, in taskInput) error {
	return activityError(a.withTask(ctx, in, "", func(_ *Pipelines, p *datasync.Pipeline) error {
		return p.Abort(ctx)
	}))
}

// splitInput is one split to run, with its share of the job's limits.
type splitInput struct {
	Job   JobSpec        `json:"job"`
	Task  int            `json:"task"`
	Split datasync.Split `json:"split"`
	// Rate is the split's share of the job's rate limit.
	Rate datasync.Rate `json:"rate"`
	// MaxDirty is the dirty records the split may find by itself before it
	// stops (the job's limit: one split past it is the job past it); -1
	// for no limit of its own. The workflow applies the job's policy to
	// the sum over all splits.
	MaxDirty    int64 `json:"maxDirty"`
	ReportEvery int64 `json:"reportEvery"` // nanoseconds
	Heartbeat   int64 `json:"heartbeat"`   // nanoseconds: the heartbeat timeout
}

// SplitOutcome is what one split did, over all its attempts.
type SplitOutcome struct {
	Task  int    `json:"task"`
	Split string `json:"split"`
	Counts
	// Attempts counts the activity's attempts (more than 1 after a lost
	// worker or a retried failure); Resumed is whether the last one started
	// from a checkpoint an earlier attempt left.
	Attempts int32 `json:"attempts"`
	Resumed  bool  `json:"resumed"`
}

// runSplit runs one split with RunSplit, resuming from the checkpoint of
// an earlier attempt's heartbeats, reporting its counts to the workflow and
// heartbeating its checkpoints.
func (a *activities) runSplit(ctx context.Context, in splitInput) (out SplitOutcome, err error) {
	info := activity.GetInfo(ctx)
	out = SplitOutcome{Task: in.Task, Split: in.Split.ID, Attempts: info.Attempt}
	var from heartbeat
	if activity.HasHeartbeatDetails(ctx) {
		if err := activity.GetHeartbeatDetails(ctx, &from); err != nil {
			return out, temporal.NewNonRetryableApplicationError(
				fmt.Sprintf("datasync/temporal: split %q: read the last attempt's checkpoint: %v", in.Split.ID, err), ErrTypeFailed, nil)
		}
		out.Resumed = from.Checkpoint != nil
	}
	err = a.withTask(ctx, taskInput{Job: in.Job, Task: in.Task}, in.Split.ID, func(_ *Pipelines, p *datasync.Pipeline) error {
		r := newSplitReporter(ctx, in, info, from)
		dirty := p.Settings().Dirty
		local := datasync.DirtyPolicy{MaxRecords: in.MaxDirty, Collector: dirty.Collector}
		if local.Collector != nil {
			local.Collector = r.countDirty(local.Collector)
		}
		q, err := p.With(
			datasync.WithRateLimit(in.Rate),
			datasync.WithDirtyPolicy(local),
			datasync.WithProgress(r.progress, r.progressEvery()),
		)
		if err != nil {
			return invalidJob(fmt.Errorf("datasync/temporal: split %q: %w", in.Split.ID, err))
		}
		stop := r.start()
		res, err := q.RunSplit(ctx, in.Split, from.Checkpoint, r.checkpoint)
		stop()
		out.Counts = from.Base.plus(countsOf(res))
		return err
	})
	if err != nil && errors.Is(err, context.Canceled) && ctx.Err() == nil {
		err = fmt.Errorf("datasync/temporal: split %q: %w", in.Split.ID, err)
	}
	return out, activityError(err)
}

// heartbeat is what a split's heartbeats carry: where a later attempt
// resumes, and what was done up to there.
type heartbeat struct {
	Checkpoint datasync.Checkpoint `json:"checkpoint,omitempty"`
	// Base counts what the earlier attempts did up to Checkpoint, as their
	// last progress reports had it.
	Base Counts `json:"base"`
}

// countsOf returns a split result's counts.
func countsOf(r datasync.SplitResult) Counts {
	return Counts{RecordsRead: r.RecordsRead, RecordsWritten: r.RecordsWritten, RecordsDirty: r.RecordsDirty,
		BytesRead: r.BytesRead, BytesWritten: r.BytesWritten}
}
