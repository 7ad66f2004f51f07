package datasync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"
)

// worker runs splits one after another, reusing its batches: a worker never
// holds more than batchesPerWorker of them, which is what bounds memory.
type worker struct {
	j       *job
	batches []*Batch
	chain   transformChain // the WithTransform stage, bound on first use
}

func (j *job) newWorker() *worker {
	w := &worker{j: j}
	for range batchesPerWorker {
		w.batches = append(w.batches, NewBatch(j.schema, j.p.cfg.batchRows, j.p.cfg.batchBytes))
	}
	return w
}

// runSplit runs split s from checkpoint from, retrying retryable failures from
// the last durable checkpoint.
func (w *worker) runSplit(ctx context.Context, s Split, from Checkpoint, onCheckpoint func(Checkpoint) error) (res SplitResult, err error) {
	cfg := &w.j.p.cfg
	res.ID = s.ID
	start := time.Now()
	sm := w.j.p.meters.forSplit(s.ID)
	sm.running(ctx, 1)
	defer func() {
		res.Elapsed = time.Since(start)
		res.Err = err
		sm.running(context.WithoutCancel(ctx), -1)
		w.j.p.logSplitDone(ctx, res)
	}()
	cp := from
	for attempt := 1; ; attempt++ {
		var done bool
		if cp, done, err = w.j.resumePoint(ctx, s, cp, attempt == 1); err != nil {
			return res, &SplitError{Split: s.ID, Attempts: attempt - 1, Err: err}
		}
		if done {
			return w.skip(ctx, s, cp, onCheckpoint, &res)
		}
		res.Attempts = attempt
		a := &splitAttempt{w: w, split: s, cp: &cp, res: &res, onCheckpoint: onCheckpoint, attempt: attempt, meters: sm}
		var pending tally
		pending, err = a.run(ctx)
		if err == nil {
			res.Checkpoint = cp
			return res, nil
		}
		retry := ctx.Err() == nil && !errors.Is(err, ErrDirtyLimit) && attempt <= cfg.retries && IsRetryable(err)
		landed, done := a.flushLanded(ctx)
		if done {
			res.Checkpoint = cp
			return res, nil // the split's last commit landed; only its reply was lost
		}
		pending = pending.minus(landed)
		if !retry {
			// What was written after the last flush was not committed; what
			// was read and found dirty stays counted, as it happened.
			w.j.takeBack(tally{written: pending.written, writtenBytes: pending.writtenBytes})
		}
		switch {
		case ctx.Err() != nil:
			return res, ctx.Err()
		case errors.Is(err, ErrDirtyLimit):
			return res, err
		case !retry:
			cfg.logger.LogAttrs(ctx, slog.LevelWarn, "split failed",
				slog.String("split", s.ID), slog.Int("attempts", attempt), slog.String("error", err.Error()))
			return res, &SplitError{Split: s.ID, Attempts: attempt, Err: err}
		}
		// The retry reads and writes the pending window again: count it then.
		w.j.takeBack(pending)
		w.j.retries.Add(1)
		backoff := retryBackoff(cfg.retryBackoff, attempt)
		w.j.logRetry(Retry{Split: s.ID, Attempt: attempt, At: time.Now(), Backoff: backoff, Err: err})
		cfg.logger.LogAttrs(ctx, slog.LevelWarn, "split failed, retrying from its last checkpoint",
			slog.String("split", s.ID), slog.Int("attempt", attempt), slog.Duration("backoff", backoff),
			slog.String("error", err.Error()))
		if err := sleep(ctx, backoff); err != nil {
			return res, err
		}
	}
}

// retryBackoff returns base doubled for each attempt after the first, capped.
func retryBackoff(base time.Duration, attempt int) time.Duration {
	d := base
	for i := 1; i < attempt && d < maxRetryBackoff; i++ {
		d *= 2
	}
	return min(d, max(base, maxRetryBackoff))
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// tally counts what a split did.
type tally struct {
	read, readBytes       int64
	written, writtenBytes int64
	dirty                 int64
	filtered              int64 // records a transformer dropped
}

func (t *tally) add(u tally) {
	t.read += u.read
	t.readBytes += u.readBytes
	t.written += u.written
	t.writtenBytes += u.writtenBytes
	t.dirty += u.dirty
	t.filtered += u.filtered
}

func (t tally) minus(u tally) tally {
	return tally{t.read - u.read, t.readBytes - u.readBytes, t.written - u.written, t.writtenBytes - u.writtenBytes, t.dirty - u.dirty, t.filtered - u.filtered}
}

// filled is a batch on its way from the reader to the writer, with the
// reader's checkpoint after it and what the reader counted for it.
type filled struct {
	batch *Batch
	cp    Checkpoint
	tally tally // read, readBytes and dirty (rows the reader could not decode)
}

// readerDone is what the reader goroutine of an attempt did.
type readerDone struct {
	tally        tally
	writeWait    time.Duration
	throttleWait time.Duration
	err          error
}

// splitAttempt is one attempt at a split: a reader goroutine filling batches while
// the attempt's own goroutine writes the previous ones.
type splitAttempt struct {
	w            *worker
	split        Split
	cp           *Checkpoint // the last durable checkpoint, updated as flushes succeed
	res          *SplitResult
	onCheckpoint func(Checkpoint) error

	reader     Reader
	writer     Writer
	encoding   string // the encoding the writer accepts, offered on every batch
	commitOnly bool   // the writer is a Committer: nothing is durable before Commit
	since      tally  // counted since the last durable point
	received   tally  // the reader's counts for the batches the writer received
	delivered  int64  // records handed to Write by this attempt, to number dirty rows
	dog        *watchdog
	flushing   *SplitProgress // what the flush under way records, nil when none is

	chain       transformChain // the WithTransform stage, nil without one
	transformed int64          // records the chain saw in this attempt, to number dirty rows
	attempt     int            // from 1
	meters      *splitMeters   // nil without WithMeterProvider
	throttled   throttleClock  // the reader's waits for the rate limit
}

// run makes the attempt. On failure it returns, with the error, what was
// counted after the last durable point (the caller decides whether to take
// it back). A watchdog (WithStallTimeout) cancels the attempt's calls when
// it moves nothing for too long, and the attempt then fails with its
// *StallError.
func (a *splitAttempt) run(parent context.Context) (pending tally, err error) {
	j := a.w.j
	logger := j.p.cfg.logger
	ctx, stop := context.WithCancelCause(parent)
	var watching sync.WaitGroup
	defer watching.Wait()
	defer stop(nil)
	if a.dog = newWatchdog(a.split.ID, j.p.cfg.stallTimeout); a.dog != nil {
		watching.Go(func() { a.dog.watch(ctx, stop) })
	}
	defer func() {
		// The calls the watchdog cancelled fail with ctx's error: name the stall instead.
		var stall *StallError
		if err != nil && parent.Err() == nil && errors.As(context.Cause(ctx), &stall) {
			err = stall
		}
	}()

	opening := time.Now()
	a.dog.enter(sideReader, callOpenSource)
	a.reader, err = j.p.src.Open(ctx, a.split, *a.cp)
	a.dog.leave(sideReader)
	if err != nil {
		return tally{}, fmt.Errorf("open the source: %w", err)
	}
	a.logOpened(ctx, "source opened", time.Since(opening))
	defer func() {
		if cerr := a.reader.Close(); cerr != nil {
			logger.LogAttrs(ctx, slog.LevelWarn, "closing a reader failed", slog.String("split", a.split.ID), slog.String("error", cerr.Error()))
		}
	}()
	opening = time.Now()
	a.dog.enter(sideWriter, callOpenSink)
	a.writer, err = j.p.dst.Open(ctx, a.split)
	a.dog.leave(sideWriter)
	if err != nil {
		return tally{}, fmt.Errorf("open the sink: %w", err)
	}
	a.logOpened(ctx, "sink opened", time.Since(opening))
	defer func() {
		if cerr := a.writer.Close(); cerr != nil && err == nil {
			logger.LogAttrs(ctx, slog.LevelWarn, "closing a writer failed", slog.String("split", a.split.ID), slog.String("error", cerr.Error()))
		}
	}()
	_, a.commitOnly = a.writer.(Committer)
	if ew, ok := a.writer.(encodingWriter); ok {
		a.encoding = ew.AcceptedEncoding()
	}
	if a.chain, err = a.w.transformer(); err != nil {
		return tally{}, err
	}
	if a.chain != nil {
		a.encoding = "" // transformers work on values
	}

	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	free := make(chan *Batch, len(a.w.batches))
	for _, b := range a.w.batches {
		free <- b
	}
	full := make(chan filled, 1)
	doneCh := make(chan readerDone, 1)
	go func() { doneCh <- a.readLoop(actx, free, full) }()

	readWait, err := a.writeLoop(actx, free, full)
	cancel()
	rd := <-doneCh
	a.res.ReadWait += readWait
	a.res.WriteWait += rd.writeWait
	a.res.ThrottleWait += rd.throttleWait
	if err == nil {
		err = rd.err
	}
	if err == nil {
		err = a.finish(ctx)
	}
	if err != nil {
		pending = a.since
		pending.add(rd.tally.minus(a.received)) // what the writer never received
	}
	return pending, err
}

// finish makes the end of the split durable: a last Flush, and Commit for a
// Committer.
func (a *splitAttempt) finish(ctx context.Context) error {
	final := bytes.Clone(a.reader.Checkpoint())
	if err := a.flush(ctx, SplitProgress{Checkpoint: final, Done: true}); err != nil {
		return err
	}
	if c, ok := a.writer.(Committer); ok {
		a.dog.enter(sideWriter, callCommit)
		err := c.Commit(ctx)
		a.dog.leave(sideWriter)
		if err != nil {
			return fmt.Errorf("commit the sink: %w", err)
		}
	}
	return a.durable(final, true)
}

// durable records that everything up to cp is safely written (the whole
// split when done).
func (a *splitAttempt) durable(cp Checkpoint, done bool) error {
	*a.cp = cp
	a.res.RecordsRead += a.since.read
	a.res.BytesRead += a.since.readBytes
	a.res.RecordsWritten += a.since.written
	a.res.BytesWritten += a.since.writtenBytes
	a.res.RecordsDirty += a.since.dirty
	a.res.RecordsFiltered += a.since.filtered
	a.since = tally{}
	if a.onCheckpoint != nil {
		if err := a.onCheckpoint(cp); err != nil {
			return fmt.Errorf("checkpoint callback: %w", err)
		}
	}
	return a.saveProgress(SplitProgress{Checkpoint: cp, Done: done})
}

// readLoop fills free batches and hands them to the writer until the split
// ends, fails, or ctx is cancelled. It always closes full.
func (a *splitAttempt) readLoop(ctx context.Context, free <-chan *Batch, full chan<- filled) (rd readerDone) {
	defer close(full)
	j := a.w.j
	for {
		waitStart := time.Now()
		var b *Batch
		select {
		case b = <-free:
		case <-ctx.Done():
			rd.err = ctx.Err()
			return rd
		}
		rd.writeWait += time.Since(waitStart)

		b.Reset()
		b.offered = a.encoding
		a.dog.enter(sideReader, callRead)
		err := a.reader.Read(ctx, b)
		a.dog.leave(sideReader)
		eof := errors.Is(err, io.EOF)
		f := filled{batch: b}
		var rejected *RowErrors
		if err != nil && !eof {
			if rejected = rowErrors(err); rejected == nil {
				rd.err = fmt.Errorf("read: %w", err)
				return rd
			}
			f.tally.dirty = int64(len(rejected.Errors))
		}
		f.tally.read = int64(b.Len()) + f.tally.dirty
		f.tally.readBytes = int64(b.Bytes())
		f.cp = bytes.Clone(a.reader.Checkpoint())
		j.read.Add(f.tally.read)
		j.readBytes.Add(f.tally.readBytes)
		a.meters.readBatch(ctx, f.tally.read, f.tally.readBytes)
		if rejected != nil {
			recs := make([]DirtyRecord, len(rejected.Errors))
			for i, re := range rejected.Errors {
				recs[i] = DirtyRecord{Split: a.split.ID, Stage: StageRead, Row: re.Row, Column: re.Column,
					Value: re.Value, Schema: j.schema, Err: re.Err}
			}
			if err := j.dirty.add(ctx, recs); err != nil {
				rd.tally.add(f.tally)
				rd.err = err
				return rd
			}
		}
		var terr error
		if a.chain != nil {
			terr = a.transformBatch(ctx, b, &f.tally)
		}
		rd.tally.add(f.tally)
		if terr != nil {
			rd.err = terr
			return rd
		}
		a.throttled.begin(time.Now())
		a.meters.throttling(ctx, 1)
		a.dog.enter(sideReader, callThrottle)
		err = j.throttle.wait(ctx, b.Len(), b.Bytes())
		a.dog.leave(sideReader)
		a.meters.throttlingDone(ctx)
		waited := a.throttled.end(time.Now())
		rd.throttleWait += waited
		a.meters.throttled(ctx, waited)
		if err != nil {
			rd.err = err
			return rd
		}
		waitStart = time.Now()
		select {
		case full <- f:
		case <-ctx.Done():
			rd.err = ctx.Err()
			return rd
		}
		rd.writeWait += time.Since(waitStart)
		if eof {
			return rd
		}
	}
}

// writeLoop writes the batches the reader fills, flushing as WithFlushEvery
// says, until the reader closes full. It returns the time spent waiting for
// the reader, less the time the reader spent meanwhile waiting for the rate
// limit (counted as ThrottleWait).
func (a *splitAttempt) writeLoop(ctx context.Context, free chan<- *Batch, full <-chan filled) (readWait time.Duration, err error) {
	cfg := &a.w.j.p.cfg
	lastFlush := time.Now()
	var unflushed int64
	for {
		waitStart := time.Now()
		throttledAtStart := a.throttled.at(waitStart)
		var f filled
		var ok bool
		select {
		case f, ok = <-full:
		case <-ctx.Done():
			return readWait, ctx.Err()
		}
		readWait += a.throttled.waitExcludingThrottle(waitStart, throttledAtStart, time.Now())
		if !ok {
			return readWait, nil
		}
		a.since.add(f.tally)
		a.received.add(f.tally)
		written, err := a.write(ctx, f.batch)
		free <- f.batch // never blocks: free holds every batch
		if err != nil {
			return readWait, err
		}
		unflushed += written
		if (cfg.flushBytes > 0 && unflushed >= cfg.flushBytes) || (cfg.flushEvery > 0 && time.Since(lastFlush) >= cfg.flushEvery) {
			if err := a.flush(ctx, SplitProgress{Checkpoint: f.cp}); err != nil {
				return readWait, err
			}
			if !a.commitOnly {
				if err := a.durable(f.cp, false); err != nil {
					return readWait, err
				}
			}
			lastFlush, unflushed = time.Now(), 0
		}
	}
}

// write writes one batch and turns the rows the writer rejects into dirty
// records. It returns the bytes written.
func (a *splitAttempt) write(ctx context.Context, b *Batch) (int64, error) {
	n := b.Len()
	if n == 0 {
		return 0, nil
	}
	size := int64(b.Bytes())
	first := a.delivered
	a.delivered += int64(n)
	writeStart := time.Now()
	a.dog.enter(sideWriter, callWrite)
	err := a.writer.Write(ctx, b)
	a.dog.leave(sideWriter)
	took := time.Since(writeStart)
	var rejected *RowErrors
	if err != nil {
		if rejected = rowErrors(err); rejected == nil {
			return 0, fmt.Errorf("write: %w", err)
		}
	}
	if rejected == nil {
		a.meters.wroteBatch(ctx, int64(n), size, took)
	} else {
		a.meters.wroteBatch(ctx, int64(n-len(rejected.Errors)), size, took)
	}
	a.since.written += int64(n)
	a.since.writtenBytes += size
	a.w.j.written.Add(int64(n))
	a.w.j.writtenBytes.Add(size)
	if rejected == nil {
		return size, nil
	}
	rejectedBytes, err := a.reject(ctx, b, first, rejected)
	return size - rejectedBytes, err
}

// flush flushes the writer, which may report rows of earlier batches that it
// rejected (see RowError.Record); a CheckpointWriter records p with the rows.
func (a *splitAttempt) flush(ctx context.Context, p SplitProgress) error {
	flushStart := time.Now()
	a.dog.enter(sideWriter, callFlush)
	a.flushing = &p
	err := a.flushWriter(ctx, p)
	a.dog.leave(sideWriter)
	a.logFlushed(ctx, time.Since(flushStart), err)
	if err == nil {
		a.flushing = nil
	}
	var rejected *RowErrors
	if err != nil {
		if rejected = rowErrors(err); rejected == nil {
			return fmt.Errorf("flush the sink: %w", err)
		}
	}
	if rejected != nil {
		if _, err := a.reject(ctx, nil, 0, rejected); err != nil {
			return err
		}
	}
	return nil
}

// rowErrors returns the *RowErrors in err's chain, nil when there is none.
// Callers ask only when err is not nil: the target errors.As needs escapes
// to the heap, which would cost an allocation on every batch.
func rowErrors(err error) *RowErrors {
	var re *RowErrors
	if errors.As(err, &re) {
		return re
	}
	return nil
}

// reject uncounts the rows a writer rejected, which were counted as written,
// and collects them as dirty records. Rows of b (the batch just written,
// numbered from first within the attempt) are copied out of it; rows the
// writer reports late carry their own Record. It returns their bytes.
func (a *splitAttempt) reject(ctx context.Context, b *Batch, first int64, rejected *RowErrors) (int64, error) {
	recs, size, err := a.rejectedRecords(b, first, rejected)
	if err != nil {
		return 0, err
	}
	j := a.w.j
	a.since.written -= int64(len(recs))
	a.since.writtenBytes -= size
	a.since.dirty += int64(len(recs))
	j.written.Add(-int64(len(recs)))
	j.writtenBytes.Add(-size)
	return size, j.dirty.add(ctx, recs)
}

// rejectedRecords checks the rows a writer rejected and makes them dirty
// records: copies out of b for rows of the batch just written, the writer's
// own copy (RowError.Record) for rows it reports late.
func (a *splitAttempt) rejectedRecords(b *Batch, first int64, rejected *RowErrors) ([]DirtyRecord, int64, error) {
	seen := make(map[int64]bool, len(rejected.Errors))
	recs := make([]DirtyRecord, 0, len(rejected.Errors))
	var size int64
	schema := a.w.j.schema
	for _, re := range rejected.Errors {
		var rec Record
		var ordinal int64 // the row's position, from 1, among those the attempt delivered
		switch {
		case re == nil:
			return nil, 0, fmt.Errorf("write: the writer rejected a nil row (%v)", rejected)
		case re.Record != nil:
			if re.Row < 0 || re.Row >= a.delivered || len(re.Record) != len(schema) {
				return nil, 0, fmt.Errorf("write: the writer rejected a row it was not given (%v)", re)
			}
			rec, ordinal = re.Record, re.Row+1
		case b != nil && re.Row >= 0 && re.Row < int64(b.Len()) && !seen[re.Row]:
			seen[re.Row] = true
			rec, ordinal = b.Row(int(re.Row)).Clone(), first+re.Row+1
		default:
			return nil, 0, fmt.Errorf("write: the writer rejected rows that are not in the batch, or the same row twice (%v)", rejected)
		}
		size += int64(rec.Size())
		stage := StageWrite
		var conv *ConversionError
		if errors.As(re.Err, &conv) {
			stage = StageConvert
		}
		value := re.Value
		if value == "" && re.Column != "" {
			if i := schema.Index(re.Column); i >= 0 && !rec[i].IsNull() {
				value = string(rec[i].AppendTo(nil))
			}
		}
		recs = append(recs, DirtyRecord{Split: a.split.ID, Stage: stage, Row: ordinal, Column: re.Column,
			Value: value, Record: rec, Schema: schema, Err: re.Err})
	}
	return recs, size, nil
}

// SplitError is a failure of one split, after its retries.
type SplitError struct {
	Split    string // the split's ID
	Attempts int    // how many times it was run
	Err      error
}

func (e *SplitError) Error() string {
	if e.Attempts > 1 {
		return fmt.Sprintf("split %q failed after %d attempts: %v", e.Split, e.Attempts, e.Err)
	}
	return fmt.Sprintf("split %q: %v", e.Split, e.Err)
}

// Unwrap returns the cause.
func (e *SplitError) Unwrap() error { return e.Err }
