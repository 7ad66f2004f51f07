package postgres

import (
	"context"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/datasync-go/datasync"
)

// Narrowing down rejected rows. A COPY is all or nothing: when the server
// rejects one row, none of its rows is written, and the transaction is
// aborted back to its last savepoint (see stream.go). The rows are then sent
// again in parts, each under a savepoint of its own: up to the row the
// error's context names ("COPY t, line 7"), that row alone, and the rest;
// or, when the error names no line (a constraint checked by upsert's
// INSERT, a trigger), in halves. A row is rejected only when it fails on its
// own, with the server's error for it, so every other row is written exactly
// once.

// narrow writes rows (indexes into w.rows.spans), each attempt under a
// savepoint of its own, rejecting the rows that fail alone. failed, when not
// nil, is the error rows already failed with.
func (w *writer) narrow(ctx context.Context, rows []int, format copyFormat, failed *pgconn.PgError) error {
	for len(rows) > 0 {
		pgErr := failed
		failed = nil
		if pgErr == nil {
			err := w.attempt(ctx, rows, format, false)
			if err == nil {
				return nil
			}
			if pgErr = rowLevel(err); pgErr == nil {
				return err
			}
		}
		if len(rows) == 1 {
			w.rejectServer(rows[0], format, pgErr)
			return nil
		}
		if line := copyLine(pgErr); line >= 1 && line <= len(rows) {
			if err := w.narrow(ctx, rows[:line-1], format, nil); err != nil {
				return err
			}
			if err := w.narrow(ctx, rows[line-1:line], format, nil); err != nil {
				return err
			}
			rows = rows[line:]
			continue
		}
		mid := len(rows) / 2
		if err := w.narrow(ctx, rows[:mid], format, nil); err != nil {
			return err
		}
		rows = rows[mid:]
	}
	return nil
}

// attempt sends rows in one COPY (and, for upsert, merges them), in one
// round trip with the statements that manage the transaction: under a new
// savepoint, or under the current one when shared.
func (w *writer) attempt(ctx context.Context, rows []int, format copyFormat, shared bool) error {
	sql := w.copyStatements(format, !shared)
	w.src.reset(w, format, rows)
	w.attempts++
	g := &gate{r: &w.src}
	_, err := w.conn.Conn().PgConn().CopyFrom(ctx, g, sql)
	g.close()
	if err != nil {
		w.tx = txAborted // BEGIN ran, or a transaction was already open
		return classify(err)
	}
	w.tx = txClean
	return nil
}

// copyStatements returns what a COPY of rows of format sends: the
// statements that manage the transaction (under a new savepoint when asked,
// or when the transaction must be opened or rolled back first), the COPY,
// and upsert's merge.
func (w *writer) copyStatements(format copyFormat, newSavepoint bool) string {
	var b strings.Builder
	if newSavepoint || w.tx != txClean {
		b.WriteString(w.prefix())
	}
	if format.wire() == formatText {
		b.WriteString(w.sql.text)
	} else {
		b.WriteString(w.sql.binary)
	}
	if w.sql.merge != "" {
		b.WriteString("; ")
		b.WriteString(w.sql.merge)
	}
	return b.String()
}

// gate is the io.Reader a COPY reads. When the connection fails, pgconn's
// CopyFrom can return while its goroutine still reads: closing the gate
// makes sure that nothing reads the writer's rows after that.
type gate struct {
	mu     sync.Mutex
	r      io.Reader
	closed bool
}

func (g *gate) Read(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return 0, errAbandoned
	}
	return g.r.Read(p)
}

func (g *gate) close() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
}

// rowLevel returns the server's error when it is about the data of a row
// (a value, a constraint, a trigger's exception), as opposed to the
// statement, the connection or the server.
func rowLevel(err error) *pgconn.PgError {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || len(pgErr.Code) != 5 {
		return nil
	}
	if pgErr.Code == "22P04" { // bad_copy_file_format: the COPY itself is wrong
		return nil
	}
	switch pgErr.Code[:2] {
	case "22", // data exception: invalid text, too long, out of range, NUL byte
		"23", // integrity constraint: NOT NULL, unique, foreign key, check
		"27", // triggered data change violation
		"44", // WITH CHECK OPTION violation
		"54", // program limit: an index row too large
		"P0": // an exception raised by a trigger
		return pgErr
	}
	return nil
}

var copyContext = regexp.MustCompile(`^COPY .*?, line (\d+)`)

// copyLine returns the line (row, from 1) of the COPY the error is about,
// or 0.
func copyLine(e *pgconn.PgError) int {
	for line := range strings.SplitSeq(e.Where, "\n") {
		if m := copyContext.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n
		}
	}
	return 0
}

var copyColumn = regexp.MustCompile(`^COPY .*?, line \d+, column (.*?)(?::|$)`)

// rejectServer records row k of w.rows, sent in format, as rejected by the server with e:
// by its index in the batch being written, or, for a row of an earlier
// batch, late, with its record.
func (w *writer) rejectServer(k int, format copyFormat, e *pgconn.PgError) {
	target := e.ColumnName
	if target == "" {
		for line := range strings.SplitSeq(e.Where, "\n") {
			if m := copyColumn.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
				target = m[1]
				break
			}
		}
	}
	if format == formatPassThrough {
		w.s.passedThrough.Add(-1)
	}
	re := &datasync.RowError{Column: w.sourceColumn(target), Err: &Rejection{PgError: e}}
	if seq := w.rows.spans[k].seq; w.batch != nil && seq >= w.batchSeq {
		re.Row = seq - w.batchSeq
	} else {
		re.Row, re.Record = seq, w.sentRecord(k, format)
	}
	w.rejects = append(w.rejects, re)
}

// sourceColumn returns the name, in the batch's schema, of the column
// written to target column name, or "".
func (w *writer) sourceColumn(target string) string {
	if target == "" {
		return ""
	}
	for j, c := range w.plan.cols {
		if c.name == target && j < len(w.schema) {
			return w.schema[j].Name
		}
	}
	return ""
}

// Rejection is the reason a row the server rejected reaches the dirty-data
// collector with: the server's error, whose message, SQLSTATE (Code) and
// detail it shows. errors.As finds the *pgconn.PgError in it too.
type Rejection struct {
	*pgconn.PgError
}

// Error returns the server's message with its SQLSTATE, and its detail
// (such as which key already exists).
func (r *Rejection) Error() string {
	msg := r.PgError.Error()
	if r.Detail != "" {
		msg += ": " + r.Detail
	}
	return msg
}

// Unwrap returns the server's error.
func (r *Rejection) Unwrap() error { return r.PgError }
