package datasync

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Source is where records come from: a table, a query, a set of files. Its
// methods may be called from several goroutines at once.
type Source interface {
	// Schema returns the columns of the records the source produces.
	Schema(ctx context.Context) (Schema, error)
	// Plan divides the source into independent splits that can be read in
	// parallel. The same source must plan the same split IDs every time.
	Plan(ctx context.Context, hint PlanHint) ([]Split, error)
	// Open returns a Reader for split s, positioned just after checkpoint from
	// (at the split's start when from is nil).
	Open(ctx context.Context, s Split, from Checkpoint) (Reader, error)
}

// Reader reads one split. The pipeline calls its methods from one goroutine.
type Reader interface {
	// Read appends records to b, which the pipeline has emptied, until
	// b.Full() or until it has nothing more for now. It returns io.EOF when the
	// split is exhausted; records appended by that same call are still
	// delivered. Rows it cannot decode are reported in a *RowErrors, also
	// with the records it did append: they become dirty data and the split
	// goes on. Any other error fails the split (see IsRetryable).
	Read(ctx context.Context, b *Batch) error
	// Checkpoint returns the position just after the last record returned by
	// Read, such that Source.Open(split, checkpoint) resumes there.
	Checkpoint() Checkpoint
	// Close releases the reader. It is called once, whatever happened.
	Close() error
}

// Sink is where records go.
type Sink interface {
	// Prepare is called once per job, before any split is written, with the
	// source's schema: it runs pre-SQL, truncates, creates or checks the
	// target. It is not called by Pipeline.RunSplit, so a Writer must not
	// depend on it having run in the same process: the schema also arrives
	// with every Batch.
	Prepare(ctx context.Context, s Schema) error
	// Open returns a Writer for the records of split s. It may be called
	// several times for the same split when the split is retried.
	Open(ctx context.Context, s Split) (Writer, error)
}

// Writer writes the records of one split. The pipeline calls its methods from
// one goroutine.
//
// A writer that streams rows to a server that judges them later (a COPY
// whose errors arrive when it ends) may report a rejected row after the
// Write that carried it: from a later Write, or from Flush. Such a RowError
// carries the rejected record itself (RowError.Record), since its batch is
// gone, and numbers it by its position among all the rows given to the
// Writer.
type Writer interface {
	// Write writes or buffers the records of b. It must not keep b, or
	// anything in it, after it returns. When rows are rejected (a
	// constraint, a value too long, a conversion the target cannot take) it
	// returns a *RowErrors listing them, having written every other row
	// exactly once. Any other error fails the split.
	Write(ctx context.Context, b *Batch) error
	// Flush makes everything written so far durable (a commit). Only after
	// Flush returns nil, or a *RowErrors of rows it rejected late (every
	// other row is then durable), does the split's checkpoint advance past
	// those rows.
	Flush(ctx context.Context) error
	// Close releases the writer. It is called once, whatever happened; what
	// was written after the last successful Flush may be kept or discarded.
	Close() error
}

// Finalizer is implemented by a Sink that has work to do once after every
// split of the job succeeded, such as post-SQL. Pipeline.Run calls it; a
// distributed engine calls Pipeline.Finalize.
type Finalizer interface {
	Finalize(ctx context.Context) error
}

// Aborter is implemented by a Sink that has cleaning up to do when a job
// fails or is cancelled, such as removing what the splits that did complete
// staged for Finalize. Pipeline.Run calls it once, after every split has
// stopped, on a context that is not cancelled but is bounded; a distributed
// engine calls Pipeline.Abort. It must leave what the sink held before the
// job (an existing table or file) as it was.
type Aborter interface {
	Abort(ctx context.Context) error
}

// Committer is implemented by a Writer whose output becomes visible only when
// the split is complete: a file renamed into place, a multipart upload
// completed. The pipeline calls Commit once, after the split's last Flush and
// before Close; a Writer closed without Commit must leave nothing behind.
// Because nothing such a writer writes is durable before Commit, a retried
// split restarts from the checkpoint it started from.
type Committer interface {
	Commit(ctx context.Context) error
}

// SourceChecker is implemented by a Source that can check itself against the
// live system without reading data: that it can connect, that its tables and
// columns exist, that it has the privileges it needs. Pipeline.Check calls it.
type SourceChecker interface {
	Check(ctx context.Context) error
}

// SinkChecker is implemented by a Sink that can check, without writing or
// changing anything, that it could write records of schema s: that it can
// connect, that its target exists (or can be created) with matching
// columns, that it has the privileges and server features (bulk loading) it
// needs. Pipeline.Check calls it.
type SinkChecker interface {
	Check(ctx context.Context, s Schema) error
}

// Split is one independent piece of a source's work. It is plain data, so it
// can be planned in one process and run in another: it survives a JSON round
// trip unchanged.
type Split struct {
	// ID is unique within a plan and stable: the same source plans the same
	// IDs. Sinks may use it to name their output.
	ID string `json:"id"`
	// Spec is the connector's own description of the split.
	Spec json.RawMessage `json:"spec,omitempty"`
	// Rows is an estimate of the split's records, 0 when unknown.
	Rows int64 `json:"rows,omitempty"`
}

// NewSplit returns a split whose Spec is spec encoded as JSON.
func NewSplit(id string, spec any, rows int64) (Split, error) {
	raw, err := json.Marshal(spec)
	if err != nil {
		return Split{}, fmt.Errorf("split %q: encode spec: %w", id, err)
	}
	return Split{ID: id, Spec: raw, Rows: rows}, nil
}

// DecodeSpec decodes the split's Spec into v.
func (s Split) DecodeSpec(v any) error {
	if err := json.Unmarshal(s.Spec, v); err != nil {
		return fmt.Errorf("split %q: decode spec: %w", s.ID, err)
	}
	return nil
}

// Checkpoint is an opaque position within a split, produced by a Reader. Nil
// means the start of the split.
type Checkpoint []byte

// PlanHint tells Source.Plan how the splits will be run.
type PlanHint struct {
	// Parallelism is the number of splits that will run at once; sources aim
	// at a few times as many splits, so that uneven splits even out.
	Parallelism int
}

// RowError is one row that could not be read or written. Readers and writers
// return them, grouped in a *RowErrors, for rows that are dirty data rather
// than a failure of the whole split.
type RowError struct {
	// Split is the ID of the split the row belongs to; the pipeline fills it
	// in when a connector leaves it empty.
	Split string
	// Row locates the row. For errors returned by Writer.Write it is the
	// row's index in the batch that was passed to Write; for a row the writer
	// reports late (Record set), its position, from 0, among all the rows
	// given to that Writer. For errors returned by Reader.Read it is the
	// source's own row number within the split, such as a file's line number,
	// or -1 when the source has none.
	Row int64
	// Column is the name of the column at fault, "" when the row as a whole is.
	Column string
	// Value is the offending value or raw line as text, "" when unknown.
	Value string
	// Err is the reason, such as a *ConversionError or the database's error.
	Err error
	// Record is set by a writer that reports a row late: after the Write
	// that carried it returned, when the batch is gone (see Writer). It is
	// the rejected record, a copy the writer no longer uses.
	Record Record
}

func (e *RowError) Error() string {
	var b strings.Builder
	if e.Split != "" {
		fmt.Fprintf(&b, "split %q ", e.Split)
	}
	b.WriteString("row ")
	b.WriteString(strconv.FormatInt(e.Row, 10))
	if e.Column != "" {
		fmt.Fprintf(&b, " column %q", e.Column)
	}
	if e.Value != "" {
		b.WriteString(" value ")
		b.WriteString(quoteShort(e.Value))
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("rejected")
	}
	return b.String()
}

// Unwrap returns the reason.
func (e *RowError) Unwrap() error { return e.Err }

// RowErrors is the error a Reader or Writer returns when some rows are
// dirty. It promises that every other row was read (or written) exactly once;
// the rows listed were not.
type RowErrors struct {
	Errors []*RowError
}

func (e *RowErrors) Error() string {
	switch len(e.Errors) {
	case 0:
		return "no rows rejected"
	case 1:
		return "1 row rejected: " + e.Errors[0].Error()
	}
	return fmt.Sprintf("%d rows rejected; first: %v", len(e.Errors), e.Errors[0])
}

// Unwrap returns the row errors, for errors.Is and errors.As.
func (e *RowErrors) Unwrap() []error {
	errs := make([]error, len(e.Errors))
	for i, re := range e.Errors {
		errs[i] = re
	}
	return errs
}
