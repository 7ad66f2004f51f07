package temporal

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/datasync-go/datasync"
)

// JobWorkflow runs a job across the workers of its task queue. For each of
// the job's tasks: the Prepare activity (the sink's pre-SQL and checks),
// the Plan activity, then one activity per split, at most the job's
// parallelism at a time over the whole cluster, each running
// Pipeline.RunSplit with its share of the job's rate limit and heartbeating
// its checkpoints, so that a split whose worker is lost is run again on
// another from where it stopped; then Finalize (post-SQL). A failure, the
// dirty-data policy passed by the sum of the splits' dirty records, or the
// workflow's cancellation stops the running splits and runs Abort.
//
// The query QueryProgress returns a Progress; the result is a Result.
func JobWorkflow(ctx workflow.Context, in JobInput) (Result, error) {
	in = in.withDefaults()
	st := &jobState{start: workflow.Now(ctx), phase: PhasePrepare, tasks: 1,
		running: map[string]SplitReport{}, finished: map[string]bool{}}
	if err := workflow.SetQueryHandler(ctx, QueryProgress, func() (Progress, error) {
		return st.progress(workflow.Now(ctx)), nil
	}); err != nil {
		return Result{}, err
	}
	if err := in.Job.validate(); err != nil {
		return Result{}, temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeInvalidJob, nil)
	}
	reports := workflow.GetSignalChannel(ctx, SignalSplitReport)
	var err error
	for task := 0; task < st.tasks && err == nil; task++ {
		st.task = task
		err = runTask(ctx, in, st, reports)
	}
	for { // reports that came after their split ended
		var r SplitReport
		if !reports.ReceiveAsync(&r) {
			break
		}
	}
	res := st.result(workflow.Now(ctx))
	if err != nil {
		st.phase = PhaseFailed
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		return res, err
	}
	st.phase = PhaseDone
	return res, nil
}

// runTask runs one task of the job.
func runTask(ctx workflow.Context, in JobInput, st *jobState, reports workflow.ReceiveChannel) error {
	ti := taskInput{Job: in.Job, Task: st.task}
	once := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: in.PrepareTimeout,
		RetryPolicy:         in.retryPolicy(),
	})

	st.phase = PhasePrepare
	var prep prepareOutput
	if err := workflow.ExecuteActivity(once, PrepareActivity, ti).Get(ctx, &prep); err != nil {
		return fmt.Errorf("task %d: prepare: %w", st.task, err)
	}
	st.tasks, st.settings = prep.Tasks, prep.Settings

	st.phase = PhasePlan
	var splits []datasync.Split
	if err := workflow.ExecuteActivity(once, PlanActivity, ti).Get(ctx, &splits); err != nil {
		return abort(ctx, in, st, fmt.Errorf("task %d: plan: %w", st.task, err))
	}
	st.planned(splits)

	st.phase = PhaseSplits
	if err := runSplits(ctx, in, st, splits, reports); err != nil {
		return abort(ctx, in, st, err)
	}
	if over, byRate := st.settings.over(st.taskDone.RecordsDirty, st.taskDone.RecordsRead, st.expected, true); over {
		return abort(ctx, in, st, st.dirtyLimit(byRate, st.taskDone))
	}

	st.phase = PhaseFinalize
	if err := workflow.ExecuteActivity(once, FinalizeActivity, ti).Get(ctx, nil); err != nil {
		return abort(ctx, in, st, fmt.Errorf("task %d: finalize: %w", st.task, err))
	}
	return nil
}

// abort runs the Abort activity after a failure or a cancellation, even
// when the workflow is cancelled, and returns err (with Abort's error).
func abort(ctx workflow.Context, in JobInput, st *jobState, err error) error {
	st.phase = PhaseAbort
	dctx, _ := workflow.NewDisconnectedContext(ctx)
	dctx = workflow.WithActivityOptions(dctx, workflow.ActivityOptions{
		StartToCloseTimeout: in.PrepareTimeout,
		RetryPolicy:         in.retryPolicy(),
	})
	if aerr := workflow.ExecuteActivity(dctx, AbortActivity, taskInput{Job: in.Job, Task: st.task}).Get(dctx, nil); aerr != nil {
		workflow.GetLogger(ctx).Warn("cleaning up after the failed job failed", "task", st.task, "error", aerr)
		if ctx.Err() == nil {
			return errors.Join(err, fmt.Errorf("task %d: abort: %w", st.task, aerr))
		}
	}
	return err
}

// runSplits runs a task's splits, the task's parallelism at a time, until
// all succeed or one fails, the dirty-data policy is passed, or the
// workflow is cancelled; then it waits for the running ones to stop.
func runSplits(ctx workflow.Context, in JobInput, st *jobState, splits []datasync.Split, reports workflow.ReceiveChannel) error {
	sctx, cancel := workflow.WithCancel(ctx)
	defer cancel()
	sctx = workflow.WithActivityOptions(sctx, workflow.ActivityOptions{
		StartToCloseTimeout: in.SplitTimeout,
		HeartbeatTimeout:    in.HeartbeatTimeout,
		WaitForCancellation: true,
		RetryPolicy:         in.retryPolicy(),
	})
	parallel := min(max(st.settings.Parallelism, 1), max(len(splits), 1))
	share := datasync.Rate{
		RecordsPerSec: st.settings.Rate.RecordsPerSec / float64(parallel),
		BytesPerSec:   st.settings.Rate.BytesPerSec / float64(parallel),
	}
	maxDirty := int64(-1)
	if s := st.settings; s.MaxDirty >= 0 && (s.MaxRatio == 0 || s.MaxDirty > 0) {
		maxDirty = s.MaxDirty
	}

	var stopErr error
	stop := func(err error) {
		if stopErr == nil {
			stopErr = err
			cancel()
		}
	}
	sel := workflow.NewSelector(ctx)
	sel.AddReceive(reports, func(c workflow.ReceiveChannel, _ bool) {
		var r SplitReport
		c.Receive(ctx, &r)
		st.report(r)
		sum := st.taskCounts()
		if over, byRate := st.settings.over(sum.RecordsDirty, sum.RecordsRead, st.expected, false); over {
			stop(st.dirtyLimit(byRate, sum))
		}
	})
	next, running := 0, 0
	for next < len(splits) || running > 0 {
		for stopErr == nil && ctx.Err() == nil && running < parallel && next < len(splits) {
			s := splits[next]
			next++
			running++
			st.started(st.task, s.ID)
			f := workflow.ExecuteActivity(sctx, SplitActivity, splitInput{
				Job: in.Job, Task: st.task, Split: s, Rate: share, MaxDirty: maxDirty,
				ReportEvery: int64(in.ReportEvery), Heartbeat: int64(in.HeartbeatTimeout),
			})
			sel.AddFuture(f, func(f workflow.Future) {
				running--
				var out SplitOutcome
				err := f.Get(ctx, &out)
				if err == nil {
					st.done(out)
					return
				}
				st.stopped(st.task, s.ID)
				switch {
				case temporal.IsCanceledError(err) || ctx.Err() != nil:
					// Stopped by the workflow: stopErr or the cancellation says why.
				case isDirtyLimit(err):
					stop(st.dirtyLimit(false, st.taskCounts()))
				default:
					stop(fmt.Errorf("task %d: split %q: %w", st.task, s.ID, err))
				}
			})
		}
		if running == 0 {
			break
		}
		sel.Select(ctx)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return stopErr
}

// isDirtyLimit reports whether an activity failed on the dirty-data limit.
func isDirtyLimit(err error) bool {
	var app *temporal.ApplicationError
	return errors.As(err, &app) && app.Type() == ErrTypeDirtyLimit
}

// retryPolicy is the activities' retry policy.
func (in JobInput) retryPolicy() *temporal.RetryPolicy {
	return &temporal.RetryPolicy{
		InitialInterval:        in.RetryInterval,
		BackoffCoefficient:     2,
		MaximumInterval:        max(in.RetryInterval, time.Minute),
		MaximumAttempts:        in.MaxAttempts,
		NonRetryableErrorTypes: []string{ErrTypeInvalidJob, ErrTypeDirtyLimit, ErrTypeFailed},
	}
}

// over applies the task's dirty-data policy to the job-wide counts, as
// datasync.DirtyPolicy says: while the job runs the ratio is taken over
// the largest of the records read, the plan's estimate and 1,000; at the
// end (final) over the records read.
func (s TaskSettings) over(dirty, read, expected int64, final bool) (over, byRate bool) {
	if dirty == 0 {
		return false, false
	}
	if s.MaxDirty >= 0 && (s.MaxRatio == 0 || s.MaxDirty > 0) && dirty > s.MaxDirty {
		return true, false
	}
	if s.MaxRatio > 0 {
		den := read
		if !final {
			den = max(read, expected, 1000)
		}
		if float64(dirty) > s.MaxRatio*float64(max(den, 1)) {
			return true, true
		}
	}
	return false, false
}
