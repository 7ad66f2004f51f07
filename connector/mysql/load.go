package mysql

import (
	"context"
	"fmt"
	"io"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/encoded"
)

// The bulk path: LOAD DATA LOCAL INFILE from a reader registered with the
// driver, which encodes the batch's rows as the server asks for bytes, so
// no copy of the batch is ever built. LOAD DATA LOCAL turns data errors into
// warnings and skips, truncates or converts the rows at fault; so every
// value is checked before it is sent (rows that fail are rejected, not
// sent), and after the load the affected-row count and the warnings must
// say that every row sent arrived exactly. When they do not, the load is
// rolled back to its savepoint and the batch goes through the INSERT path,
// which finds the rows at fault with the server's own messages.

// loadStream is the io.Reader a LOAD DATA statement reads the batch from.
type loadStream struct {
	b        *datasync.Batch
	p        *sinkPlan
	enc      *encoder
	next     int    // the next row to encode
	buf      []byte // encoded rows not yet read
	off      int
	sent     int64 // rows encoded
	rejected []*datasync.RowError
}

func (s *loadStream) reset(b *datasync.Batch, p *sinkPlan, enc *encoder) {
	s.b, s.p, s.enc = b, p, enc
	s.next, s.off, s.sent = 0, 0, 0
	s.buf = s.buf[:0]
	s.rejected = nil
}

// Read fills p with encoded rows.
func (s *loadStream) Read(p []byte) (int, error) {
	if s.b == nil {
		return 0, io.EOF
	}
	for s.off == len(s.buf) {
		if s.next >= s.b.Len() {
			return 0, io.EOF
		}
		s.buf, s.off = s.buf[:0], 0
		for s.next < s.b.Len() && len(s.buf) < len(p) {
			i := s.next
			s.next++
			if encoded.Of(s.b) != "" {
				// A line of the pass-through: the same types on both sides.
				s.buf = append(s.buf, encoded.Row(s.b, i)...)
				s.sent++
				continue
			}
			mark := len(s.buf)
			var j int
			var err error
			s.buf, j, err = s.enc.appendLoadRow(s.buf, s.b.Row(i), s.p.targets)
			if err != nil {
				s.buf = s.buf[:mark]
				s.rejected = append(s.rejected, rowError(s.b, s.p, i, j, err))
				continue
			}
			s.sent++
		}
	}
	n := copy(p, s.buf[s.off:])
	s.off += n
	return n, nil
}

// appendLoadRow appends row in the LOAD DATA format (tab-separated,
// backslash escapes, \N for NULL, a newline at the end). On a value that
// does not fit its column it returns the column's position and the reason.
func (e *encoder) appendLoadRow(dst []byte, row datasync.Record, targets []target) ([]byte, int, error) {
	for j := range targets {
		if j > 0 {
			dst = append(dst, '\t')
		}
		kind, p, err := e.normalize(&targets[j], row[j])
		if err != nil {
			return dst, j, err
		}
		switch kind {
		case outNull:
			dst = append(dst, '\\', 'N')
		case outPlain:
			dst = append(dst, p...)
		default:
			dst = appendLoadEscaped(dst, p)
		}
	}
	return append(dst, '\n'), -1, nil
}

// writeLoad loads b. done is false when the batch must go through the INSERT
// path instead: LOAD DATA LOCAL is not available, or a row did not arrive
// exactly (the load was then undone).
func (w *writer) writeLoad(ctx context.Context, b *datasync.Batch, p *sinkPlan) (rejected []*datasync.RowError, done bool, err error) {
	if err := w.exec(ctx, "SAVEPOINT ds_batch"); err != nil {
		return nil, false, w.fail("savepoint", err)
	}
	w.stream.reset(b, p, &w.enc)
	defer w.stream.reset(nil, nil, nil) // keep nothing of b
	res, err := w.c.ExecContext(ctx, "LOAD DATA LOCAL INFILE 'Reader::"+w.loadName+"'"+p.loadTail)
	if err != nil {
		switch {
		case isLoadDisabled(err):
			w.useLoad = false
			if w.s.load == LoadDataRequire {
				return nil, false, datasync.Permanent(fmt.Errorf("mysql sink: LOAD DATA LOCAL INFILE is not available and loadData is %q: %w", LoadDataRequire, err))
			}
			w.notice(ctx, "LOAD DATA LOCAL INFILE is not available: falling back to multi-row INSERT", err)
			return nil, false, nil
		case isRowError(err):
			return nil, false, w.undoLoad(ctx)
		}
		return nil, false, w.fail("LOAD DATA", err)
	}
	affected, err := res.RowsAffected()
	if err != nil {
		return nil, false, w.fail("LOAD DATA", err)
	}
	var warnings int
	if err := w.c.QueryRowContext(ctx, "SELECT @@warning_count").Scan(&warnings); err != nil {
		return nil, false, w.fail("read the warnings", err)
	}
	sent := w.stream.sent
	exact := affected == sent
	if w.s.mode == WriteReplace {
		exact = affected >= sent && affected <= 2*sent // a replaced row counts twice
	}
	if warnings > 0 || !exact {
		return nil, false, w.undoLoad(ctx)
	}
	w.s.stats.loads.Add(1)
	if encoded.Of(b) != "" {
		w.s.stats.encoded.Add(1)
	}
	return w.stream.rejected, true, nil
}

func (w *writer) undoLoad(ctx context.Context) error {
	w.s.stats.loadsUndone.Add(1)
	if err := w.exec(ctx, "ROLLBACK TO SAVEPOINT ds_batch"); err != nil {
		return w.fail("roll back a load", err)
	}
	return nil
}
