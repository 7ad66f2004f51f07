package temporal

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"go.temporal.io/sdk/client"
)

// StartOptions say how a job's workflow is started.
type StartOptions struct {
	// ID is the workflow's ID; "" gives "datasync-<time>-<random>". A
	// workflow ID names one run of a job: Temporal refuses a second
	// workflow with the ID of one still running.
	ID string
	// TaskQueue is the task queue the workers poll; DefaultTaskQueue when
	// "".
	TaskQueue string
}

// Start starts a job's workflow and returns its run. A zero
// in.Job.RunDate is set to now, so that every worker computes the same
// scheduling parameters.
func Start(ctx context.Context, c client.Client, o StartOptions, in JobInput) (client.WorkflowRun, error) {
	if err := in.Job.validate(); err != nil {
		return nil, err
	}
	if in.Job.RunDate.IsZero() {
		in.Job.RunDate = time.Now()
	}
	if o.ID == "" {
		var b [4]byte
		_, _ = rand.Read(b[:])
		o.ID = "datasync-" + time.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b[:])
	}
	if o.TaskQueue == "" {
		o.TaskQueue = DefaultTaskQueue
	}
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: o.ID, TaskQueue: o.TaskQueue}, WorkflowName, in)
	if err != nil {
		return nil, fmt.Errorf("datasync/temporal: start the job's workflow: %w", err)
	}
	return run, nil
}

// Wait waits for a job's workflow to end and returns its result, with its
// error as JobError makes it.
func Wait(ctx context.Context, run client.WorkflowRun) (Result, error) {
	var res Result
	err := run.Get(ctx, &res)
	return res, JobError(err)
}

// Run starts a job's workflow and waits for it to end (Start, then Wait).
func Run(ctx context.Context, c client.Client, o StartOptions, in JobInput) (Result, error) {
	run, err := Start(ctx, c, o, in)
	if err != nil {
		return Result{}, err
	}
	return Wait(ctx, run)
}

// GetProgress queries a job's workflow for its progress; runID "" means
// the workflow's latest run.
func GetProgress(ctx context.Context, c client.Client, workflowID, runID string) (Progress, error) {
	v, err := c.QueryWorkflow(ctx, workflowID, runID, QueryProgress)
	if err != nil {
		return Progress{}, fmt.Errorf("datasync/temporal: query the progress of %s: %w", workflowID, err)
	}
	var p Progress
	if err := v.Get(&p); err != nil {
		return Progress{}, fmt.Errorf("datasync/temporal: read the progress of %s: %w", workflowID, err)
	}
	return p, nil
}
