package mysql

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/datasync-go/datasync"
)

// The INSERT path: multi-row INSERT (REPLACE, INSERT ... ON DUPLICATE KEY
// UPDATE) statements of literal SQL, sized by max_allowed_packet, BatchSize
// and the 65,535-placeholder limit. It is the path of the update mode,
// the fallback when LOAD DATA LOCAL is not available, and the narrowing
// path for a batch whose load did not arrive exactly.
//
// Each statement runs after a savepoint. In strict mode a bad value fails
// the statement; a statement that succeeds is still checked for warnings
// that mean a value was changed. Either way it is undone and halved, down to
// the single rows at fault, which are rejected with the server's message:
// every other row is written exactly once.

// warningError is a warning that made a statement's rows suspect.
type warningError struct{ msg string }

func (e *warningError) Error() string { return "MySQL " + e.msg }

// appendSQLRow appends row as a parenthesized list of literals. On a value
// that does not fit its column it returns the column's position.
func (e *encoder) appendSQLRow(dst []byte, row datasync.Record, targets []target) ([]byte, int, error) {
	dst = append(dst, '(')
	for j := range targets {
		if j > 0 {
			dst = append(dst, ',')
		}
		kind, p, err := e.normalize(&targets[j], row[j])
		if err != nil {
			return dst, j, err
		}
		switch kind {
		case outNull:
			dst = append(dst, "NULL"...)
		case outPlain:
			dst = append(dst, '\'')
			dst = append(dst, p...)
			dst = append(dst, '\'')
		case outText:
			dst = append(dst, '\'')
			dst = appendSQLEscaped(dst, p)
			dst = append(dst, '\'')
		case outBinary:
			dst = append(dst, "_binary'"...)
			dst = appendSQLEscaped(dst, p)
			dst = append(dst, '\'')
		}
	}
	return append(dst, ')'), -1, nil
}

// writeInsert writes b with multi-row statements.
func (w *writer) writeInsert(ctx context.Context, b *datasync.Batch, p *sinkPlan) ([]*datasync.RowError, error) {
	maxRows := maxPlaceholds / len(p.targets)
	if w.s.cfg.BatchSize > 0 {
		maxRows = min(maxRows, w.s.cfg.BatchSize)
	}
	maxRows = max(maxRows, 1)
	var rejected []*datasync.RowError
	w.stmt = append(w.stmt[:0], p.insertHead...)
	w.rows = w.rows[:0]
	flush := func() error {
		if len(w.rows) == 0 {
			return nil
		}
		bad, err := w.send(ctx, b, p, w.stmt, w.rows)
		rejected = append(rejected, bad...)
		w.stmt = append(w.stmt[:0], p.insertHead...)
		w.rows = w.rows[:0]
		return err
	}
	for i := 0; i < b.Len(); i++ {
		var j int
		var err error
		w.rowBuf, j, err = w.enc.appendSQLRow(w.rowBuf[:0], b.Row(i), p.targets)
		if err != nil {
			rejected = append(rejected, rowError(b, p, i, j, err))
			continue
		}
		size := len(w.stmt) + 1 + len(w.rowBuf) + len(p.insertTail)
		if len(w.rows) > 0 && (size > w.maxStmt || len(w.rows) >= maxRows) {
			if err := flush(); err != nil {
				return nil, err
			}
			size = len(w.stmt) + len(w.rowBuf) + len(p.insertTail)
		}
		if size > w.hardMax {
			rejected = append(rejected, rowError(b, p, i, -1,
				fmt.Errorf("the row is %d bytes of SQL, more than max_allowed_packet allows", len(w.rowBuf))))
			continue
		}
		if len(w.rows) > 0 {
			w.stmt = append(w.stmt, ',')
		}
		w.stmt = append(w.stmt, w.rowBuf...)
		w.rows = append(w.rows, i)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return rejected, nil
}

// send runs one statement of rows (their indexes in b) and narrows it down
// when the server rejects it or warns.
func (w *writer) send(ctx context.Context, b *datasync.Batch, p *sinkPlan, stmt []byte, rows []int) ([]*datasync.RowError, error) {
	stmt = append(stmt, p.insertTail...)
	if err := w.exec(ctx, "SAVEPOINT ds_stmt"); err != nil {
		return nil, w.fail("savepoint", err)
	}
	_, err := w.c.ExecContext(ctx, string(stmt))
	if err == nil {
		msg, werr := w.badWarnings(ctx)
		if werr != nil {
			return nil, w.fail("read the warnings", werr)
		}
		if msg == "" {
			w.s.stats.inserts.Add(1)
			return nil, nil
		}
		err = &warningError{msg: msg}
	} else if !isRowError(err) {
		return nil, w.fail("INSERT", err)
	}
	if rerr := w.exec(ctx, "ROLLBACK TO SAVEPOINT ds_stmt"); rerr != nil {
		return nil, w.fail("roll back a statement", rerr)
	}
	w.s.stats.narrowed.Add(1)
	if len(rows) == 1 {
		return []*datasync.RowError{{Row: int64(rows[0]), Column: columnOf(err, b, p), Err: err}}, nil
	}
	var rejected []*datasync.RowError
	half := len(rows) / 2
	for _, part := range [][]int{rows[:half], rows[half:]} {
		sub := []byte(p.insertHead)
		for k, i := range part {
			if k > 0 {
				sub = append(sub, ',')
			}
			var ierr error
			if sub, _, ierr = w.enc.appendSQLRow(sub, b.Row(i), p.targets); ierr != nil {
				return nil, fmt.Errorf("mysql sink: row %d no longer encodes: %w", i, ierr)
			}
		}
		bad, err := w.send(ctx, b, p, sub, part)
		if err != nil {
			return nil, err
		}
		rejected = append(rejected, bad...)
	}
	return rejected, nil
}

// columnOf finds the source column named in the server's message ("for
// column 'x'", "Column 'x' cannot be null"), "" when there is none.
func columnOf(err error, b *datasync.Batch, p *sinkPlan) string {
	var msg string
	var my *mysql.MySQLError
	var we *warningError
	switch {
	case errors.As(err, &my):
		msg = my.Message
	case errors.As(err, &we):
		msg = we.msg
	default:
		return ""
	}
	var name string
	lower := strings.ToLower(msg)
	if i := strings.Index(lower, "column '"); i >= 0 {
		rest := msg[i+len("column '"):]
		if end := strings.IndexByte(rest, '\''); end >= 0 {
			name = rest[:end]
		}
	} else if i := strings.Index(msg, "FOREIGN KEY (`"); i >= 0 {
		rest := msg[i+len("FOREIGN KEY (`"):]
		if end := strings.Index(rest, "`)"); end >= 0 {
			name = rest[:end] // one column; a composite key names none that matches
		}
	}
	if name == "" {
		return ""
	}
	for j, t := range p.targets {
		if strings.EqualFold(t.col.name, name) {
			return b.Schema()[j].Name
		}
	}
	return ""
}
