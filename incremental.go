package datasync

import (
	"context"
	"time"
)

// Incremental configures incremental sync of a source: each run reads only
// the rows whose Column is past the high-water mark that the last
// successful run saved (package state keeps the marks and runs the steps;
// see state.RunIncremental). The first run, with no mark, reads every row.
type Incremental struct {
	// Column is the incremental column: a key that only grows (an
	// auto-increment id) or a time of last change (updated_at). Rows whose
	// Column is NULL are never read by an incremental run.
	Column string `json:"column,omitempty"`
	// Lookback re-reads rows this far behind the mark, for rows that arrive
	// late (committed after a later value was read): for Date and Timestamp
	// columns. Re-read rows are written again, so pair it with a sink mode
	// that overwrites (upsert, replace) rather than one that duplicates.
	Lookback time.Duration `json:"lookback,omitempty"`
	// LookbackUnits is Lookback for integer and decimal columns: rows whose
	// Column is within this many units below the mark are read again.
	LookbackUnits int64 `json:"lookbackUnits,omitempty"`
}

// IncrementalSource is implemented by a Source that can take part in
// incremental sync (the PostgreSQL and MySQL table sources). A mark is the
// database's own text of a value of the incremental column, such that the
// same database compares the column with it exactly.
type IncrementalSource interface {
	Source
	// Incremental returns the source's incremental settings; a Column of
	// "" means it is not incremental.
	Incremental() Incremental
	// HighWater returns the greatest value of the incremental column among
	// the rows the source reads (its where condition included), as a mark;
	// ok is false when no row has a value.
	HighWater(ctx context.Context) (mark string, ok bool, err error)
	// Since returns a Source reading only the rows whose incremental column
	// is greater than after, less Lookback (no lower bound when hasAfter is
	// false), and at most upTo. The caller closes it when it is an
	// io.Closer; it never closes what the Source it came from holds.
	Since(ctx context.Context, after string, hasAfter bool, upTo string) (Source, error)
}
