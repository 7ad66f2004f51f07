package job

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/strictjson"
	"github.com/datasync-go/datasync/job/datasource"
)

// Job is a validated job file with its connectors built. Nothing has
// connected yet: that happens when a pipeline runs or checks. Close releases
// what the connectors hold.
type Job struct {
	// Dialect is the file's: DataX's job or DataWorks' script.
	Dialect Dialect
	// Setting is job.setting as read from the file (a DataWorks script's
	// setting translated: concurrent as channel, mbps as byte).
	Setting Setting
	// Tasks are the file's content entries, in order.
	Tasks []*Task
	// Warnings are the settings accepted for compatibility that have no
	// effect here, each with its JSON path; a command shows them before it
	// runs the job.
	Warnings []Warning
	// DirtyPath is where dirty records are written as JSON lines when the
	// policy tolerates some and no dirty writer is set ("" otherwise). The
	// file is created with the first dirty record.
	DirtyPath string

	dirtySink   datasync.Sink
	dirtyFile   *lazyFile
	redactor    *Redactor
	registry    *Registry
	dataSources *dataSources
	closers     []io.Closer
}

// Task is one reader/writer pair of a job: a DataX job's content entry, or
// a DataWorks script's hop.
type Task struct {
	Index int
	// Path is where the task is in the file: "job.content[0]", or
	// "order.hops[0]" in a DataWorks script.
	Path string
	// ReaderName and WriterName are the connectors' registered names
	// (mysqlreader, postgresqlwriter).
	ReaderName string
	WriterName string
	// ReaderStep and WriterStep are the steps' names in a DataWorks script
	// ("" in a DataX job).
	ReaderStep string
	WriterStep string
	Source     datasync.Source
	Sink       datasync.Sink
	// Transformers are the task's DataX transformers, run in order on every
	// record (datasync.WithTransform).
	Transformers []datasync.Transformer
}

// Options returns the pipeline options of the task itself, which go after
// the job's (Job.Options) and before a caller's: its transformers.
func (t *Task) Options() []datasync.Option {
	if len(t.Transformers) == 0 {
		return nil
	}
	return []datasync.Option{datasync.WithTransform(t.Transformers...)}
}

// Options are what a job file is read with.
type Options struct {
	// Registry holds the connectors the file may name; nil means
	// DefaultRegistry.
	Registry *Registry
	// Vars are the values of ${name} in the file (the command line's -p);
	// a name not in Vars is a scheduling parameter (see the package doc) or
	// else taken from the environment.
	Vars map[string]string
	// DataSources is the catalog the file's "datasource" settings name.
	// Nil means the catalog at datasource.DefaultPath, read only if the
	// file names a data source.
	DataSources *datasource.Catalog
	// RunDate is the scheduled time scheduling parameters are computed
	// from ($[yyyymmdd], ${bizdate} = the day before...); the zero time
	// means now, in the local time zone.
	RunDate time.Time
}

func (o Options) registry() *Registry {
	if o.Registry == nil {
		return DefaultRegistry
	}
	return o.Registry
}

// Load reads the job file at path and parses it (see Parse).
func Load(path string, o Options) (*Job, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &InvalidError{Problems: []error{err}}
	}
	return Parse(data, o)
}

// Parse substitutes variables in data, validates it and builds the
// connectors it names. Every problem is reported at once in an
// *InvalidError; no connection is made and no data moves.
func Parse(data []byte, o Options) (*Job, error) {
	// Comments and trailing commas go first, so that a ${name} in a
	// comment is not substituted.
	text, err := substitute(strictjson.Lenient(data), o.filler())
	if err != nil {
		return nil, err
	}
	if isDataWorks(text) {
		return parseDataWorks(text, o)
	}
	var f file
	var problems []error
	if err := strictjson.Decode(text, &f, ""); err != nil {
		// Go on with what did decode, to report the connectors' problems too.
		problems = unjoin(err)
	}
	j := o.newJob()
	j.Dialect = DataX
	j.Setting = f.Job.Setting
	j.Warnings = append(j.Warnings, topLevelSetting(f.Setting)...)
	j.Warnings = append(j.Warnings, engineSettings(f.Core, f.Common, f.Entry)...)
	j.Warnings = append(j.Warnings, f.Job.Setting.Speed.unlimited("job.setting.speed")...)
	problems = append(problems, f.Job.Setting.check("job.setting")...)
	for i, c := range f.Job.Content {
		path := fmt.Sprintf("job.content[%d]", i)
		t := &Task{Index: i, Path: path, ReaderName: c.Reader.Name, WriterName: c.Writer.Name}
		var errs []error
		if c.Reader.Name != "" { // else already reported as missing
			t.Source, errs = j.buildSource(c.Reader, path+".reader")
			problems = append(problems, errs...)
		}
		if c.Writer.Name != "" {
			c.Writer.Parameter = defaultProgressJob(c.Writer.Parameter, c.Reader.Parameter)
			t.Sink, errs = j.buildSink(c.Writer, path+".writer")
			problems = append(problems, errs...)
		}
		t.Transformers, errs = buildTransformers(c.Transformer, path+".transformer")
		problems = append(problems, errs...)
		j.Tasks = append(j.Tasks, t)
	}
	return j.finish("job.setting", problems)
}

// finish builds the dirty writer, if any, and returns the job, or every
// problem found (redacted) with the job closed.
func (j *Job) finish(settingPath string, problems []error) (*Job, error) {
	if d := j.Setting.Dirty; d != nil && d.Writer != nil {
		var errs []error
		j.dirtySink, errs = j.buildSink(*d.Writer, settingPath+".dirty.writer")
		problems = append(problems, errs...)
	}
	if len(problems) > 0 {
		_ = j.Close()
		return nil, &InvalidError{Problems: j.redactErrors(problems)}
	}
	return j, nil
}

// newJob returns an empty job with what o gives it.
func (o Options) newJob() *Job {
	r := newRedactor()
	return &Job{redactor: r, registry: o.registry(), dataSources: &dataSources{redactor: r, catalog: o.DataSources}}
}

func (j *Job) buildSource(p plugin, path string) (datasync.Source, []error) {
	c, ok := j.registry.Lookup(p.Name)
	if !ok || c.Source == nil {
		return nil, []error{unknownConnector(p.Name, path, "reader", j.registry.SourceNames(), ok)}
	}
	return build(j, p, path, c.Source.accepted, c.Source.refuse, c.Source.Decode, c.Source.Build)
}

func (j *Job) buildSink(p plugin, path string) (datasync.Sink, []error) {
	c, ok := j.registry.Lookup(p.Name)
	if !ok || c.Sink == nil {
		return nil, []error{unknownConnector(p.Name, path, "writer", j.registry.SinkNames(), ok)}
	}
	return build(j, p, path, c.Sink.accepted, c.Sink.refuse, c.Sink.Decode, c.Sink.Build)
}

// build decodes a plugin's parameters, collects their secrets, and builds
// the connector, keeping it to close with the job. What the connector
// refuses outright is reported alone; the settings it accepts and ignores
// become warnings.
func build[T any](j *Job, p plugin, path string, accepted []Accepted, refuse Refusal, decode func(json.RawMessage) (any, error), make func(any) (T, error)) (T, []error) {
	var zero T
	if refuse != nil {
		if err := refuse(p.Parameter); err != nil {
			return zero, rootParamErrors(err, path+".parameter")
		}
	}
	raw, warnings := dropAccepted(p.Parameter, accepted, path+".parameter")
	j.Warnings = append(j.Warnings, warnings...)
	params, err := decode(raw)
	if err != nil {
		err = suggestAccepted(err, accepted)
		return zero, rootParamErrors(err, path+".parameter")
	}
	if u, ok := params.(DataSourceUser); ok {
		if err := u.ResolveDataSources(j.dataSources.lookup(p.Name)); err != nil {
			return zero, rootParamErrors(err, path+".parameter")
		}
	}
	j.redactor.collect(params)
	built, err := make(params)
	if err != nil {
		return zero, rootParamErrors(err, path+".parameter")
	}
	if c, ok := any(built).(io.Closer); ok {
		j.closers = append(j.closers, c)
	}
	return built, nil
}

func unknownConnector(name, path, role string, names []string, registered bool) error {
	if msg := unsupportedPlugin(name, role, names, registered); msg != "" {
		return errors.New(path + ".name: " + msg)
	}
	msg := fmt.Sprintf("%s.name: no %s named %q", path, role, name)
	if s := strictjson.Suggest(name, names); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else {
		msg += "; known: " + strings.Join(names, ", ")
	}
	return errors.New(msg)
}

// rootParamErrors puts the connector's parameter paths under path.
func rootParamErrors(err error, path string) []error {
	var out []error
	for _, e := range unjoin(err) {
		var pe *ParamError
		if errors.As(e, &pe) {
			p := path
			if pe.Path != "" {
				p += "." + pe.Path
			}
			out = append(out, fmt.Errorf("%s: %w", p, pe.Err))
			continue
		}
		out = append(out, fmt.Errorf("%s: %w", path, e))
	}
	return out
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// check returns the problems of s, whose JSON path is prefix
// ("job.setting", or "setting" in a DataWorks script).
func (s Setting) check(prefix string) []error {
	var errs []error
	if s.Speed.Channel < 0 {
		errs = append(errs, fmt.Errorf(prefix+".speed.channel: %d is negative", s.Speed.Channel))
	}
	if p := s.ErrorLimit.Percentage; p != nil && (*p < 0 || *p > 1) {
		errs = append(errs, fmt.Errorf(prefix+".errorLimit.percentage: %v is not between 0 and 1 (0.02 is 2%%)", *p))
	}
	if r := s.ErrorLimit.Record; r != nil && *r < 0 {
		errs = append(errs, fmt.Errorf(prefix+".errorLimit.record: %d is negative", *r))
	}
	if s.Retry != nil && s.Retry.Backoff != "" {
		if d, err := time.ParseDuration(s.Retry.Backoff); err != nil || d < 0 {
			errs = append(errs, fmt.Errorf(prefix+".retry.backoff: %q is not a duration such as \"500ms\" or \"2s\"", s.Retry.Backoff))
		}
	}
	if s.Retry != nil && s.Retry.Attempts != nil && *s.Retry.Attempts < 0 {
		errs = append(errs, errors.New(prefix+".retry.attempts: cannot be negative"))
	}
	if s.StallTimeout != "" {
		if d, err := time.ParseDuration(s.StallTimeout); err != nil || d < 0 {
			errs = append(errs, fmt.Errorf("job.setting.stallTimeout: %q is not a duration such as \"2m\" or \"90s\" (\"0\" disables the watchdog)", s.StallTimeout))
		}
	}
	if s.Batch != nil && (s.Batch.Rows < 0 || s.Batch.Bytes < 0) {
		errs = append(errs, errors.New(prefix+".batch: rows and bytes cannot be negative"))
	}
	errs = append(errs, s.Flush.check(prefix)...)
	if s.Dirty != nil && s.Dirty.Path != "" && s.Dirty.Writer != nil {
		errs = append(errs, errors.New(prefix+".dirty: give a path or a writer, not both"))
	}
	return errs
}

// Options returns the pipeline options the job's settings ask for, the
// dirty-data collector included (opening the dirty file when one is needed).
func (j *Job) Options() ([]datasync.Option, error) {
	s := j.Setting
	opts := []datasync.Option{}
	if n := j.parallelism(); n > 0 {
		opts = append(opts, datasync.WithParallelism(n))
	}
	if s.Speed.Byte > 0 || s.Speed.Record > 0 {
		opts = append(opts, datasync.WithRateLimit(datasync.Rate{RecordsPerSec: s.Speed.Record, BytesPerSec: s.Speed.Byte}))
	}
	if s.Retry != nil {
		attempts, backoff := datasync.DefaultRetries, datasync.DefaultRetryBackoff
		if s.Retry.Attempts != nil {
			attempts = *s.Retry.Attempts
		}
		if s.Retry.Backoff != "" {
			backoff, _ = time.ParseDuration(s.Retry.Backoff) // checked by Parse
		}
		opts = append(opts, datasync.WithRetry(attempts, backoff))
	}
	if s.Batch != nil {
		rows, bytes := datasync.DefaultBatchRows, datasync.DefaultBatchBytes
		if s.Batch.Rows > 0 {
			rows = s.Batch.Rows
		}
		if s.Batch.Bytes > 0 {
			bytes = s.Batch.Bytes
		}
		opts = append(opts, datasync.WithBatchSize(rows, bytes))
	}
	if o, ok := s.Flush.option(); ok {
		opts = append(opts, o)
	}
	if s.StallTimeout != "" {
		d, _ := time.ParseDuration(s.StallTimeout) // checked by Parse
		opts = append(opts, datasync.WithStallTimeout(d))
	}
	policy, err := j.dirtyPolicy()
	if err != nil {
		return nil, err
	}
	return append(opts, datasync.WithDirtyPolicy(policy)), nil
}

// dirtyPolicy maps errorLimit to a DirtyPolicy, with a collector whenever
// dirty records are tolerated: the dirty writer, the dirty path, or else a
// file named after the job's start time in the current directory.
func (j *Job) dirtyPolicy() (datasync.DirtyPolicy, error) {
	var p datasync.DirtyPolicy
	limit := j.Setting.ErrorLimit
	switch {
	case limit.Record != nil:
		p.MaxRecords = *limit.Record
	case limit.Percentage != nil:
		p.MaxRecords = -1 // only the ratio limits
	}
	if limit.Percentage != nil {
		p.MaxRatio = *limit.Percentage
	}
	if p.MaxRecords == 0 && p.MaxRatio == 0 {
		return p, nil
	}
	if j.dirtySink != nil {
		p.Collector = datasync.DirtyToSink(j.dirtySink)
		return p, nil
	}
	if j.dirtyFile == nil {
		path := "datasync-dirty-" + time.Now().Format("20060102-150405") + ".jsonl"
		if d := j.Setting.Dirty; d != nil && d.Path != "" {
			path = d.Path
		}
		j.dirtyFile = &lazyFile{path: path}
		j.DirtyPath = path
	}
	p.Collector = datasync.DirtyToJSONLines(j.dirtyFile)
	return p, nil
}

// Pipelines returns one pipeline per task, with the job's options, the
// task's transformers, then extra options (such as progress reporting and a
// logger; transformers among them run after the task's).
func (j *Job) Pipelines(extra ...datasync.Option) ([]*datasync.Pipeline, error) {
	opts, err := j.Options()
	if err != nil {
		return nil, err
	}
	var out []*datasync.Pipeline
	for _, t := range j.Tasks {
		p, err := datasync.NewPipeline(t.Source, t.Sink, slices.Concat(opts, t.Options(), extra)...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Path, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// Plan plans every task's splits without moving data.
func (j *Job) Plan(ctx context.Context) ([][]datasync.Split, error) {
	pipelines, err := j.Pipelines()
	if err != nil {
		return nil, err
	}
	out := make([][]datasync.Split, len(pipelines))
	for i, p := range pipelines {
		if out[i], err = p.Plan(ctx); err != nil {
			return nil, fmt.Errorf("%s: %w", j.Tasks[i].Path, err)
		}
	}
	return out, nil
}

// Redact returns s with every secret of the job blotted out.
func (j *Job) Redact(s string) string { return j.redactor.Redact(s) }

// Redactor returns the job's redactor, for wrapping log output.
func (j *Job) Redactor() *Redactor { return j.redactor }

func (j *Job) redactErrors(errs []error) []error {
	return slices.Collect(func(yield func(error) bool) {
		for _, e := range errs {
			if !yield(redactedError{err: e, text: j.Redact(e.Error())}) {
				return
			}
		}
	})
}

// Close releases the connectors' resources and the dirty-data file.
func (j *Job) Close() error {
	var errs []error
	for _, c := range j.closers {
		errs = append(errs, c.Close())
	}
	if j.dirtyFile != nil {
		errs = append(errs, j.dirtyFile.Close())
	}
	return errors.Join(errs...)
}
