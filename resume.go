package datasync

import (
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
