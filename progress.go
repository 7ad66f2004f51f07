package datasync

import (
	"context"
	"time"
)

// startProgress starts calling the WithProgress function every interval; the
// returned stop function ends that and sends the final snapshot, with Done
// set and the job's elapsed time. Without WithProgress both do nothing.
func (j *job) startProgress(ctx context.Context) (stop func(elapsed time.Duration)) {
	fn, every := j.p.cfg.progress, j.p.cfg.progressEvery
	if fn == nil {
		return func(time.Duration) {}
	}
	start := time.Now()
	done := make(chan struct{})
	exited := make(chan struct{})
	var window []Progress // recent snapshots, for the rates
	go func() {
		defer close(exited)
		ticker := time.NewTicker(every)
		defer ticker.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-ticker.C:
				elapsed := time.Since(start)
				for len(window) > 1 && elapsed-window[1].Elapsed >= rateWindow {
					window = window[1:]
				}
				var oldest Progress
				if len(window) > 0 {
					oldest = window[0]
				}
				p := j.snapshot(elapsed, oldest)
				fn(p)
				window = append(window, p)
			}
		}
	}()
	return func(elapsed time.Duration) {
		close(done)
		<-exited
		p := j.snapshot(elapsed, Progress{}) // rates over the whole job
		p.Done = true
		fn(p)
	}
}

// rateWindow is how far back the progress rates look: long enough to smooth
// out batches arriving in bursts, short enough to follow a change of pace.
const rateWindow = 10 * time.Second

// snapshot reads the job's counters; rates are measured since prev.
func (j *job) snapshot(elapsed time.Duration, prev Progress) Progress {
	p := Progress{
		Elapsed:          elapsed,
		RecordsRead:      j.read.Load(),
		RecordsWritten:   j.written.Load(),
		RecordsDirty:     j.dirty.total(),
		BytesRead:        j.readBytes.Load(),
		BytesWritten:     j.writtenBytes.Load(),
		SplitsDone:       int(j.splitsDone.Load()),
		SplitsTotal:      len(j.splits),
		EstimatedRecords: j.expected,
	}
	if dt := (elapsed - prev.Elapsed).Seconds(); dt > 0 {
		p.RecordsPerSec = float64(p.RecordsRead-prev.RecordsRead) / dt
		p.BytesPerSec = float64(p.BytesRead-prev.BytesRead) / dt
	}
	return p
}
