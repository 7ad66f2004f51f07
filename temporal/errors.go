package temporal

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/datasync-go/datasync"
)

// The types of the application errors the activities and the workflow fail
// with, as temporal.ApplicationError.Type() reports them. None is retried.
const (
	// ErrTypeInvalidJob: the job file or spec is invalid on a worker (a
	// mistake in the file, a missing variable or data source, an unknown
	// factory).
	ErrTypeInvalidJob = "datasync.InvalidJob"
	// ErrTypeDirtyLimit: the dirty records passed the job's policy; the
	// error's details are a DirtyLimitDetails.
	ErrTypeDirtyLimit = "datasync.DirtyLimit"
	// ErrTypeFailed: a split or a once-per-job step failed with an error
	// that retrying does not cure (after the pipeline's own retries).
	ErrTypeFailed = "datasync.Failed"
)

// DirtyLimitDetails are the details of an ErrTypeDirtyLimit error: the
// counts over the whole job when it stopped.
type DirtyLimitDetails struct {
	Dirty      int64   `json:"dirty"`
	Read       int64   `json:"read"`
	MaxRecords int64   `json:"maxRecords"`
	MaxRatio   float64 `json:"maxRatio"`
	ByRate     bool    `json:"byRate"`
}

// invalidJobError marks a job that cannot be loaded on a worker.
type invalidJobError struct{ err error }

func (e *invalidJobError) Error() string { return e.err.Error() }
func (e *invalidJobError) Unwrap() error { return e.err }

func invalidJob(err error) error { return &invalidJobError{err: err} }

// activityError turns an error of the datasync API into what an activity
// returns: non-retryable application errors for what retrying cannot cure
// (an invalid job, the dirty-data limit, a permanent failure); the error as
// it is, which Temporal retries, for a retryable one (a connection failure
// that outlasted the pipeline's retries) and for a stop of the worker.
func activityError(err error) error {
	if err == nil {
		return nil
	}
	var invalid *invalidJobError
	var dirty *datasync.DirtyLimitError
	switch {
	case errors.As(err, &invalid):
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeInvalidJob, nil)
	case errors.As(err, &dirty):
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeDirtyLimit, nil,
			DirtyLimitDetails{Dirty: dirty.Dirty, Read: dirty.Read, MaxRecords: dirty.Policy.MaxRecords, MaxRatio: dirty.Policy.MaxRatio, ByRate: dirty.ByRate})
	case errors.Is(err, datasync.ErrDirtyLimit):
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeDirtyLimit, nil)
	case datasync.IsRetryable(err), isStopOrCancel(err):
		return err
	}
	return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeFailed, nil)
}

// DirtyLimitError is returned by Run (and JobError) when the workflow
// stopped because the dirty records of the whole job passed its policy. It
// matches datasync.ErrDirtyLimit.
type DirtyLimitError struct {
	DirtyLimitDetails
	Err error // the workflow's error
}

func (e *DirtyLimitError) Error() string {
	if e.ByRate {
		return fmt.Sprintf("datasync/temporal: dirty-data limit exceeded across the workers: %d dirty of %d records read is over %.4g%%",
			e.Dirty, e.Read, 100*e.MaxRatio)
	}
	return fmt.Sprintf("datasync/temporal: dirty-data limit exceeded across the workers: %d dirty records, more than the %d allowed",
		e.Dirty, max(e.MaxRecords, 0))
}

// Is matches datasync.ErrDirtyLimit.
func (e *DirtyLimitError) Is(target error) bool { return target == datasync.ErrDirtyLimit }

// Unwrap returns the workflow's error.
func (e *DirtyLimitError) Unwrap() error { return e.Err }

// JobError turns the error of a job's workflow (from WorkflowRun.Get) into
// one the datasync API matches: a *DirtyLimitError when the dirty-data
// policy stopped it (errors.Is(err, datasync.ErrDirtyLimit)); otherwise the
// error as it is (temporal.IsCanceledError for a cancelled job).
func JobError(err error) error {
	if err == nil {
		return nil
	}
	if app := findApplicationError(err, ErrTypeDirtyLimit); app != nil {
		e := &DirtyLimitError{Err: err}
		if app.HasDetails() {
			_ = app.Details(&e.DirtyLimitDetails)
		}
		return e
	}
	return err
}

// isStopOrCancel reports whether err comes from a cancelled context: the
// workflow cancelling the split, or the worker stopping.
func isStopOrCancel(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// findApplicationError returns the first application error of type typ in
// err's chain. errors.As is not enough: a workflow error wrapped by the
// workflow (fmt.Errorf) comes back as an application error of its own type
// whose cause is the one looked for.
func findApplicationError(err error, typ string) *temporal.ApplicationError {
	for err != nil {
		if app, ok := err.(*temporal.ApplicationError); ok && app.Type() == typ {
			return app
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if app := findApplicationError(e, typ); app != nil {
					return app
				}
			}
			return nil
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		default:
			return nil
		}
	}
	return nil
}
