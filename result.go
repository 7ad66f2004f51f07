package datasync

import (
	"fmt"
	"strings"
	"time"

	"github.com/datasync-go/datasync/internal/numfmt"
)

// Result describes a finished job (or what a failed one did).
//
// The counts describe one clean pass over the data: when a split is retried,
// what its failed attempt read and wrote after its last flush is taken back
// out, and counted again as the replay reads and writes it. So for a job that
// succeeded, RecordsRead = RecordsWritten + RecordsDirty + RecordsFiltered.
// When a job fails,
// RecordsWritten counts only what was committed (flushed), while
// RecordsRead and RecordsDirty count what was read and found dirty.
type Result struct {
	Start   time.Time
	End     time.Time
	Elapsed time.Duration

	RecordsRead    int64 // records the source produced, dirty ones included
	RecordsWritten int64 // records the sink wrote and flushed
	RecordsDirty   int64 // records that went to the dirty-data collector
	BytesRead      int64 // size (Value.Size) of the records read
	BytesWritten   int64 // size of the records written

	// RecordsFiltered counts the records a transformer dropped
	// (WithTransform): read, neither written nor dirty.
	RecordsFiltered int64

	// ReadWait is the time the workers' writing side spent waiting for the
	// reader (the source was the bottleneck), leaving out the time the
	// reader was itself waiting for the rate limit; WriteWait is the time
	// their reading side spent waiting for the writer (the sink was);
	// ThrottleWait is the time the readers spent waiting for the rate limit
	// (WithRateLimit held the job back). Each is summed over workers, as
	// DataX reports them, so it may exceed Elapsed: WaitShares gives them as
	// shares of WorkerTime.
	ReadWait     time.Duration
	WriteWait    time.Duration
	ThrottleWait time.Duration
	// Workers is the number of workers that ran splits at once: the
	// parallelism, or fewer when the plan had fewer splits.
	Workers int

	Retries int // split attempts that failed and were retried
	// RetryLog has one entry per retry, in the order they happened, with
	// its cause.
	RetryLog []Retry
	// DirtyReasons counts the dirty records the collector received by
	// reason (see DirtyRecord.ReasonKey); nil when there were none. A retry
	// that replays dirty records collects them again, so after retries the
	// counts may add up to more than RecordsDirty.
	DirtyReasons map[string]int64
	// DirtyDestination says where the dirty records went (see
	// DirtyDestination); "" when the policy has no collector.
	DirtyDestination string
	// SplitsPlanned is the number of splits of the plan; Splits has one per
	// split that ran (succeeded, failed or was cancelled), in plan order:
	// fewer than planned when the job stopped early.
	SplitsPlanned int
	Splits        []SplitResult
}

// SplitsDone returns the number of splits that succeeded.
func (r Result) SplitsDone() int {
	n := 0
	for _, s := range r.Splits {
		if s.Err == nil {
			n++
		}
	}
	return n
}

// RecordsPerSec returns the records written per second of elapsed time.
func (r Result) RecordsPerSec() float64 { return perSec(r.RecordsWritten, r.Elapsed) }

// BytesPerSec returns the bytes written per second of elapsed time.
func (r Result) BytesPerSec() float64 { return perSec(r.BytesWritten, r.Elapsed) }

// String returns a short readable summary, such as
//
//	1000000 records (212.4 MB) in 1.52s: 657894 records/s, 139.7 MB/s; 1000000 read, 999995 written, 5 dirty; 16 splits, 0 retries; of 6.1s worker time, waited 2% on the reader, 51% on the writer, 0% on the rate limit
func (r Result) String() string {
	rd, wr, th := r.WaitShares()
	return fmt.Sprintf("%d records (%s) in %s: %.0f records/s, %s/s; %d read, %d written, %d dirty; %d splits, %d retries; of %s worker time, waited %.0f%% on the reader, %.0f%% on the writer, %.0f%% on the rate limit",
		r.RecordsRead, numfmt.Bytes(r.BytesRead), roundDuration(r.Elapsed), r.RecordsPerSec(), numfmt.Bytes(int64(r.BytesPerSec())),
		r.RecordsRead, r.RecordsWritten, r.RecordsDirty, len(r.Splits), r.Retries,
		roundDuration(r.WorkerTime()), 100*rd, 100*wr, 100*th)
}

// SplitResult describes what happened to one split.
type SplitResult struct {
	ID             string
	RecordsRead    int64
	RecordsWritten int64
	RecordsDirty   int64
	BytesRead      int64
	BytesWritten   int64
	Elapsed        time.Duration
	ReadWait       time.Duration
	WriteWait      time.Duration
	ThrottleWait   time.Duration
	Attempts       int        // 1 when it succeeded the first time
	Checkpoint     Checkpoint // the last durable position (the split's end when it succeeded)
	Skipped        bool       // found done by an earlier run (a durable checkpoint) and not run again
	Err            error      // why it failed, nil when it succeeded

	RecordsFiltered int64 // records a transformer dropped (WithTransform)
}

// Progress is a snapshot of a running job, given to the WithProgress function.
type Progress struct {
	Elapsed        time.Duration
	RecordsRead    int64
	RecordsWritten int64
	RecordsDirty   int64
	BytesRead      int64
	BytesWritten   int64
	// SplitsDone counts the splits that succeeded (not those that failed or
	// were cancelled), out of SplitsTotal, the splits of the plan: the same
	// counts as Result.SplitsDone and Result.SplitsPlanned.
	SplitsDone  int
	SplitsTotal int
	// EstimatedRecords is the sum of the plan's row estimates, 0 when the
	// source gave none.
	EstimatedRecords int64
	// RecordsPerSec and BytesPerSec are the read rates over about the last
	// ten seconds (over the whole job in the final snapshot).
	RecordsPerSec float64
	BytesPerSec   float64
	// Done is set on the last snapshot, sent when the job has ended.
	Done bool
}

// Remaining estimates the time left from the plan's estimate and the current
// rate; ok is false when there is no estimate or no rate yet.
func (p Progress) Remaining() (d time.Duration, ok bool) {
	if p.EstimatedRecords <= 0 || p.RecordsPerSec <= 0 {
		return 0, false
	}
	left := max(p.EstimatedRecords-p.RecordsRead, 0)
	return time.Duration(float64(left) / p.RecordsPerSec * float64(time.Second)), true
}

// String returns a one-line summary, such as
//
//	512000/1000000 records, 108.2 MB, 650000 records/s, 0 dirty, 7/16 splits
func (p Progress) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d", p.RecordsRead)
	if p.EstimatedRecords > 0 {
		fmt.Fprintf(&b, "/%d", p.EstimatedRecords)
	}
	fmt.Fprintf(&b, " records, %s, %.0f records/s, %d dirty, %d/%d splits",
		numfmt.Bytes(p.BytesRead), p.RecordsPerSec, p.RecordsDirty, p.SplitsDone, p.SplitsTotal)
	return b.String()
}

func perSec(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(time.Millisecond)
	}
	return d.Round(time.Microsecond)
}
