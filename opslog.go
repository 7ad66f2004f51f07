package datasync

import (
	"context"
	"log/slog"
	"time"
)

// SplitDescriber is an optional capability of a Source: a readable
// description of a split's range, such as `id > 20017 AND id <= 40033`,
// for debug logs and for the command's plan output (a split's Spec is the
// connector's private encoding, not meant for people).
type SplitDescriber interface {
	DescribeSplit(s Split) (string, error)
}

// DescribeSplit returns src's description of s when src is a
// SplitDescriber, or "" when it is not or cannot describe it.
func DescribeSplit(src Source, s Split) string {
	d, ok := src.(SplitDescriber)
	if !ok {
		return ""
	}
	text, err := d.DescribeSplit(s)
	if err != nil {
		return ""
	}
	return text
}

// debugEnabled reports whether the pipeline's logger logs debug records.
func (p *Pipeline) debugEnabled(ctx context.Context) bool {
	return p.cfg.logger.Enabled(ctx, slog.LevelDebug)
}

// logSchema logs the source's schema at debug level.
func (p *Pipeline) logSchema(ctx context.Context, s Schema, took time.Duration) {
	if !p.debugEnabled(ctx) {
		return
	}
	cols := make([]slog.Attr, len(s))
	for i, c := range s {
		text := c.Kind.String()
		if c.Native != "" {
			text += " (" + c.Native + ")"
		}
		cols[i] = slog.String(c.Name, text)
	}
	p.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "source schema read", slog.Duration("took", took),
		slog.Int("columns", len(s)), slog.Any("schema", slog.GroupValue(cols...)))
}

// logPlan logs the plan at debug level: one line for it, one per split
// with its estimate and its boundaries.
func (p *Pipeline) logPlan(ctx context.Context, splits []Split, took time.Duration) {
	if !p.debugEnabled(ctx) {
		return
	}
	var rows int64
	for _, s := range splits {
		rows += max(s.Rows, 0)
	}
	p.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "source planned", slog.Duration("took", took),
		slog.Int("splits", len(splits)), slog.Int64("estimated_records", rows), slog.Int("parallelism", p.cfg.parallelism))
	for _, s := range splits {
		attrs := []slog.Attr{slog.String("split", s.ID), slog.Int64("estimated_records", s.Rows)}
		if d := DescribeSplit(p.src, s); d != "" {
			attrs = append(attrs, slog.String("range", d))
		} else {
			attrs = append(attrs, slog.String("spec", string(s.Spec)))
		}
		p.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "split planned", attrs...)
	}
}

// resultAttrs are a job's figures as separate log attributes.
func resultAttrs(r Result) []slog.Attr {
	rd, wr, th := r.WaitShares()
	return []slog.Attr{
		slog.Duration("elapsed", r.Elapsed),
		slog.Int64("records_read", r.RecordsRead),
		slog.Int64("records_written", r.RecordsWritten),
		slog.Int64("records_dirty", r.RecordsDirty),
		slog.Int64("bytes_read", r.BytesRead),
		slog.Int64("bytes_written", r.BytesWritten),
		slog.Float64("records_per_sec", r.RecordsPerSec()),
		slog.Float64("bytes_per_sec", r.BytesPerSec()),
		slog.Int("splits_planned", r.SplitsPlanned),
		slog.Int("splits_done", r.SplitsDone()),
		slog.Int("retries", r.Retries),
		slog.Int("workers", r.Workers),
		slog.Duration("worker_time", r.WorkerTime()),
		slog.Duration("read_wait", r.ReadWait),
		slog.Duration("write_wait", r.WriteWait),
		slog.Duration("throttle_wait", r.ThrottleWait),
		slog.Float64("read_wait_share", rd),
		slog.Float64("write_wait_share", wr),
		slog.Float64("throttle_wait_share", th),
	}
}

// logSplitDone logs a split's figures at debug level.
func (p *Pipeline) logSplitDone(ctx context.Context, r SplitResult) {
	if !p.debugEnabled(ctx) {
		return
	}
	attrs := []slog.Attr{slog.String("split", r.ID), slog.Int("attempts", r.Attempts), slog.Duration("elapsed", r.Elapsed),
		slog.Int64("records_read", r.RecordsRead), slog.Int64("records_written", r.RecordsWritten),
		slog.Int64("records_dirty", r.RecordsDirty), slog.Int64("bytes_written", r.BytesWritten),
		slog.Duration("read_wait", r.ReadWait), slog.Duration("write_wait", r.WriteWait), slog.Duration("throttle_wait", r.ThrottleWait)}
	msg := "split done"
	if r.Err != nil {
		msg = "split stopped"
		attrs = append(attrs, slog.String("error", r.Err.Error()))
	}
	p.cfg.logger.LogAttrs(ctx, slog.LevelDebug, msg, attrs...)
}

// logOpened logs, at debug level, that the attempt's source or sink
// opened (its connection set up) and how long that took.
func (a *splitAttempt) logOpened(ctx context.Context, msg string, took time.Duration) {
	p := a.w.j.p
	if !p.debugEnabled(ctx) {
		return
	}
	p.cfg.logger.LogAttrs(ctx, slog.LevelDebug, msg, slog.String("split", a.split.ID),
		slog.Int("attempt", a.attempt), slog.Duration("took", took), slog.Bool("resumed", len(*a.cp) > 0))
}

// logFlushed logs a flush of the attempt's writer at debug level: what it
// made durable and how long it took.
func (a *splitAttempt) logFlushed(ctx context.Context, took time.Duration, err error) {
	p := a.w.j.p
	if !p.debugEnabled(ctx) {
		return
	}
	attrs := []slog.Attr{slog.String("split", a.split.ID), slog.Int("attempt", a.attempt), slog.Duration("took", took),
		slog.Int64("records", a.since.written), slog.Int64("bytes", a.since.writtenBytes)}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	p.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "sink flushed", attrs...)
}
