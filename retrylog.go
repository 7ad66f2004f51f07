package datasync

import "time"

// Retry is one retry of a split: which attempt failed, why, and how long
// the pipeline waited before the next one (see WithRetry).
type Retry struct {
	Split   string        // the split's ID
	Attempt int           // the attempt that failed, from 1
	At      time.Time     // when it failed
	Backoff time.Duration // the wait before the next attempt
	Err     error         // the cause
}

// retryLog collects a job's retries.
func (j *job) logRetry(r Retry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.retryLog = append(j.retryLog, r)
}
