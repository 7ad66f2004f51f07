package datasync

import (
	"sync"
	"time"
)

// throttleClock measures, for one split attempt, the time its reading side
// spends waiting for the rate limit, so that the writing side can leave it
// out of its own wait for the reader: while the limit holds the reader
// back, the writer waits on the limit, not on the source.
type throttleClock struct {
	mu    sync.Mutex
	total time.Duration // finished throttle waits
	since time.Time     // start of the wait in progress, zero when none
}

// begin marks the start of a wait for the rate limit.
func (c *throttleClock) begin(now time.Time) {
	c.mu.Lock()
	c.since = now
	c.mu.Unlock()
}

// end marks the end of the wait begun last and returns its length.
func (c *throttleClock) end(now time.Time) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := now.Sub(c.since)
	c.total += d
	c.since = time.Time{}
	return d
}

// at returns the throttle time up to now, the wait in progress included.
func (c *throttleClock) at(now time.Time) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.since.IsZero() {
		return c.total
	}
	return c.total + now.Sub(c.since)
}

// waitExcludingThrottle returns how long the interval from start to end,
// spent waiting for the reader, was not also spent by the reader waiting
// for the rate limit; throttledAtStart is c.at(start).
func (c *throttleClock) waitExcludingThrottle(start time.Time, throttledAtStart time.Duration, end time.Time) time.Duration {
	return max(end.Sub(start)-(c.at(end)-throttledAtStart), 0)
}

// WorkerTime returns the time the workers spent on splits, summed over the
// splits that ran (each split's Elapsed, retries and their backoff
// included): the denominator of WaitShares.
func (r Result) WorkerTime() time.Duration {
	var t time.Duration
	for _, s := range r.Splits {
		t += s.Elapsed
	}
	return t
}

// WaitShares returns ReadWait, WriteWait and ThrottleWait each as a share
// of WorkerTime, between 0 and 1: how much of the workers' time went to
// waiting for the source, for the sink, and for the rate limit. A share near
// 1 names the bottleneck ("the source is slow", "the sink is slow", "the
// limit holds the job back"); all three low means the pipeline itself (CPU,
// conversion) is the limit. All are 0 when no split ran.
func (r Result) WaitShares() (reader, writer, throttle float64) {
	t := r.WorkerTime()
	if t <= 0 {
		return 0, 0, 0
	}
	share := func(d time.Duration) float64 { return min(max(float64(d)/float64(t), 0), 1) }
	return share(r.ReadWait), share(r.WriteWait), share(r.ThrottleWait)
}
