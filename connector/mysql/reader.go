package mysql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/encoded"
)

// streamNetWriteTimeout is the net_write_timeout, in seconds, of a
// connection that streams a query: its rows may wait for a slow writer.
const streamNetWriteTimeout = 86_400

// Open returns a reader for split sp, positioned just after checkpoint from.
func (s *Source) Open(ctx context.Context, sp datasync.Split, from datasync.Checkpoint) (datasync.Reader, error) {
	r, err := s.resolve(ctx)
	if err != nil {
		return nil, err
	}
	var spec splitSpec
	if err := sp.DecodeSpec(&spec); err != nil {
		return nil, fmt.Errorf("mysql source: %w", err)
	}
	rd := &reader{src: s, split: sp.ID, mode: spec.Mode, cols: r.cols, fetch: s.cfg.FetchSize}
	if err := rd.build(r, &spec); err != nil {
		return nil, fmt.Errorf("mysql source: split %q: %w", sp.ID, err)
	}
	if len(from) > 0 {
		cp, err := decodeCheckpoint(from)
		if err != nil {
			return nil, fmt.Errorf("mysql source: split %q: %w", sp.ID, err)
		}
		switch rd.mode {
		case modeKeyset:
			if rd.after, err = decodeKey(cp.After, len(rd.orderKey)); err != nil {
				return nil, fmt.Errorf("mysql source: split %q: checkpoint: %w", sp.ID, err)
			}
		default:
			if cp.Rows > 0 {
				return nil, datasync.Permanent(fmt.Errorf("mysql source: split %q cannot resume after %d rows: %s has no unique NOT NULL key "+
					"to read it in order (give the table a primary key, or use writeMode replace or update and rerun the job)", sp.ID, cp.Rows, s.what()))
			}
		}
	}
	timeout := 0
	if rd.mode == modeStream {
		timeout = streamNetWriteTimeout
	}
	if rd.c, err = s.pool.acquire(ctx, timeout); err != nil {
		return nil, fmt.Errorf("mysql source: split %q: %w", sp.ID, err)
	}
	return rd, nil
}

// reader reads one split: in keyset pages, each a complete query with a
// LIMIT sized to the batch's free room, or as one streamed query.
type reader struct {
	src   *Source
	split string
	mode  string
	cols  []srcColumn
	c     *conn
	dec   *rowDecoder
	fetch int

	base     []byte   // SELECT ... FROM ... [WHERE ...] without the page's key condition
	hasWhere bool     // base has a WHERE
	orderKey []keyCol // keyset: the unique order of the pages
	orderBy  string   // keyset: " ORDER BY ..."
	after    [][]byte // keyset: the order key of the last row read; nil at the start
	avgRow   int      // bytes per row seen so far, to size pages by the batch's byte bound
	qbuf     []byte

	dest  []driver.Value // keyset: a row's values from the driver (rawpage.go)
	noRaw bool           // the driver's connection cannot query directly: pages go through database/sql

	rows *sql.Rows // stream: the open query
	read int64     // stream: rows read
	done bool

	// The pass-through (passthrough.go).
	offerSeen string
	offerOK   bool
	decodeFn  encoded.Decoder
}

// build prepares the reader's SQL for spec.
func (rd *reader) build(r *resolved, spec *splitSpec) error {
	s := rd.src
	zeroDirty := strings.EqualFold(string(s.cfg.ZeroDate), string(ZeroDateDirty))
	if r.meta == nil {
		if spec.Mode != modeStream {
			return fmt.Errorf("mode %q for a query", spec.Mode)
		}
		rd.dec = newRowDecoder(rd.cols, nil, zeroDirty)
		rd.base = []byte(r.query)
		return nil
	}
	var conds []string
	if len(spec.Key) > 0 {
		key, err := r.positions(spec.Key)
		if err != nil {
			return err
		}
		cond, err := splitCondition(spec, r.keyCols(key, s.pool.own, &s.cfg))
		if err != nil {
			return err
		}
		if cond != "" {
			conds = append(conds, cond)
		}
	}
	if s.cfg.Where != "" {
		conds = append(conds, "("+s.cfg.Where+")")
	}
	exprs := selectList(rd.cols)
	var keyOf []int
	switch spec.Mode {
	case modeKeyset:
		order, err := r.positions(spec.Order)
		if err != nil {
			return err
		}
		if len(order) == 0 {
			return errors.New("keyset split without an order key")
		}
		rd.orderKey = r.keyCols(order, s.pool.own, &s.cfg)
		var idents []string
		for k, p := range order {
			col := r.meta.columns[p]
			idents = append(idents, rd.orderKey[k].ident)
			pos := -1
			for i, c := range rd.cols {
				if c.name == col.name {
					pos = i
				}
			}
			if pos < 0 {
				exprs += ", " + tableColumn(col, &s.cfg, s.pool.own).expr
			}
			keyOf = append(keyOf, pos)
		}
		rd.orderBy = " ORDER BY " + strings.Join(idents, ", ")
	case modeStream:
	default:
		return fmt.Errorf("unknown mode %q", spec.Mode)
	}
	rd.dec = newRowDecoder(rd.cols, keyOf, zeroDirty)
	rd.base = []byte("SELECT " + exprs + " FROM " + r.meta.name.quoted())
	if len(conds) > 0 {
		rd.base = append(rd.base, " WHERE "+strings.Join(conds, " AND ")...)
		rd.hasWhere = true
	}
	return nil
}

// Read appends rows to b until it is full or the split ends (io.EOF).
func (rd *reader) Read(ctx context.Context, b *datasync.Batch) error {
	if rd.done {
		return io.EOF
	}
	rd.dec.b = b
	rd.dec.encoded = encoded.Offered(b) != "" && rd.acceptsEncoding(encoded.Offered(b))
	if rd.dec.encoded && rd.decodeFn == nil {
		rd.decodeFn = lineDecoder(rd.cols)
	}
	var bad []*datasync.RowError
	var err error
	if rd.mode == modeKeyset {
		bad, err = rd.readPages(ctx, b)
	} else {
		bad, err = rd.readStream(ctx, b)
	}
	if err != nil {
		return err
	}
	if len(bad) > 0 {
		return &datasync.RowErrors{Errors: bad} // io.EOF comes with the next call
	}
	if rd.done {
		return io.EOF
	}
	return nil
}

func (rd *reader) readPages(ctx context.Context, b *datasync.Batch) ([]*datasync.RowError, error) {
	var bad []*datasync.RowError
	for !b.Full() && !rd.done {
		limit := rd.limit(b)
		firstRow, firstBytes := b.Len(), b.Bytes()
		if !disableRawPages && !rd.noRaw {
			res, err := rd.readPageRaw(ctx, b, limit)
			switch {
			case errors.Is(err, errNoRawQuery):
				rd.noRaw = true
				continue
			case err != nil:
				return nil, err
			}
			bad = append(bad, res.bad...)
			if got := b.Len() - firstRow; got > 0 {
				rd.avgRow = max((b.Bytes()-firstBytes)/got, 1)
			}
			if !res.stopped && res.rows < limit {
				rd.done = true
			}
			continue
		}
		rows, err := rd.c.QueryContext(ctx, rd.pageQuery(limit))
		if err != nil {
			return nil, rd.fail("read a page", err)
		}
		n, stopped := 0, false
		for rows.Next() {
			n++
			if err := rd.scanRow(rows, b); err != nil {
				rows.Close()
				return nil, err
			}
			rd.keepKey()
			if rd.dec.bad != nil {
				bad = append(bad, rd.annotate(rd.dec.bad))
			}
			if b.Full() && n < limit {
				// The batch filled by bytes before the page ended: the rest
				// of the page is left unread, to be asked for again.
				stopped = true
				break
			}
		}
		err = rows.Err()
		if cerr := rows.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, rd.fail("read a page", err)
		}
		if got := b.Len() - firstRow; got > 0 {
			rd.avgRow = max((b.Bytes()-firstBytes)/got, 1)
		}
		if !stopped && n < limit {
			rd.done = true
		}
	}
	return bad, nil
}

func (rd *reader) readStream(ctx context.Context, b *datasync.Batch) ([]*datasync.RowError, error) {
	if rd.rows == nil {
		rows, err := rd.c.QueryContext(ctx, string(rd.base))
		if err != nil {
			return nil, rd.fail("read", err)
		}
		rd.rows = rows
	}
	var bad []*datasync.RowError
	for !b.Full() {
		if !rd.rows.Next() {
			err := rd.rows.Err()
			rd.rows.Close()
			rd.rows = nil
			if err != nil {
				return nil, rd.fail("read", err)
			}
			rd.done = true
			break
		}
		if err := rd.scanRow(rd.rows, b); err != nil {
			return nil, err
		}
		rd.read++
		if rd.dec.bad != nil {
			bad = append(bad, rd.dec.bad)
		}
	}
	return bad, nil
}

// scanRow decodes the current row into b, as values or as an encoded row;
// a row that cannot be decoded is left out, with rd.dec.bad set.
func (rd *reader) scanRow(rows *sql.Rows, b *datasync.Batch) error {
	d := rd.dec
	d.bad = nil
	if d.encoded {
		d.line, d.size = d.line[:0], 0
		if err := rows.Scan(d.targets...); err != nil {
			return rd.fail("read a row", err)
		}
		if d.bad == nil {
			d.line = append(d.line, '\n')
			encoded.Append(b, d.line, d.size, rd.decodeFn)
		}
		return nil
	}
	d.rec = b.Append()
	if err := rows.Scan(d.targets...); err != nil {
		return rd.fail("read a row", err)
	}
	if d.bad != nil {
		b.RemoveLast()
	}
	return nil
}

// limit sizes the next page by the batch's free room, in rows and, once
// rows have been seen, in bytes.
func (rd *reader) limit(b *datasync.Batch) int {
	room := b.MaxRows() - b.Len()
	if rd.avgRow > 0 {
		room = min(room, (b.MaxBytes()-b.Bytes())/rd.avgRow+1)
	}
	if rd.fetch > 0 {
		room = min(room, rd.fetch)
	}
	return max(room, 1)
}

func (rd *reader) pageQuery(limit int) string {
	q := append(rd.qbuf[:0], rd.base...)
	if rd.after != nil {
		if rd.hasWhere {
			q = append(q, " AND "...)
		} else {
			q = append(q, " WHERE "...)
		}
		q = appendTupleCompare(q, rd.orderKey, rd.after, ">")
	}
	q = append(q, rd.orderBy...)
	q = append(q, " LIMIT "...)
	q = strconv.AppendInt(q, int64(limit), 10)
	rd.qbuf = q
	return string(q)
}

// keepKey records the current row's order key as the last one read.
func (rd *reader) keepKey() {
	if rd.after == nil {
		rd.after = make([][]byte, len(rd.dec.keys))
	}
	for k, v := range rd.dec.keys {
		rd.after[k] = append(rd.after[k][:0], v...)
	}
}

// annotate names the dirty row by its key, since a keyset read has no row
// numbers.
func (rd *reader) annotate(e *datasync.RowError) *datasync.RowError {
	var parts []string
	for k, v := range rd.after {
		parts = append(parts, strings.Trim(rd.orderKey[k].ident, "`")+"="+string(v))
	}
	e.Err = fmt.Errorf("row with key (%s): %w", strings.Join(parts, ", "), e.Err)
	return e
}

func (rd *reader) fail(what string, err error) error {
	return classify(fmt.Errorf("mysql source: split %q: %s: %w", rd.split, what, err))
}

// Checkpoint returns the position after the last row read.
func (rd *reader) Checkpoint() datasync.Checkpoint {
	if rd.mode == modeKeyset {
		if rd.after == nil {
			return nil
		}
		return encodeCheckpoint(checkpoint{After: encodeKey(rd.after)})
	}
	if rd.read == 0 {
		return nil
	}
	return encodeCheckpoint(checkpoint{Rows: rd.read})
}

// Close releases the reader's connection.
func (rd *reader) Close() error {
	if rd.rows != nil {
		// Closing a stream that was not read to its end would read the rest
		// of it; closing the connection does not. (The Conn itself can only
		// be discarded once the rows are closed: release does it.)
		rd.c.discard = true
		_ = rd.c.Raw(func(dc any) error {
			if cl, ok := dc.(io.Closer); ok {
				cl.Close()
			}
			return nil
		})
		rd.rows.Close()
		rd.rows = nil
	}
	return rd.c.release()
}
