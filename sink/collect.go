package sink

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/datasync-go/datasync"
)

// Collect returns a Collection: a Sink that keeps every record in memory, for
// tests. It behaves like a transactional database: what a writer writes
// becomes visible in Records only when the writer is flushed, and is dropped
// if the writer is closed first, so a retried split delivers each record
// exactly once. Options make it reject chosen rows or fail chosen splits.
func Collect(opts ...CollectOption) *Collection {
	c := &Collection{bySplit: map[string][]datasync.Record{}}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	return c
}

// CollectOption configures a Collection.
type CollectOption interface {
	apply(*Collection)
}

type collectOption func(*Collection)

func (f collectOption) apply(c *Collection) { f(c) }

// RejectIf makes the Collection reject every record for which fn returns an
// error, as a database rejects a row that breaks a constraint: the record
// becomes dirty data with that error as its reason, and the rest of its batch
// is written. fn may be called from several goroutines at once.
func RejectIf(fn func(datasync.Record) error) CollectOption {
	return collectOption(func(c *Collection) { c.reject = fn })
}

// Failure describes a failure for a Collection to inject (see FailSplit).
type Failure struct {
	// Split is the ID of the split whose writes fail.
	Split string
	// AfterRecords is how many records of the split one attempt may write
	// before a Write fails; the failing Write writes nothing.
	AfterRecords int64
	// Times is how many times to fail in all, across attempts (default 1).
	Times int
	// Err is the error to fail with (default: a retryable one).
	Err error
}

// ErrInjected is the retryable failure a Collection injects by default.
var ErrInjected = errors.New("sink: injected failure")

// FailSplit makes the Collection's writers for f.Split fail as f says, to
// test retries and failure handling.
func FailSplit(f Failure) CollectOption {
	return collectOption(func(c *Collection) {
		if f.Times == 0 {
			f.Times = 1
		}
		if f.Err == nil {
			f.Err = datasync.Retryable(ErrInjected)
		}
		c.failures = append(c.failures, &failure{Failure: f})
	})
}

type failure struct {
	Failure
	failed int // guarded by Collection.mu
}

// Collection is the Sink made by Collect. Its methods are safe for
// concurrent use.
type Collection struct {
	reject   func(datasync.Record) error
	failures []*failure

	mu        sync.Mutex
	schema    datasync.Schema
	records   []datasync.Record
	bySplit   map[string][]datasync.Record
	prepared  int
	finalized int
	opened    int
}

// Prepare records the schema.
func (c *Collection) Prepare(_ context.Context, s datasync.Schema) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.schema = s
	c.prepared++
	return nil
}

// Finalize counts the calls (see Finalized).
func (c *Collection) Finalize(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.finalized++
	return nil
}

// Open returns a writer for split s.
func (c *Collection) Open(_ context.Context, s datasync.Split) (datasync.Writer, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.opened++
	var f *failure
	for _, candidate := range c.failures {
		if candidate.Split == s.ID {
			f = candidate
		}
	}
	return &collectWriter{c: c, split: s.ID, fail: f}, nil
}

// Records returns the committed records, in the order they were flushed
// (within a split, in the order they were read).
func (c *Collection) Records() []datasync.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]datasync.Record(nil), c.records...)
}

// Split returns the committed records of one split, in order.
func (c *Collection) Split(id string) []datasync.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]datasync.Record(nil), c.bySplit[id]...)
}

// Len returns the number of committed records.
func (c *Collection) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.records)
}

// Schema returns the schema given to Prepare, nil before.
func (c *Collection) Schema() datasync.Schema {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.schema
}

// Prepared returns how many times Prepare was called.
func (c *Collection) Prepared() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.prepared
}

// Finalized returns how many times Finalize was called.
func (c *Collection) Finalized() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.finalized
}

// Opened returns how many writers were opened (more than the splits when
// splits were retried).
func (c *Collection) Opened() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.opened
}

type collectWriter struct {
	c       *Collection
	split   string
	fail    *failure
	pending []datasync.Record // written, not yet flushed
	written int64             // by this writer
}

func (w *collectWriter) Write(_ context.Context, b *datasync.Batch) error {
	if err := w.injectFailure(int64(b.Len())); err != nil {
		return err
	}
	var rejected []*datasync.RowError
	for i := range b.Len() {
		rec := b.Row(i)
		if w.c.reject != nil {
			if err := w.c.reject(rec); err != nil {
				rejected = append(rejected, rowError(int64(i), err))
				continue
			}
		}
		w.pending = append(w.pending, rec.Clone())
	}
	w.written += int64(b.Len() - len(rejected))
	if len(rejected) > 0 {
		return &datasync.RowErrors{Errors: rejected}
	}
	return nil
}

// rowError turns a rejection into a RowError; an error that already is one
// keeps its column and value.
func rowError(row int64, err error) *datasync.RowError {
	var re *datasync.RowError
	if errors.As(err, &re) {
		c := *re
		c.Row = row
		return &c
	}
	return &datasync.RowError{Row: row, Err: err}
}

func (w *collectWriter) injectFailure(n int64) error {
	if w.fail == nil {
		return nil
	}
	w.c.mu.Lock()
	defer w.c.mu.Unlock()
	if w.fail.failed < w.fail.Times && w.written+n > w.fail.AfterRecords {
		w.fail.failed++
		return fmt.Errorf("split %q after %d records: %w", w.split, w.written, w.fail.Err)
	}
	return nil
}

func (w *collectWriter) Flush(context.Context) error {
	w.c.mu.Lock()
	defer w.c.mu.Unlock()
	w.c.records = append(w.c.records, w.pending...)
	w.c.bySplit[w.split] = append(w.c.bySplit[w.split], w.pending...)
	w.pending = nil
	return nil
}

func (w *collectWriter) Close() error {
	w.pending = nil // not flushed: dropped, as a rolled-back transaction
	return nil
}
