package datasync

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// DirtyPolicy says how many dirty records a job tolerates and where they go.
// A record is dirty when the source cannot decode it, when it cannot be
// converted for its destination column, or when the destination rejects it.
//
// The zero DirtyPolicy allows none: the first dirty record stops the job with
// ErrDirtyLimit. MaxRecords and MaxRatio may be combined; the job stops when
// either is passed.
type DirtyPolicy struct {
	// MaxRecords is the number of dirty records allowed; one more stops the
	// job. Negative means no limit by count.
	MaxRecords int64
	// MaxRatio, when above 0, is the largest allowed fraction of dirty
	// records among the records read (0.01 is 1%). While the job runs, the
	// fraction is taken over the largest of the records read so far, the
	// plan's estimate of all records, and 1,000, so that a dirty first row
	// does not stop a large job; when the job ends it is checked once more,
	// exactly, over the records read.
	MaxRatio float64
	// Collector receives every dirty record, with no cap and no sampling. It
	// is required whenever the policy allows dirty records at all, so that
	// none is lost.
	Collector DirtyCollector
}

// allowsDirty reports whether the policy tolerates any dirty record.
func (p DirtyPolicy) allowsDirty() bool { return p.MaxRecords != 0 || p.MaxRatio > 0 }

func (p DirtyPolicy) validate() error {
	if p.MaxRatio < 0 || p.MaxRatio > 1 {
		return fmt.Errorf("MaxRatio %v is not between 0 and 1", p.MaxRatio)
	}
	if p.allowsDirty() && p.Collector == nil {
		return errors.New("the policy allows dirty records but has no Collector to receive them")
	}
	return nil
}

// Stage says where a record became dirty.
type Stage string

// The stages.
const (
	StageRead    Stage = "read"    // the source could not decode the record
	StageConvert Stage = "convert" // a value could not be converted for its destination column
	StageWrite   Stage = "write"   // the destination rejected the record
)

// DirtyRecord is one dirty record, as a DirtyCollector receives it.
type DirtyRecord struct {
	Split  string // the split's ID
	Stage  Stage  // where it became dirty
	Row    int64  // for StageRead the source's row number (RowError.Row); otherwise the record's position, from 1, among those the attempt that wrote it delivered
	Column string // the column at fault, "" for the whole row
	Value  string // the offending value or raw line, "" when unknown
	Record Record // the record (a copy the collector may keep); nil when the source could not decode it
	Schema Schema // the source's schema, naming Record's values
	Err    error  // the reason
}

// Reason returns the reason as text.
func (d DirtyRecord) Reason() string {
	if d.Err == nil {
		return "rejected"
	}
	return d.Err.Error()
}

// DirtyCollector receives dirty records. The pipeline never calls it from two
// goroutines at once. When a split is retried, the dirty records of the
// replayed part (after its last flush) are collected again.
type DirtyCollector interface {
	// Collect receives one dirty record. An error stops the job: a dirty
	// record that cannot be kept must not be lost quietly.
	Collect(ctx context.Context, d DirtyRecord) error
	// Flush makes the records collected so far durable. The pipeline calls it
	// when a job (or a RunSplit call) ends, successful or not.
	Flush(ctx context.Context) error
}

// DirtyFunc returns a DirtyCollector that calls fn for each dirty record.
func DirtyFunc(fn func(ctx context.Context, d DirtyRecord) error) DirtyCollector {
	return dirtyFunc(fn)
}

type dirtyFunc func(ctx context.Context, d DirtyRecord) error

func (f dirtyFunc) Collect(ctx context.Context, d DirtyRecord) error { return f(ctx, d) }
func (f dirtyFunc) Flush(context.Context) error                      { return nil }

// dirtyAccount counts a job's dirty records against its policy and hands them
// to the collector, one at a time.
type dirtyAccount struct {
	policy   DirtyPolicy
	log      *dirtyLog    // what is logged of them (dirtylog.go)
	meters   *meters      // nil without WithMeterProvider
	expected int64        // the plan's estimate of all records, 0 when unknown
	read     func() int64 // records read so far

	mu      sync.Mutex // serializes the collector and guards the fields below
	count   int64
	last    *DirtyRecord
	flushed bool
	failed  error // returned again to every later caller
}

// minRatioSample is the smallest denominator used for the ratio while a job
// runs.
const minRatioSample = 1000

// add collects records and checks the policy; it returns a *DirtyLimitError
// when the policy is passed.
func (a *dirtyAccount) add(ctx context.Context, recs []DirtyRecord) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.failed != nil {
		return a.failed
	}
	for i := range recs {
		d := &recs[i]
		a.count++
		a.last = d
		a.log.record(ctx, d)
		a.meters.dirtyRecord(ctx, d)
		if a.policy.Collector != nil {
			if err := a.policy.Collector.Collect(ctx, *d); err != nil {
				// Retrying the split would not help the collector.
				a.failed = Permanent(fmt.Errorf("datasync: dirty-data collector: %w", err))
				return a.failed
			}
		}
	}
	a.log.maybeSummarize(ctx)
	if err := a.check(false); err != nil {
		a.failed = err
		return err
	}
	return nil
}

// check compares the count to the policy; final selects the exact ratio.
func (a *dirtyAccount) check(final bool) error {
	p := a.policy
	if a.count == 0 {
		return nil
	}
	read := a.read()
	if p.MaxRecords >= 0 && (p.MaxRatio == 0 || p.MaxRecords > 0) && a.count > p.MaxRecords {
		return a.limitError(read, false)
	}
	if p.MaxRatio > 0 {
		denominator := read
		if !final {
			denominator = max(read, a.expected, minRatioSample)
		}
		if float64(a.count) > p.MaxRatio*float64(max(denominator, 1)) {
			return a.limitError(read, true)
		}
	}
	return nil
}

func (a *dirtyAccount) limitError(read int64, byRate bool) error {
	e := &DirtyLimitError{Dirty: a.count, Read: read, Policy: a.policy, ByRate: byRate}
	if a.last != nil {
		last := *a.last
		e.Last = &last
	}
	return e
}

// finish flushes the collector and applies the exact ratio; it is called
// once when the job ends.
func (a *dirtyAccount) finish(ctx context.Context, checkRatio bool) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.log.finish(ctx)
	var err error
	if a.policy.Collector != nil && !a.flushed {
		a.flushed = true
		if ferr := a.policy.Collector.Flush(ctx); ferr != nil {
			err = fmt.Errorf("datasync: dirty-data collector: flush: %w", ferr)
		}
	}
	if checkRatio && a.failed == nil {
		if cerr := a.check(true); cerr != nil {
			return errors.Join(cerr, err)
		}
	}
	return err
}

// takeBack uncounts dirty records of a window that a retry replays: they
// will be counted (and collected) again.
func (a *dirtyAccount) takeBack(n int64) {
	if n == 0 {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.count -= n
}

// reasons returns the counts by reason (see DirtyRecord.ReasonKey).
func (a *dirtyAccount) reasons() map[string]int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.log.reasons()
}

func (a *dirtyAccount) total() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.count
}

// ErrDirtyLimit is matched by the error a job stops with when its dirty
// records pass the DirtyPolicy (the error itself is a *DirtyLimitError).
var ErrDirtyLimit = errors.New("datasync: dirty-data limit exceeded")

// DirtyLimitError is the error a job stops with when its dirty records pass
// the DirtyPolicy. It matches ErrDirtyLimit.
type DirtyLimitError struct {
	Dirty  int64        // dirty records counted when the job stopped
	Read   int64        // records read by then
	Policy DirtyPolicy  // the policy that was passed
	ByRate bool         // whether the ratio rather than the count was passed
	Last   *DirtyRecord // the last dirty record counted
}

func (e *DirtyLimitError) Error() string {
	var msg string
	if e.ByRate {
		msg = fmt.Sprintf("datasync: dirty-data limit exceeded: %d dirty of %d records read (%.4g%%) is over the limit of %.4g%%",
			e.Dirty, e.Read, 100*float64(e.Dirty)/float64(max(e.Read, 1)), 100*e.Policy.MaxRatio)
	} else {
		msg = fmt.Sprintf("datasync: dirty-data limit exceeded: %d dirty records, more than the %d allowed", e.Dirty, max(e.Policy.MaxRecords, 0))
	}
	if e.Last != nil {
		msg += fmt.Sprintf("; last: split %q row %d", e.Last.Split, e.Last.Row)
		if e.Last.Column != "" {
			msg += fmt.Sprintf(" column %q", e.Last.Column)
		}
		msg += ": " + e.Last.Reason()
	}
	return msg
}

// Is matches ErrDirtyLimit.
func (e *DirtyLimitError) Is(target error) bool { return target == ErrDirtyLimit }
