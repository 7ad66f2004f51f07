package mysql

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"

	"github.com/go-sql-driver/mysql"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/netdial"
	"github.com/datasync-go/datasync/encoded"
)

// Statement sizes. A multi-row INSERT is kept under maxStatement (and the
// server's max_allowed_packet); a single row may use up to the packet size.
const (
	maxStatement  = 4 << 20
	packetMargin  = 4 << 10
	maxPlaceholds = 65_535
)

// Open returns a writer for split sp. Its rows are written in one
// transaction per flush: Flush commits, Close without Flush rolls back.
func (s *Sink) Open(ctx context.Context, sp datasync.Split) (datasync.Writer, error) {
	c, err := s.pool.acquire(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("mysql sink: split %q: %w", sp.ID, err)
	}
	info, err := s.pool.serverInfo(ctx, c)
	if err != nil {
		c.discard = true
		c.release()
		return nil, fmt.Errorf("mysql sink: split %q: %w", sp.ID, err)
	}
	w := &writer{s: s, c: c, split: sp.ID, useLoad: s.load != LoadDataOff && s.mode != WriteUpdate}
	w.hardMax = int(max(info.maxAllowedPacket-packetMargin, 64<<10))
	w.maxStmt = min(maxStatement, w.hardMax)
	if w.useLoad {
		w.loadName = loadReaderName()
		mysql.RegisterReaderHandler(w.loadName, func() io.Reader { return &w.stream })
		w.encoding = s.encodedOpen(ctx, c, info)
	}
	return w, nil
}

var loadCounter atomic.Uint64

// loadReaderName returns a name for a LOAD DATA reader that no other
// writer, in this process or a retry, uses.
func loadReaderName() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("datasync-%s-%d", hex.EncodeToString(b[:]), loadCounter.Add(1))
}

// writer writes the batches of one split.
type writer struct {
	s       *Sink
	c       *conn
	split   string
	inTx    bool
	useLoad bool

	loadName string
	stream   loadStream
	enc      encoder
	encoding string // the pass-through encoding accepted, "" for none

	hardMax int // the largest statement the server takes
	maxStmt int // the size multi-row INSERTs aim at
	stmt    []byte
	rowBuf  []byte
	rows    []int
}

// Write writes b's rows in the writer's transaction. Rows whose values do
// not fit their columns, and rows the server rejects, come back as
// *datasync.RowErrors; every other row is written exactly once.
func (w *writer) Write(ctx context.Context, b *datasync.Batch) error {
	if b.Len() == 0 {
		return nil
	}
	p, err := w.s.planFor(ctx, w.c, b.Schema())
	if err != nil {
		return err
	}
	if len(p.targets) != b.Width() {
		return fmt.Errorf("mysql sink: the batch has %d columns, the plan %d", b.Width(), len(p.targets))
	}
	if !w.inTx {
		if _, err := w.c.ExecContext(ctx, "START TRANSACTION"); err != nil {
			return w.fail("start a transaction", err)
		}
		w.inTx = true
	}
	var rejected []*datasync.RowError
	done := false
	if w.useLoad {
		if rejected, done, err = w.writeLoad(ctx, b, p); err != nil {
			return err
		}
	}
	if !done {
		if rejected, err = w.writeInsert(ctx, b, p); err != nil {
			return err
		}
	}
	if len(rejected) > 0 {
		return &datasync.RowErrors{Errors: rejected}
	}
	return nil
}

// AcceptedEncoding implements encoded.Writer: a MySQL source
// whose columns have the same types passes its rows as LOAD DATA lines
// (see passthrough.go).
func (w *writer) AcceptedEncoding() string { return w.encoding }

// The pipeline finds AcceptedEncoding by its signature; keep it that of
// encoded.Writer.
var _ encoded.Writer = (*writer)(nil)

// Flush commits what was written.
func (w *writer) Flush(ctx context.Context) error {
	if !w.inTx {
		return nil
	}
	w.inTx = false
	if _, err := w.c.ExecContext(ctx, "COMMIT"); err != nil {
		w.c.discard = true
		return w.fail("commit", err)
	}
	return nil
}

// Close rolls back what was not flushed and releases the connection.
func (w *writer) Close() error {
	if w.loadName != "" {
		mysql.DeregisterReaderHandler(w.loadName)
	}
	if w.inTx {
		w.inTx = false
		ctx, cancel := netdial.CleanupContext() // a stalled connection holds Close for seconds at most
		if _, err := w.c.ExecContext(ctx, "ROLLBACK"); err != nil {
			w.c.discard = true
		}
		cancel()
	}
	return w.c.release()
}

func (w *writer) exec(ctx context.Context, q string) error {
	_, err := w.c.ExecContext(ctx, q)
	return err
}

func (w *writer) fail(what string, err error) error {
	return classify(fmt.Errorf("mysql sink: split %q: %s: %w", w.split, what, err))
}

// badWarnings returns the first warning of the last statement that means a
// value did not arrive exactly, "" when there is none.
func (w *writer) badWarnings(ctx context.Context) (string, error) {
	var count int
	if err := w.c.QueryRowContext(ctx, "SELECT @@warning_count").Scan(&count); err != nil {
		return "", err
	}
	if count == 0 {
		return "", nil
	}
	rows, err := w.c.QueryContext(ctx, "SHOW WARNINGS")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	for rows.Next() {
		var level, msg string
		var code uint16
		if err := rows.Scan(&level, &code, &msg); err != nil {
			return "", err
		}
		if wrongWarning(level, code) {
			return fmt.Sprintf("%s %d: %s", level, code, msg), nil
		}
	}
	return "", rows.Err()
}

// rowError makes the error of row i of b, rejected because of target column
// j (-1 for the row as a whole).
func rowError(b *datasync.Batch, p *sinkPlan, i, j int, err error) *datasync.RowError {
	re := &datasync.RowError{Row: int64(i), Err: err}
	if j >= 0 {
		re.Column = b.Schema()[j].Name
		re.Err = fmt.Errorf("column %s (%s): %w", quoteIdent(p.targets[j].col.name), p.targets[j].col.columnType, err)
	}
	return re
}

func (w *writer) notice(ctx context.Context, msg string, err error) {
	w.s.logger.LogAttrs(ctx, slog.LevelWarn, msg, slog.String("table", w.s.table.String()),
		slog.String("split", w.split), slog.String("error", err.Error()))
}
