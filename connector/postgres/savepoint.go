package postgres

import (
	"context"
	"fmt"
)

// Savepoints. Every COPY runs under a savepoint, so that a rejected row
// costs a rollback of little more than its own batch. But a transaction with
// more than 64 subtransactions overflows the server's per-backend cache of
// them (PGPROC_MAX_CACHED_SUBXIDS; released subtransactions count until the
// transaction ends), and then every snapshot taken on the server has to look
// them up in pg_subtrans while it lasts. So batches share a savepoint until
// savepointBytes of COPY data have been sent under it, and the writer keeps
// that data (the batches are encoded one after the other in its buffer; a
// pass-through batch is copied there): when a batch sharing a savepoint is
// rejected, the transaction is rolled back to the savepoint, the kept rows
// are sent again, and the rejected batch is narrowed down (narrow.go). With
// the pipeline's default flushes (every 32 MiB), a transaction holds about
// 16 savepoints.

// savepointBytes is how much COPY data batches send under one savepoint.
const savepointBytes = 2 << 20

// keptCopy is one COPY whose rows the writer keeps, in w.rows.data[start:end].
type keptCopy struct {
	format     copyFormat
	start, end int
}

// canShareSavepoint reports whether the next batch may run under the current
// savepoint: one is set, all that was sent since is kept, and not too much.
func (w *writer) canShareSavepoint() bool {
	return w.tx == txClean && w.keptAll && len(w.rows.data) < savepointBytes
}

// keep records the rows a successful COPY sent, all of the batch's rows
// but those rejected before it: encoded rows are already in w.rows.data,
// contiguous; pass-through rows are copied there. A batch under a new
// savepoint was preceded by forgetKept.
func (w *writer) keep(format copyFormat, rows []int) {
	start, end := w.rows.start, len(w.rows.data)
	if format == formatPassThrough {
		start = len(w.rows.data)
		var patch rowPatch
		for _, i := range rows {
			for _, part := range w.rowParts(format, i, &patch) {
				w.rows.data = append(w.rows.data, part...)
			}
		}
		end = len(w.rows.data)
	}
	w.keptCopies = append(w.keptCopies, keptCopy{format: format, start: start, end: end})
	w.keptAll = true
}

// forgetKept drops the kept rows: the next batch sets a savepoint.
func (w *writer) forgetKept() {
	if cap(w.rows.data) > 4*savepointBytes+(64<<20) { // grown for huge rows: not worth keeping
		w.rows.data = nil
	}
	w.rows.data, w.keptCopies, w.keptAll = w.rows.data[:0], w.keptCopies[:0], false
}

// restore rolls the transaction back to its savepoint, which a rejected
// batch sharing it aborted, and sends again the rows kept since it was set.
func (w *writer) restore(ctx context.Context) error {
	for i, k := range w.keptCopies {
		sql := w.sql.binary
		if k.format == formatText {
			sql = w.sql.text
		}
		if w.sql.merge != "" {
			sql += "; " + w.sql.merge
		}
		if i == 0 {
			sql = "ROLLBACK TO SAVEPOINT datasync; " + sql
		}
		w.src.resetRaw(w, k.format, w.rows.data[k.start:k.end])
		if err := w.copy(ctx, sql, &w.src); err != nil {
			return fmt.Errorf("postgres: write again the rows of earlier batches after a rejected row: %w", err)
		}
	}
	return nil
}
