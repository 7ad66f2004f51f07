package cli

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/numfmt"
)

// progressBar draws a one-line bar on a terminal, redrawn in place:
//
//	[########------------]  41%  410,000/1,000,000 rec  86.1 MB  205,000 rec/s  0 dirty  6/16 splits  ETA 3s
func progressBar(w io.Writer) func(datasync.Progress) {
	return func(p datasync.Progress) {
		var b strings.Builder
		if p.EstimatedRecords > 0 {
			// The plan's estimate may be short: the bar then ends at
			// what was read, never above its own total.
			p.EstimatedRecords = max(p.EstimatedRecords, p.RecordsRead)
			frac := min(float64(p.RecordsRead)/float64(p.EstimatedRecords), 1)
			const width = 20
			filled := int(frac * width)
			fmt.Fprintf(&b, "[%s%s] %3.0f%%  %s/%s rec", strings.Repeat("#", filled), strings.Repeat("-", width-filled),
				100*frac, numfmt.Group(p.RecordsRead), numfmt.Group(p.EstimatedRecords))
		} else {
			fmt.Fprintf(&b, "%s rec", numfmt.Group(p.RecordsRead))
		}
		fmt.Fprintf(&b, "  %s  %s rec/s  %s dirty  %d/%d splits", numfmt.Bytes(p.BytesRead),
			numfmt.Group(int64(p.RecordsPerSec)), numfmt.Group(p.RecordsDirty), p.SplitsDone, p.SplitsTotal)
		if left, ok := p.Remaining(); ok && !p.Done {
			fmt.Fprintf(&b, "  ETA %s", left.Round(time.Second))
		}
		// \r and a clear to the end of the line redraw in place.
		fmt.Fprintf(w, "\r%s\x1b[K", b.String())
		if p.Done {
			fmt.Fprintln(w)
		}
	}
}

// progressLog logs one line per snapshot, for logs that are not a terminal.
func progressLog(logger *slog.Logger) func(datasync.Progress) {
	return func(p datasync.Progress) {
		if p.Done {
			return // the final report follows
		}
		attrs := []any{
			slog.Int64("read", p.RecordsRead), slog.Int64("written", p.RecordsWritten),
			slog.Int64("dirty", p.RecordsDirty), slog.String("bytes", numfmt.Bytes(p.BytesRead)),
			slog.String("rate", fmt.Sprintf("%.0f rec/s", p.RecordsPerSec)),
			slog.String("splits", fmt.Sprintf("%d/%d", p.SplitsDone, p.SplitsTotal)),
		}
		if left, ok := p.Remaining(); ok {
			attrs = append(attrs, slog.Duration("eta", left.Round(time.Second)))
		}
		logger.Info("progress", attrs...)
	}
}
