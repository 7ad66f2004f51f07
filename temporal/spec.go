package temporal

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// JobSpec names the job a workflow runs, in a form that is safe to keep in
// workflow history: never resolved connection settings. Exactly one of
// Text, Path and Factory is set.
//
// A job file (Text or Path) is parsed on each worker with that worker's
// connector registry, data-source catalog and environment, so a password
// written ${pg_password} in the file, or kept in a data source, is read by
// the worker that needs it and never reaches the Temporal server. Vars are
// kept in history: give secrets to the workers (environment, catalog), not
// as Vars.
type JobSpec struct {
	// Text is a job file's text, of either dialect (a DataX job or a
	// DataWorks script), before ${name} substitution.
	Text string `json:"text,omitempty"`
	// Path is a job file's path on the workers, which all see the same
	// file (a shared volume, or a file baked into their image).
	Path string `json:"path,omitempty"`
	// Factory is the name of a pipeline factory registered on the workers
	// (Worker.Factories), for programs with their own connectors; Args are
	// its arguments.
	Factory string          `json:"factory,omitempty"`
	Args    json.RawMessage `json:"args,omitempty"`

	// Vars are the values of ${name} in a job file (the command line's -p).
	Vars map[string]string `json:"vars,omitempty"`
	// RunDate is the scheduled time DataWorks' scheduling parameters are
	// computed from. Start sets it to the time of the start when it is
	// zero, so that every worker computes the same ${bizdate}.
	RunDate time.Time `json:"runDate"`
}

// validate reports a spec that names no job, or more than one.
func (s JobSpec) validate() error {
	n := 0
	for _, set := range []bool{s.Text != "", s.Path != "", s.Factory != ""} {
		if set {
			n++
		}
	}
	switch {
	case n == 0:
		return errors.New("datasync/temporal: the job spec names no job: set Text, Path or Factory")
	case n > 1:
		return errors.New("datasync/temporal: the job spec names more than one job: set only one of Text, Path and Factory")
	case s.Factory == "" && len(s.Args) > 0:
		return errors.New("datasync/temporal: the job spec has Args but no Factory to give them to")
	case s.Factory != "" && len(s.Vars) > 0:
		return fmt.Errorf("datasync/temporal: the job spec has Vars, which only a job file uses, with factory %q", s.Factory)
	}
	return nil
}

// describe names the job for logs and errors.
func (s JobSpec) describe() string {
	switch {
	case s.Path != "":
		return "job file " + s.Path
	case s.Factory != "":
		return "factory " + s.Factory
	}
	return "job file text"
}

// JobInput is the workflow's input: the job and how its splits are run.
// Zero fields take the defaults named after them.
type JobInput struct {
	Job JobSpec `json:"job"`
	// HeartbeatTimeout is how long a split's activity may go without a
	// heartbeat before Temporal counts its worker lost and runs the split
	// again elsewhere, from its last checkpoint (DefaultHeartbeatTimeout).
	HeartbeatTimeout time.Duration `json:"heartbeatTimeout,omitempty"`
	// SplitTimeout bounds one attempt at one split, and PrepareTimeout
	// the Prepare, Plan, Finalize and Abort activities.
	SplitTimeout   time.Duration `json:"splitTimeout,omitempty"`
	PrepareTimeout time.Duration `json:"prepareTimeout,omitempty"`
	// MaxAttempts is how many times an activity is tried in all: a lost
	// worker, or a connection failure that outlasted the pipeline's own
	// retries, uses up one attempt (DefaultMaxAttempts).
	MaxAttempts int32 `json:"maxAttempts,omitempty"`
	// RetryInterval is the wait before an activity's second attempt,
	// doubled for each later one up to a minute (DefaultRetryInterval).
	RetryInterval time.Duration `json:"retryInterval,omitempty"`
	// ReportEvery is how often a running split reports its counts to the
	// workflow, for the progress query and the dirty-data policy
	// (DefaultReportEvery). A split reports at once when it finds a dirty
	// record, at most every MinDirtyReportGap. Each report is a signal in
	// the workflow's history.
	ReportEvery time.Duration `json:"reportEvery,omitempty"`
}

// The defaults of JobInput.
const (
	DefaultHeartbeatTimeout = 30 * time.Second
	DefaultSplitTimeout     = 24 * time.Hour
	DefaultPrepareTimeout   = time.Hour
	DefaultMaxAttempts      = 10
	DefaultRetryInterval    = time.Second
	DefaultReportEvery      = 10 * time.Second
	// MinDirtyReportGap is the shortest time between two reports of one
	// split caused by dirty records.
	MinDirtyReportGap = 250 * time.Millisecond
)

// withDefaults fills in the zero fields.
func (in JobInput) withDefaults() JobInput {
	if in.HeartbeatTimeout <= 0 {
		in.HeartbeatTimeout = DefaultHeartbeatTimeout
	}
	if in.SplitTimeout <= 0 {
		in.SplitTimeout = DefaultSplitTimeout
	}
	if in.PrepareTimeout <= 0 {
		in.PrepareTimeout = DefaultPrepareTimeout
	}
	if in.MaxAttempts <= 0 {
		in.MaxAttempts = DefaultMaxAttempts
	}
	if in.RetryInterval <= 0 {
		in.RetryInterval = DefaultRetryInterval
	}
	if in.ReportEvery <= 0 {
		in.ReportEvery = DefaultReportEvery
	}
	return in
}
