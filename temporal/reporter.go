package temporal

import (
	"context"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/datasync-go/datasync"
)

// SignalSplitReport is the signal a running split sends its workflow with
// its counts (a SplitReport).
const SignalSplitReport = "datasync.split-report"

// Counts are records and bytes moved.
type Counts struct {
	RecordsRead    int64 `json:"recordsRead"`
	RecordsWritten int64 `json:"recordsWritten"`
	RecordsDirty   int64 `json:"recordsDirty"`
	BytesRead      int64 `json:"bytesRead"`
	BytesWritten   int64 `json:"bytesWritten"`
}

func (c Counts) plus(d Counts) Counts {
	return Counts{c.RecordsRead + d.RecordsRead, c.RecordsWritten + d.RecordsWritten, c.RecordsDirty + d.RecordsDirty,
		c.BytesRead + d.BytesRead, c.BytesWritten + d.BytesWritten}
}

// SplitReport is what a running split tells its workflow: its counts so
// far (over all its attempts) and its current speed.
type SplitReport struct {
	Task    int    `json:"task"`
	Split   string `json:"split"`
	Attempt int32  `json:"attempt"`
	Seq     int64  `json:"seq"` // increases with each report of an attempt
	Counts
	RecordsPerSec float64 `json:"recordsPerSec"`
	BytesPerSec   float64 `json:"bytesPerSec"`
}

// splitReporter heartbeats a split's checkpoints and reports its counts to
// the workflow, while RunSplit runs.
type splitReporter struct {
	ctx  context.Context
	in   splitInput
	info activity.Info
	base Counts // what earlier attempts did, as the resumed heartbeat says

	mu        sync.Mutex
	latest    datasync.Progress
	collected int64 // dirty records handed to the collector by this attempt
	beat      heartbeat
	seq       int64

	dirtyCh chan struct{}
}

func newSplitReporter(ctx context.Context, in splitInput, info activity.Info, from heartbeat) *splitReporter {
	return &splitReporter{ctx: ctx, in: in, info: info, base: from.Base, beat: from, dirtyCh: make(chan struct{}, 1)}
}

// progressEvery is how often the pipeline takes a progress snapshot.
func (r *splitReporter) progressEvery() time.Duration {
	return max(min(time.Duration(r.in.ReportEvery), time.Second), 20*time.Millisecond)
}

// progress receives the pipeline's progress snapshots.
func (r *splitReporter) progress(p datasync.Progress) {
	r.mu.Lock()
	r.latest = p
	r.mu.Unlock()
}

// current returns the split's counts over all attempts; the caller holds mu.
func (r *splitReporter) current() Counts {
	p := r.latest
	c := Counts{RecordsRead: p.RecordsRead, RecordsWritten: p.RecordsWritten, RecordsDirty: max(p.RecordsDirty, r.collected),
		BytesRead: p.BytesRead, BytesWritten: p.BytesWritten}
	return r.base.plus(c)
}

// checkpoint is RunSplit's onCheckpoint: the position is durable, so a
// later attempt may resume from it.
func (r *splitReporter) checkpoint(cp datasync.Checkpoint) error {
	r.mu.Lock()
	r.beat = heartbeat{Checkpoint: cp, Base: r.current()}
	beat := r.beat
	r.mu.Unlock()
	activity.RecordHeartbeat(r.ctx, beat)
	return nil
}

// countDirty wraps the collector to count dirty records and report them
// to the workflow soon.
func (r *splitReporter) countDirty(c datasync.DirtyCollector) datasync.DirtyCollector {
	return &countingCollector{DirtyCollector: c, r: r}
}

type countingCollector struct {
	datasync.DirtyCollector
	r *splitReporter
}

func (c *countingCollector) Collect(ctx context.Context, d datasync.DirtyRecord) error {
	err := c.DirtyCollector.Collect(ctx, d)
	c.r.mu.Lock()
	c.r.collected++
	c.r.mu.Unlock()
	select {
	case c.r.dirtyCh <- struct{}{}:
	default:
	}
	return err
}

// start heartbeats and reports until the returned function is called.
func (r *splitReporter) start() (stop func()) {
	ctx, cancel := context.WithCancel(r.ctx)
	var wg sync.WaitGroup
	wg.Go(func() { r.loop(ctx) })
	return func() {
		cancel()
		wg.Wait()
	}
}

func (r *splitReporter) loop(ctx context.Context) {
	beatEvery := max(time.Duration(r.in.Heartbeat)/4, 20*time.Millisecond)
	beats := time.NewTicker(beatEvery)
	defer beats.Stop()
	reports := time.NewTicker(time.Duration(r.in.ReportEvery))
	defer reports.Stop()
	var dirtyTimer <-chan time.Time
	var lastReport time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-beats.C:
			r.mu.Lock()
			beat := r.beat
			r.mu.Unlock()
			activity.RecordHeartbeat(r.ctx, beat)
		case <-reports.C:
			r.report(ctx)
			lastReport = time.Now()
		case <-r.dirtyCh:
			if wait := MinDirtyReportGap - time.Since(lastReport); wait > 0 {
				if dirtyTimer == nil {
					dirtyTimer = time.After(wait)
				}
				continue
			}
			r.report(ctx)
			lastReport = time.Now()
		case <-dirtyTimer:
			dirtyTimer = nil
			r.report(ctx)
			lastReport = time.Now()
		}
	}
}

// report signals the workflow with the split's counts. A report that
// cannot be sent is dropped: the next one carries the counts again.
func (r *splitReporter) report(ctx context.Context) {
	r.mu.Lock()
	r.seq++
	rep := SplitReport{Task: r.in.Task, Split: r.in.Split.ID, Attempt: r.info.Attempt, Seq: r.seq, Counts: r.current(),
		RecordsPerSec: r.latest.RecordsPerSec, BytesPerSec: r.latest.BytesPerSec}
	r.mu.Unlock()
	c := activity.GetClient(r.ctx)
	we := r.info.WorkflowExecution
	if err := c.SignalWorkflow(ctx, we.ID, we.RunID, SignalSplitReport, rep); err != nil && ctx.Err() == nil {
		activity.GetLogger(r.ctx).Warn("reporting a split's progress to its workflow failed", "split", r.in.Split.ID, "error", err)
	}
}
