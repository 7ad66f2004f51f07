package datasync

import (
	"context"
	"fmt"
	"math"
	"time"

	"golang.org/x/time/rate"
)

// Rate is a job-wide speed limit, shared by all workers together (unlike
// DataX, whose limits are per channel): a limit of 1 MB/s means about 1 MB/s
// for the job however many workers run. Zero fields mean no limit.
type Rate struct {
	RecordsPerSec float64 // records read per second
	BytesPerSec   float64 // bytes read per second, as Value.Size counts them
}

func (r Rate) validate() error {
	if r.RecordsPerSec < 0 || math.IsNaN(r.RecordsPerSec) || math.IsInf(r.RecordsPerSec, 0) {
		return fmt.Errorf("RecordsPerSec %v is not a finite number >= 0", r.RecordsPerSec)
	}
	if r.BytesPerSec < 0 || math.IsNaN(r.BytesPerSec) || math.IsInf(r.BytesPerSec, 0) {
		return fmt.Errorf("BytesPerSec %v is not a finite number >= 0", r.BytesPerSec)
	}
	return nil
}

// fitBatch shrinks the batch bounds so that a batch is about a tenth of a
// second of the allowed rate: the bucket's burst is one batch, so smaller
// batches under a low limit give a smooth flow instead of long pauses.
func (r Rate) fitBatch(rows, bytes int) (int, int) {
	if r.RecordsPerSec > 0 {
		rows = min(rows, max(1, int(r.RecordsPerSec/10)))
	}
	if r.BytesPerSec > 0 {
		bytes = min(bytes, max(1, int(r.BytesPerSec/10)))
	}
	return rows, bytes
}

// throttle holds the job's token buckets. A nil bucket means no limit.
type throttle struct {
	records *rate.Limiter
	bytes   *rate.Limiter
}

// newThrottle returns buckets whose burst is one batch. They start empty, so
// that N records at R records/s take at least N/R seconds.
func newThrottle(r Rate, batchRows, batchBytes int) *throttle {
	t := &throttle{}
	now := time.Now()
	if r.RecordsPerSec > 0 {
		t.records = rate.NewLimiter(rate.Limit(r.RecordsPerSec), batchRows)
		t.records.AllowN(now, batchRows)
	}
	if r.BytesPerSec > 0 {
		t.bytes = rate.NewLimiter(rate.Limit(r.BytesPerSec), batchBytes)
		t.bytes.AllowN(now, batchBytes)
	}
	return t
}

// wait blocks until records and bytes may pass, or ctx is done.
func (t *throttle) wait(ctx context.Context, records, bytes int) error {
	if err := waitN(ctx, t.records, records); err != nil {
		return err
	}
	return waitN(ctx, t.bytes, bytes)
}

// waitN takes n tokens, in pieces no larger than the burst (a batch may hold
// one row larger than the byte bound). It waits for them against ctx itself,
// rather than with rate.Limiter.WaitN, which gives up at once, with its own
// error, when the wait would pass ctx's deadline: a job with a deadline runs
// until it and returns ctx's error. A wait cut short by ctx gives its
// reservation back.
func waitN(ctx context.Context, l *rate.Limiter, n int) error {
	if l == nil {
		return nil
	}
	for n > 0 {
		take := min(n, l.Burst())
		r := l.ReserveN(time.Now(), take)
		if !r.OK() { // cannot happen: take is at most the burst
			return fmt.Errorf("rate limit: cannot take %d tokens of a bucket of %d", take, l.Burst())
		}
		if err := sleep(ctx, r.Delay()); err != nil {
			r.Cancel()
			return err
		}
		n -= take
	}
	return nil
}
