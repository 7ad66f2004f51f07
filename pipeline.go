package datasync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Pipeline moves the records of a Source to a Sink. Build it with
// NewPipeline and start it with Run; or, for a distributed engine that runs
// one split per machine, use Plan, Prepare, RunSplit and Finalize.
//
// A Pipeline may be run more than once, but one Run at a time. RunSplit
// calls may run at the same time as each other (they share the rate limit).
type Pipeline struct {
	src      Source
	dst      Sink
	cfg      config
	throttle *throttle
	meters   *meters // nil without WithMeterProvider

	schemaMu sync.Mutex
	schema   Schema // the source's schema once known
	schemaOK bool
}

// NewPipeline returns a pipeline from src to dst. It reports every invalid
// option at once (errors.Is(err, ErrInvalidOption)); nothing runs until Run.
func NewPipeline(src Source, dst Sink, opts ...Option) (*Pipeline, error) {
	cfg, err := newConfig(opts)
	if src == nil {
		err = errors.Join(err, errors.New("datasync: NewPipeline: source is nil"))
	}
	if dst == nil {
		err = errors.Join(err, errors.New("datasync: NewPipeline: sink is nil"))
	}
	if err != nil {
		return nil, err
	}
	m, err := newMeters(cfg.ops.meterProvider)
	if err != nil {
		return nil, invalid("WithMeterProvider", "%v", err)
	}
	cfg.batchRows, cfg.batchBytes = cfg.rate.fitBatch(cfg.batchRows, cfg.batchBytes)
	return &Pipeline{
		src:      src,
		dst:      dst,
		cfg:      cfg,
		throttle: newThrottle(cfg.rate, cfg.batchRows, cfg.batchBytes),
		meters:   m,
	}, nil
}

// Plan returns the source's splits for the pipeline's parallelism, checked:
// every ID non-empty and unique.
func (p *Pipeline) Plan(ctx context.Context) ([]Split, error) {
	splits, err := p.src.Plan(ctx, PlanHint{Parallelism: p.cfg.parallelism})
	if err != nil {
		return nil, fmt.Errorf("datasync: plan the source: %w", err)
	}
	seen := make(map[string]bool, len(splits))
	for i, s := range splits {
		if s.ID == "" {
			return nil, fmt.Errorf("datasync: plan the source: split %d has no ID", i)
		}
		if seen[s.ID] {
			return nil, fmt.Errorf("datasync: plan the source: two splits have the ID %q", s.ID)
		}
		seen[s.ID] = true
	}
	return splits, nil
}

// Prepare reads the source's schema and prepares the sink with it (pre-SQL,
// truncation, checks). Run does this itself; a distributed engine calls it
// once, before any RunSplit.
func (p *Pipeline) Prepare(ctx context.Context) error {
	schema, err := p.sourceSchema(ctx)
	if err != nil {
		return err
	}
	if err := p.checkTransforms(schema); err != nil {
		return err
	}
	if err := p.dst.Prepare(ctx, schema); err != nil {
		return fmt.Errorf("datasync: prepare the sink: %w", err)
	}
	return nil
}

// Check validates the job against the live systems without moving or
// changing any data (DataX's dry run): it reads the source's schema, plans
// it, and lets the source and the sink check themselves (SourceChecker,
// SinkChecker). It returns every problem found, joined.
func (p *Pipeline) Check(ctx context.Context) error {
	schema, err := p.sourceSchema(ctx)
	if err != nil {
		return err
	}
	var errs []error
	if _, err := p.Plan(ctx); err != nil {
		errs = append(errs, err)
	}
	if err := p.checkTransforms(schema); err != nil {
		errs = append(errs, err)
	}
	if c, ok := p.src.(SourceChecker); ok {
		if err := c.Check(ctx); err != nil {
			errs = append(errs, fmt.Errorf("datasync: check the source: %w", err))
		}
	}
	if c, ok := p.dst.(SinkChecker); ok {
		if err := c.Check(ctx, schema); err != nil {
			errs = append(errs, fmt.Errorf("datasync: check the sink: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Finalize runs the sink's once-per-job finishing work (post-SQL), if it is a
// Finalizer. Run does this itself after every split succeeded; a distributed
// engine calls it once, after every RunSplit succeeded.
func (p *Pipeline) Finalize(ctx context.Context) error {
	fin, ok := p.dst.(Finalizer)
	if !ok {
		return nil
	}
	if err := fin.Finalize(ctx); err != nil {
		return fmt.Errorf("datasync: finalize the sink: %w", err)
	}
	return nil
}

// abortTimeout bounds the sink's Abort after a failed or cancelled job.
const abortTimeout = 10 * time.Second

// Abort runs the sink's cleaning up after a failed or cancelled job, if it
// is an Aborter. Run does this itself; a distributed engine calls it once,
// when it gives the job up, after every RunSplit has stopped.
func (p *Pipeline) Abort(ctx context.Context) error {
	ab, ok := p.dst.(Aborter)
	if !ok {
		return nil
	}
	if err := ab.Abort(ctx); err != nil {
		return fmt.Errorf("datasync: abort the sink: %w", err)
	}
	return nil
}

// Run runs the whole job: the source's schema, the plan, the sink's Prepare,
// every split (WithParallelism at a time, each retried as WithRetry says),
// and the sink's Finalize. It returns what was done, and the first error
// that stopped the job: a *SplitError naming the split, a *DirtyLimitError
// (errors.Is(err, ErrDirtyLimit)), or ctx's error when ctx was cancelled. A
// failure stops the other splits promptly, and every reader and writer is
// closed before Run returns; then a sink that is an Aborter cleans up (its
// error is joined to the job's, or logged when ctx was cancelled).
func (p *Pipeline) Run(ctx context.Context) (res Result, err error) {
	res.Start = time.Now()
	defer func() {
		res.End = time.Now()
		res.Elapsed = res.End.Sub(res.Start)
	}()
	schema, err := p.sourceSchema(ctx)
	if err != nil {
		return res, err
	}
	planStart := time.Now()
	splits, resuming, err := p.runPlan(ctx)
	if err != nil {
		return res, err
	}
	if err := p.checkTransforms(schema); err != nil {
		return res, err
	}
	p.logPlan(ctx, splits, time.Since(planStart))
	prepareStart := time.Now()
	if err := p.prepareSink(ctx, schema, resuming); err != nil {
		return res, err
	}
	p.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "sink prepared", slog.Duration("took", time.Since(prepareStart)))
	j := p.newJob(schema, splits)
	// A fresh, empty bucket: tokens saved up since NewPipeline must not let
	// the job start with a burst.
	j.throttle = newThrottle(p.cfg.rate, p.cfg.batchRows, p.cfg.batchBytes)
	stopProgress := j.startProgress(ctx)
	p.cfg.logger.LogAttrs(ctx, slog.LevelInfo, "job started",
		slog.Int("splits", len(splits)), slog.Int("parallelism", p.cfg.parallelism))

	err = j.runSplits(ctx)
	err = errors.Join(err, j.dirty.finish(context.WithoutCancel(ctx), err == nil))
	if err == nil {
		err = p.Finalize(ctx)
	}
	if ctx.Err() != nil {
		err = ctx.Err()
	}
	if err != nil {
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), abortTimeout)
		aerr := p.Abort(actx)
		cancel()
		switch {
		case aerr == nil:
		case ctx.Err() != nil:
			p.cfg.logger.LogAttrs(ctx, slog.LevelWarn, "cleaning up after the cancelled job failed", slog.String("error", aerr.Error()))
		default:
			err = errors.Join(err, aerr)
		}
	}
	res = j.result(res)
	res.End = time.Now()
	res.Elapsed = res.End.Sub(res.Start)
	stopProgress(res.Elapsed)
	if err != nil {
		p.cfg.logger.LogAttrs(ctx, slog.LevelWarn, "job failed", append([]slog.Attr{slog.String("error", err.Error())}, resultAttrs(res)...)...)
	} else {
		p.cfg.logger.LogAttrs(ctx, slog.LevelInfo, "job finished", resultAttrs(res)...)
	}
	return res, err
}

// RunSplit runs one split, from checkpoint from (nil for its start), with
// the pipeline's retries, throttling and dirty policy; it is the unit of work
// of a distributed engine, which calls Prepare before and Finalize after all
// its splits. onCheckpoint, when not nil, is called after each durable flush
// with the position to resume from, and with the split's final position when
// it is done; an error from it fails the split. The dirty policy counts this
// call's records only.
func (p *Pipeline) RunSplit(ctx context.Context, s Split, from Checkpoint, onCheckpoint func(Checkpoint) error) (SplitResult, error) {
	schema, err := p.sourceSchema(ctx)
	if err != nil {
		return SplitResult{ID: s.ID, Err: err}, err
	}
	j := p.newJob(schema, []Split{s})
	start := time.Now()
	stopProgress := j.startProgress(ctx)
	res, err := j.newWorker().runSplit(ctx, s, from, onCheckpoint)
	err = errors.Join(err, j.dirty.finish(context.WithoutCancel(ctx), err == nil))
	if ctx.Err() != nil {
		err = ctx.Err()
	}
	stopProgress(time.Since(start))
	res.Err = err
	return res, err
}

func (p *Pipeline) sourceSchema(ctx context.Context) (Schema, error) {
	p.schemaMu.Lock()
	defer p.schemaMu.Unlock()
	if p.schemaOK {
		return p.schema, nil
	}
	start := time.Now()
	s, err := p.src.Schema(ctx)
	if err != nil {
		return nil, fmt.Errorf("datasync: read the source's schema: %w", err)
	}
	p.logSchema(ctx, s, time.Since(start))
	p.schema, p.schemaOK = s, true
	return s, nil
}

// job is the state of one Run (or RunSplit call): the shared counters, the
// dirty-data account and the plan.
type job struct {
	p        *Pipeline
	schema   Schema
	splits   []Split
	dirty    *dirtyAccount
	throttle *throttle // the pipeline's, shared by concurrent RunSplit calls, or the Run's own

	read, readBytes       atomic.Int64
	written, writtenBytes atomic.Int64
	filtered              atomic.Int64 // dropped by a transformer
	retries               atomic.Int64
	splitsDone            atomic.Int64
	expected              int64 // sum of the splits' row estimates

	mu       sync.Mutex
	results  []SplitResult // by plan position; guarded by mu
	ran      []bool
	waits    [3]time.Duration // read wait, write wait, throttle wait
	retryLog []Retry
}

func (p *Pipeline) newJob(schema Schema, splits []Split) *job {
	j := &job{p: p, schema: schema, splits: splits, throttle: p.throttle,
		results: make([]SplitResult, len(splits)), ran: make([]bool, len(splits))}
	for _, s := range splits {
		j.expected += max(s.Rows, 0)
	}
	j.dirty = &dirtyAccount{policy: p.cfg.dirty, log: newDirtyLog(&p.cfg), meters: p.meters, expected: j.expected, read: j.read.Load}
	return j
}

// runSplits runs every split on WithParallelism workers and returns the
// first error that stopped the job.
func (j *job) runSplits(parent context.Context) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	queue := make(chan int, len(j.splits))
	for i := range j.splits {
		queue <- i
	}
	close(queue)

	var (
		once     sync.Once
		firstErr error
		wg       sync.WaitGroup
	)
	for range min(j.p.cfg.parallelism, len(j.splits)) {
		wg.Go(func() {
			w := j.newWorker()
			for i := range queue {
				if ctx.Err() != nil {
					return
				}
				res, err := w.runSplit(ctx, j.splits[i], nil, nil)
				j.record(i, res)
				if err != nil {
					// Set before cancelling, so that the errors the other
					// workers see because of the cancel never come first.
					once.Do(func() { firstErr = err })
					cancel(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if parent.Err() != nil {
		return parent.Err()
	}
	return firstErr
}

// takeBack uncounts t, a window a retry will replay or writes that were
// never committed.
func (j *job) takeBack(t tally) {
	j.read.Add(-t.read)
	j.readBytes.Add(-t.readBytes)
	j.written.Add(-t.written)
	j.writtenBytes.Add(-t.writtenBytes)
	j.dirty.takeBack(t.dirty)
	j.filtered.Add(-t.filtered)
}

func (j *job) record(i int, res SplitResult) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.results[i] = res
	j.ran[i] = true
	j.waits[0] += res.ReadWait
	j.waits[1] += res.WriteWait
	j.waits[2] += res.ThrottleWait
	if res.Err == nil {
		j.splitsDone.Add(1) // a failed or cancelled split is not done
	}
}

func (j *job) result(res Result) Result {
	j.mu.Lock()
	defer j.mu.Unlock()
	res.RecordsRead = j.read.Load()
	res.BytesRead = j.readBytes.Load()
	res.RecordsWritten = j.written.Load()
	res.BytesWritten = j.writtenBytes.Load()
	res.RecordsDirty = j.dirty.total()
	res.RecordsFiltered = j.filtered.Load()
	res.Retries = int(j.retries.Load())
	res.ReadWait, res.WriteWait, res.ThrottleWait = j.waits[0], j.waits[1], j.waits[2]
	res.Workers = min(j.p.cfg.parallelism, len(j.splits))
	res.RetryLog = append([]Retry(nil), j.retryLog...)
	res.DirtyReasons = j.dirty.reasons()
	res.DirtyDestination = describeDirtyDestination(j.p.cfg.dirty.Collector)
	res.SplitsPlanned = len(j.splits)
	for i, ran := range j.ran {
		if ran {
			res.Splits = append(res.Splits, j.results[i])
		}
	}
	return res
}
