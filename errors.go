package datasync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"
)

// Sentinel errors, for errors.Is.
var (
	// ErrNull is returned by the As accessors of a NULL Value.
	ErrNull = errors.New("datasync: value is NULL")

	// ErrDirtyLimit is matched by the error a job stops with when its dirty
	// records pass the DirtyPolicy (the error itself is a *DirtyLimitError).
	ErrDirtyLimit = errors.New("datasync: dirty-data limit exceeded")

	// ErrInvalidOption is matched by the errors NewPipeline returns for
	// options it cannot accept.
	ErrInvalidOption = errors.New("datasync: invalid option")

	// ErrStalled is matched by the error of a split that moved nothing for
	// the stall timeout (see WithStallTimeout; the error itself is a
	// *StallError, and is retryable).
	ErrStalled = errors.New("datasync: split stalled")
)

// ConversionError reports a value that cannot be converted to another kind
// without loss, or that is not valid for it.
type ConversionError struct {
	From Kind   // the value's kind
	To   Kind   // the kind asked for
	Text string // the value's text form, shortened to 100 bytes
	Err  error  // why
}

func (e *ConversionError) Error() string {
	return fmt.Sprintf("cannot convert %s %s to %s: %v", e.From, quoteShort(e.Text), e.To, e.Err)
}

// Unwrap returns the cause.
func (e *ConversionError) Unwrap() error { return e.Err }

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

// DirtyLimitError is the error a job stops with when its dirty records pass
// the DirtyPolicy. It matches ErrDirtyLimit.
type DirtyLimitError struct {
	Dirty  int64        // dirty records counted when the job stopped
	Read   int64        // records read by then
	Policy DirtyPolicy  // the policy that was passed
	ByRate bool         // whether the ratio rather than the count was passed
	Last   *DirtyRecord // the last dirty record counted
}

func (e *DirtyLimitError) Error() string {
	var msg string
	if e.ByRate {
		msg = fmt.Sprintf("datasync: dirty-data limit exceeded: %d dirty of %d records read (%.4g%%) is over the limit of %.4g%%",
			e.Dirty, e.Read, 100*float64(e.Dirty)/float64(max(e.Read, 1)), 100*e.Policy.MaxRatio)
	} else {
		msg = fmt.Sprintf("datasync: dirty-data limit exceeded: %d dirty records, more than the %d allowed", e.Dirty, max(e.Policy.MaxRecords, 0))
	}
	if e.Last != nil {
		msg += fmt.Sprintf("; last: split %q row %d", e.Last.Split, e.Last.Row)
		if e.Last.Column != "" {
			msg += fmt.Sprintf(" column %q", e.Last.Column)
		}
		msg += ": " + e.Last.Reason()
	}
	return msg
}

// Is matches ErrDirtyLimit.
func (e *DirtyLimitError) Is(target error) bool { return target == ErrDirtyLimit }

// SplitError is a failure of one split, after its retries.
type SplitError struct {
	Split    string // the split's ID
	Attempts int    // how many times it was run
	Err      error
}

func (e *SplitError) Error() string {
	if e.Attempts > 1 {
		return fmt.Sprintf("split %q failed after %d attempts: %v", e.Split, e.Attempts, e.Err)
	}
	return fmt.Sprintf("split %q: %v", e.Split, e.Err)
}

// Unwrap returns the cause.
func (e *SplitError) Unwrap() error { return e.Err }

// Retryable marks err as worth retrying: IsRetryable reports true for it and
// for errors wrapping it. Connectors use it for failures such as a dropped
// connection; Retryable(nil) is nil.
func Retryable(err error) error {
	if err == nil {
		return nil
	}
	return &retryMark{err: err, retry: true}
}

// Permanent marks err as not worth retrying, overriding what IsRetryable
// would otherwise conclude from its cause; Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &retryMark{err: err, retry: false}
}

type retryMark struct {
	err   error
	retry bool
}

func (m *retryMark) Error() string   { return m.err.Error() }
func (m *retryMark) Unwrap() error   { return m.err }
func (m *retryMark) Retryable() bool { return m.retry }

// IsRetryable reports whether a split that failed with err may succeed if it
// is reopened from its last checkpoint. The first error in err's chain with a
// Retryable() bool method decides (see [Retryable] and [Permanent]); failing
// that, cancellation, deadlines, dirty data and dirty limits are not
// retryable, while dropped or refused connections, unexpected EOFs and network
// timeouts are. Anything else is not.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	var marked interface{ Retryable() bool }
	if errors.As(err, &marked) {
		return marked.Retryable()
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrDirtyLimit) {
		return false
	}
	var rows *RowErrors
	if errors.As(err, &rows) {
		return false
	}
	for _, transient := range []error{io.ErrUnexpectedEOF, syscall.ECONNRESET, syscall.ECONNREFUSED, syscall.ECONNABORTED, syscall.EPIPE, syscall.ETIMEDOUT} {
		if errors.Is(err, transient) {
			return true
		}
	}
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}

// quoteShort quotes s for an error message, shortened to 100 bytes.
func quoteShort(s string) string {
	const limit = 100
	if len(s) <= limit {
		return strconv.Quote(s)
	}
	cut := limit
	for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return strconv.Quote(s[:cut]) + fmt.Sprintf("...(%d bytes)", len(s))
}
