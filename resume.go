package datasync

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
)

// skip ends split s without running it: an earlier run completed it (its
// durable progress says Done, at checkpoint cp).
func (w *worker) skip(ctx context.Context, s Split, cp Checkpoint, onCheckpoint func(Checkpoint) error, res *SplitResult) (SplitResult, error) {
	res.Skipped, res.Checkpoint = true, cp
	w.j.p.cfg.logger.LogAttrs(ctx, slog.LevelInfo, "split already done by an earlier run: skipped", slog.String("split", s.ID))
	if onCheckpoint != nil {
		if err := onCheckpoint(cp); err != nil {
			err = fmt.Errorf("checkpoint callback: %w", err)
			return *res, &SplitError{Split: s.ID, Err: err}
		}
	}
	return *res, nil
}

// flushWriter flushes the writer; a CheckpointWriter commits p with the rows.
func (a *splitAttempt) flushWriter(ctx context.Context, p SplitProgress) error {
	if cw, ok := a.writer.(CheckpointWriter); ok {
		return cw.FlushCheckpoint(ctx, p)
	}
	return a.writer.Flush(ctx)
}

// saveProgress saves p in the pipeline's CheckpointStore, if any.
func (a *splitAttempt) saveProgress(p SplitProgress) error {
	st := a.w.j.p.cfg.checkpoints
	if st == nil {
		return nil
	}
	// Saved even when the attempt's context ends: the rows are durable.
	if err := st.SaveCheckpoint(context.Background(), a.split.ID, p); err != nil {
		return fmt.Errorf("save the split's checkpoint: %w", err)
	}
	return nil
}

// flushLanded checks, after the attempt failed in a flush of a
// CheckpointWriter, whether that flush's commit landed all the same (its
// reply was lost): the sink's durable progress is then what the flush
// recorded. If so, the window is counted as written (not taken back and
// written again: the retry resumes after it) and landed is what it held;
// done reports that it was the split's last flush, so the split succeeded.
func (a *splitAttempt) flushLanded(ctx context.Context) (landed tally, done bool) {
	p := a.flushing
	cs, ok := a.w.j.p.dst.(CheckpointSink)
	if p == nil || !ok || ctx.Err() != nil {
		return tally{}, false
	}
	if _, ok := a.writer.(CheckpointWriter); !ok {
		return tally{}, false
	}
	got, ok, err := cs.DurableCheckpoint(ctx, a.split.ID)
	if err != nil || !ok || got.Done != p.Done || !bytes.Equal(got.Checkpoint, p.Checkpoint) {
		return tally{}, false
	}
	landed = a.since
	a.flushing = nil
	a.w.j.p.cfg.logger.LogAttrs(ctx, slog.LevelInfo, "a commit whose reply was lost had landed: the split resumes after it",
		slog.String("split", a.split.ID))
	if err := a.durable(p.Checkpoint, p.Done); err != nil {
		return landed, false
	}
	return landed, p.Done
}
