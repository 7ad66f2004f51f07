package temporal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datasource"
)

// Pipelines are a job's pipelines as a worker builds them, one per task,
// with what releases their connectors.
type Pipelines struct {
	Tasks []*datasync.Pipeline
	// Close releases what the pipelines' connectors hold; nil when nothing
	// needs releasing.
	Close func() error
}

// Factory builds a job's pipelines on a worker from the arguments the job
// was started with (JobSpec.Args), for programs with their own connectors.
// It is called by every activity of the job, on whichever worker runs it,
// so it must build the same pipelines, planning the same splits, each time.
// Each pipeline's settings (WithParallelism, WithRateLimit,
// WithDirtyPolicy) are the job's, shared out across the workers.
type Factory func(ctx context.Context, args json.RawMessage) (*Pipelines, error)

// Worker holds what a worker process runs jobs with: its connectors, its
// data-source catalog, its factories. Register it on a Temporal worker:
//
//	w := worker.New(c, temporal.DefaultTaskQueue, worker.Options{})
//	(&temporal.Worker{}).Register(w)
//	err := w.Run(worker.InterruptCh())
//
// Every worker of a task queue should be registered with the same
// connectors and factories. The zero Worker runs job files with
// job.DefaultRegistry and the catalog at datasource.DefaultPath.
type Worker struct {
	// Registry holds the connectors job files may name; nil means
	// job.DefaultRegistry.
	Registry *job.Registry
	// DataSources is the catalog job files' "datasource" settings name;
	// nil means the catalog at datasource.DefaultPath, read when a job
	// names a data source.
	DataSources *datasource.Catalog
	// Factories are the pipeline factories jobs may name (JobSpec.Factory).
	Factories map[string]Factory
	// Options are added to every pipeline this worker builds, after the
	// job's own (a logger, WithFlushEvery, WithStallTimeout...). The job's
	// parallelism, rate limit and dirty policy are the workflow's to share
	// out: they should not be set here.
	Options []datasync.Option
	// DirtyDir is where the dirty records of a job file whose dirty data
	// goes to a file are written, one file per split:
	// <name>-<workflow id>-<task>-<split id>.jsonl, <name> being the job's
	// dirty.path without its extension ("datasync-dirty" when it has
	// none). "" means the job's dirty.path directory, or else the working
	// directory. A job whose dirty data goes to a writer (a table) writes
	// there from every worker.
	DirtyDir string
	// Logger receives the worker's own log lines; nil means none.
	Logger *slog.Logger
}

// The names the workflow and its activities are registered under.
const (
	WorkflowName     = "datasync.Job"
	PrepareActivity  = "datasync.Prepare"
	PlanActivity     = "datasync.Plan"
	SplitActivity    = "datasync.RunSplit"
	FinalizeActivity = "datasync.Finalize"
	AbortActivity    = "datasync.Abort"
	// DefaultTaskQueue is the task queue the command line uses by default.
	DefaultTaskQueue = "datasync"
)

// Register registers the job workflow and its activities on r (a
// worker.Worker).
func (w *Worker) Register(r worker.Registry) {
	r.RegisterWorkflowWithOptions(JobWorkflow, workflow.RegisterOptions{Name: WorkflowName})
	a := &activities{w: w}
	r.RegisterActivityWithOptions(a.prepare, activity.RegisterOptions{Name: PrepareActivity})
	r.RegisterActivityWithOptions(a.plan, activity.RegisterOptions{Name: PlanActivity})
	r.RegisterActivityWithOptions(a.runSplit, activity.RegisterOptions{Name: SplitActivity})
	r.RegisterActivityWithOptions(a.finalize, activity.RegisterOptions{Name: FinalizeActivity})
	r.RegisterActivityWithOptions(a.abort, activity.RegisterOptions{Name: AbortActivity})
}

func (w *Worker) logger() *slog.Logger {
	if w.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Logger
}

// scope says which activity a job is loaded for, to name its dirty file.
type scope struct {
	workflowID string
	task       int
	split      string // "" outside a split
}

// load builds the job's pipelines on this worker.
func (w *Worker) load(ctx context.Context, spec JobSpec, sc scope) (*Pipelines, error) {
	if err := spec.validate(); err != nil {
		return nil, invalidJob(err)
	}
	if spec.Factory != "" {
		f, ok := w.Factories[spec.Factory]
		if !ok {
			return nil, invalidJob(fmt.Errorf("datasync/temporal: no factory named %q on this worker (it has %s)", spec.Factory, factoryNames(w.Factories)))
		}
		ps, err := f(ctx, spec.Args)
		if err != nil {
			return nil, fmt.Errorf("datasync/temporal: factory %q: %w", spec.Factory, err)
		}
		if ps == nil || len(ps.Tasks) == 0 {
			closePipelines(ps)
			return nil, invalidJob(fmt.Errorf("datasync/temporal: factory %q built no pipeline", spec.Factory))
		}
		if len(w.Options) > 0 {
			for i, p := range ps.Tasks {
				if ps.Tasks[i], err = p.With(w.Options...); err != nil {
					closePipelines(ps)
					return nil, invalidJob(fmt.Errorf("datasync/temporal: the worker's options: %w", err))
				}
			}
		}
		return ps, nil
	}
	opts := job.Options{Registry: w.Registry, Vars: spec.Vars, DataSources: w.DataSources, RunDate: spec.RunDate}
	var j *job.Job
	var err error
	if spec.Text != "" {
		j, err = job.Parse([]byte(spec.Text), opts)
	} else {
		j, err = job.Load(spec.Path, opts)
	}
	if err != nil {
		return nil, invalidJob(err)
	}
	w.dirtyFile(j, sc)
	pipelines, err := j.Pipelines(w.Options...)
	if err != nil {
		_ = j.Close()
		return nil, invalidJob(errors.New(j.Redact(err.Error())))
	}
	return &Pipelines{Tasks: pipelines, Close: j.Close}, nil
}

// dirtyFile gives each split its own dirty-data file, when the job's dirty
// records go to a file: two workers, or two splits on one worker, must not
// write the same file.
func (w *Worker) dirtyFile(j *job.Job, sc scope) {
	d := j.Setting.Dirty
	if d != nil && d.Writer != nil {
		return
	}
	base := "datasync-dirty.jsonl"
	if d != nil && d.Path != "" {
		base = d.Path
	}
	dir := filepath.Dir(base)
	if w.DirtyDir != "" {
		dir = w.DirtyDir
	}
	stem := strings.TrimSuffix(filepath.Base(base), filepath.Ext(base))
	name := fmt.Sprintf("%s-%s-%d", stem, sc.workflowID, sc.task)
	if sc.split != "" {
		name += "-" + sc.split
	}
	j.Setting.Dirty = &job.Dirty{Path: filepath.Join(dir, safeFileName(name)+".jsonl")}
}

// safeFileName replaces what cannot be in a file name.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\' || r == ':' || r == 0 || r == '*' || r == '?' || r == '"' || r == '<' || r == '>' || r == '|':
			return '_'
		}
		return r
	}, s)
}

func closePipelines(ps *Pipelines) error {
	if ps == nil || ps.Close == nil {
		return nil
	}
	return ps.Close()
}

func factoryNames(m map[string]Factory) string {
	if len(m) == 0 {
		return "none"
	}
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, fmt.Sprintf("%q", n))
	}
	return strings.Join(names, ", ")
}
