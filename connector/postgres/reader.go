package postgres

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/netdial"
	"github.com/datasync-go/datasync/encoded"
)

// position is a reader's checkpoint: the key (and tiebreak) of the last row
// returned, the block and row position of a block split, or the rows a
// stream delivered.
type position struct {
	Last  [][]byte `json:"last,omitempty"`
	Block uint32   `json:"block,omitempty"`
	Rows  int64    `json:"rows,omitempty"`
	Done  bool     `json:"done,omitempty"`
}

// reader reads one split. Keyset and block splits are read in pages, one
// or more per Read, each a complete query, so that no query stays open
// while the pipeline writes; a stream split is one query read across Reads.
type reader struct {
	s    *Source
	m    *sourceMeta
	spec splitSpec
	id   string
	conn *pgxpool.Conn
	inTx bool // in the snapshot's transaction

	// The page queries: the first page of a key range (or any page with no
	// row read in it yet), and the pages after a row.
	sqlFirst, sqlNext string
	oidsFirst         []uint32
	oidsNext          []uint32
	params            [][]byte
	pformats          []int16

	last    [][]byte // key values (then tableoid and ctid) of the last row returned
	hasLast bool
	block   uint32 // blocks: the next block to read
	end     uint32 // blocks: the block to stop at (0 until known)
	rows    int64  // stream: rows delivered
	rr      *pgconn.ResultReader
	done    bool

	keyAt   []int       // result index of each value kept in last
	tuples  tupleStream // pages read with COPY (copyread.go)
	scratch []byte
	tuple   []byte
	limit   [8]byte
	blkbuf  [4][8]byte

	rowsSeen, blocksSeen int64
	bytesSeen            int64
	dirty                []*datasync.RowError
}

// Open returns a Reader for split sp, positioned just after checkpoint from.
// It connects on the first Read.
func (s *Source) Open(ctx context.Context, sp datasync.Split, from datasync.Checkpoint) (datasync.Reader, error) {
	m, err := s.metadata(ctx)
	if err != nil {
		return nil, err
	}
	var spec splitSpec
	if err := sp.DecodeSpec(&spec); err != nil {
		return nil, err
	}
	if err := s.checkSpec(m, sp.ID, spec); err != nil {
		return nil, err
	}
	r := &reader{s: s, m: m, spec: spec, id: sp.ID, block: spec.From}
	if from != nil {
		var p position
		if err := json.Unmarshal(from, &p); err != nil {
			return nil, fmt.Errorf("postgres: split %q: bad checkpoint: %w", sp.ID, err)
		}
		r.done, r.rows = p.Done, p.Rows
		if spec.Mode == splitBlocks || spec.Mode == splitNulls && m.mode != modeStream {
			r.block = max(p.Block, spec.From)
		}
		if len(p.Last) > 0 {
			r.last, r.hasLast = p.Last, true
		}
	}
	r.build()
	if r.hasLast && len(r.last) != len(r.keyAt) {
		return nil, fmt.Errorf("postgres: split %q: the checkpoint does not fit the split", sp.ID)
	}
	return r, nil
}

// checkSpec rejects a split planned for another shape of the source.
func (s *Source) checkSpec(m *sourceMeta, id string, spec splitSpec) error {
	bad := func(why string) error {
		return fmt.Errorf("postgres: split %q does not belong to this source: %s", id, why)
	}
	switch spec.Mode {
	case splitKeyset, splitNulls:
		if len(spec.Key) != len(m.key) {
			return bad("its key differs")
		}
		for i, k := range m.key {
			if spec.Key[i] != k.name {
				return bad("its key differs")
			}
		}
		if len(spec.Lo) > 0 && len(spec.Lo) != len(m.key) || len(spec.Hi) > 0 && len(spec.Hi) != len(m.key) {
			return bad("its bounds do not fit the key")
		}
		if spec.Mode == splitKeyset && m.mode == modeBlocks {
			return bad("the table has no key")
		}
	case splitBlocks:
		if !m.ctid {
			return bad("it is not a table")
		}
	case splitStream:
	default:
		return bad("unknown mode " + spec.Mode)
	}
	if spec.Snapshot != "" && !s.cfg.Consistent || spec.Snapshot == "" && s.cfg.Consistent {
		return bad("consistent mode differs")
	}
	return nil
}

// build writes the split's queries.
func (r *reader) build() {
	m, spec := r.m, r.spec
	var conds []string
	if r.s.cfg.Where != "" {
		conds = append(conds, "("+r.s.cfg.Where+")")
	}
	var keys, keyNull, keyNotNull []string
	var keyOIDs []uint32
	for _, k := range m.key {
		keys = append(keys, k.sql)
		keyNull = append(keyNull, k.sql+" IS NULL")
		keyNotNull = append(keyNotNull, k.sql+" IS NOT NULL")
		keyOIDs = append(keyOIDs, k.typ.oid)
		r.keyAt = append(r.keyAt, k.result)
	}
	n := len(m.types) + len(m.hidden)
	tie := n - 2 // tableoid, ctid are the last hidden columns when present
	switch {
	case spec.Mode == splitStream || m.mode == modeStream:
		r.keyAt = nil
		if spec.Mode == splitNulls {
			conds = append(conds, "("+strings.Join(keyNull, " OR ")+")")
		} else if len(m.key) > 0 {
			conds = append(conds, keyNotNull...)
			p := 1
			if spec.Lo != nil {
				conds = append(conds, rowCompare(keys, ">", &p))
				r.oidsFirst = append(r.oidsFirst, keyOIDs...)
			}
			if spec.Hi != nil {
				conds = append(conds, rowCompare(keys, "<=", &p))
				r.oidsFirst = append(r.oidsFirst, keyOIDs...)
			}
		}
		r.sqlFirst = m.query
		if m.rel != nil {
			r.sqlFirst += where(conds)
			if len(m.key) > 0 && spec.Mode != splitNulls {
				r.sqlFirst += " ORDER BY " + strings.Join(keys, ", ")
			}
		}
	case spec.Mode == splitKeyset:
		order := keys
		next := keys
		nextOIDs := keyOIDs
		if !m.unique {
			order = append(append([]string{}, keys...), "tableoid", "ctid")
			next = order
			nextOIDs = append(append([]uint32{}, keyOIDs...), oidOID, oidTID)
			r.keyAt = append(r.keyAt, tie, tie+1)
		}
		if m.nulls {
			conds = append(conds, keyNotNull...)
		}
		mk := func(lower []string, lowerOIDs []uint32, bound bool) (string, []uint32) {
			c := append([]string{}, conds...)
			var oids []uint32
			p := 1
			if bound {
				c = append(c, rowCompare(lower, ">", &p))
				oids = append(oids, lowerOIDs...)
			}
			if spec.Hi != nil {
				c = append(c, rowCompare(keys, "<=", &p))
				oids = append(oids, keyOIDs...)
			}
			oids = append(oids, oidInt8)
			return fmt.Sprintf("%s%s ORDER BY %s LIMIT $%d", m.query, where(c), strings.Join(order, ", "), p), oids
		}
		r.sqlFirst, r.oidsFirst = mk(keys, keyOIDs, spec.Lo != nil)
		r.sqlNext, r.oidsNext = mk(next, nextOIDs, true)
	default: // blocks, and the NULL keys of a table, by blocks
		r.keyAt = []int{tie, tie + 1}
		if spec.Mode == splitNulls {
			conds = append(conds, "("+strings.Join(keyNull, " OR ")+")")
		}
		var rng string
		if m.version >= 140000 && !forceBlockFallback {
			rng = "ctid >= $1 AND ctid < $2"
			r.oidsFirst = []uint32{oidTID, oidTID}
		} else {
			// Before TID range scans: the page's every possible tuple
			// position, which a TID scan fetches directly.
			rng = fmt.Sprintf("ctid = ANY (ARRAY(SELECT format('(%%s,%%s)', b, o)::tid FROM generate_series($1::int8, $2::int8 - 1) AS b, generate_series(1, %d) AS o))", m.maxTuples)
			r.oidsFirst = []uint32{oidInt8, oidInt8}
		}
		order := " ORDER BY ctid, tableoid"
		r.sqlFirst = m.query + where(append(append([]string{}, conds...), rng)) + order
		r.sqlNext = m.query + where(append(append([]string{}, conds...), rng, "(ctid, tableoid) > ($3, $4)")) + order
		r.oidsNext = append(append([]uint32{}, r.oidsFirst...), oidTID, oidOID)
	}
	r.pformats = []int16{1}
}

// forceBlockFallback makes servers with TID range scans read blocks the way
// older ones do; tests set it.
var forceBlockFallback = false

func where(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// rowCompare writes (a, b) op ($p, $p+1), or a op $p for one column.
func rowCompare(cols []string, op string, p *int) string {
	ps := make([]string, len(cols))
	for i := range cols {
		ps[i] = fmt.Sprintf("$%d", *p)
		*p++
	}
	if len(cols) == 1 {
		return cols[0] + " " + op + " " + ps[0]
	}
	return "(" + strings.Join(cols, ", ") + ") " + op + " (" + strings.Join(ps, ", ") + ")"
}

// Read appends rows to b until it is full or the split ends (io.EOF).
func (r *reader) Read(ctx context.Context, b *datasync.Batch) error {
	if r.done {
		return io.EOF
	}
	if err := r.connect(ctx); err != nil {
		return err
	}
	r.dirty = r.dirty[:0]
	var err error
	switch {
	case r.spec.Mode == splitStream || r.m.mode == modeStream:
		err = r.readStream(ctx, b)
	case r.spec.Mode == splitKeyset:
		err = r.readKeyset(ctx, b)
	default:
		err = r.readBlocks(ctx, b)
	}
	if !r.inTx && r.rr == nil && r.conn != nil {
		// Nothing lives on the connection between two Reads: give it back,
		// so that a pool shared with the sink serves its writers meanwhile.
		r.conn.Release()
		r.conn = nil
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	if len(r.dirty) > 0 { // the next Read reports the end
		return &datasync.RowErrors{Errors: r.dirty}
	}
	return err
}

// connect acquires the reader's connection and, in consistent mode, opens
// the transaction that reads the exported snapshot. A connection with no
// such transaction, and no stream open on it, is given back after each Read.
func (r *reader) connect(ctx context.Context) error {
	if r.conn != nil {
		return nil
	}
	conn, err := r.s.conns.acquire(ctx)
	if err != nil {
		return err
	}
	r.conn = conn
	if r.spec.Snapshot != "" {
		if err := conn.Conn().PgConn().Exec(ctx, importSQL(r.spec.Snapshot)).Close(); err != nil {
			return classify(fmt.Errorf("postgres: split %q: import the consistent snapshot (it lives as long as the Source that planned it): %w", r.id, err))
		}
		r.inTx = true
	}
	return nil
}

// pageRows is how many rows the next page asks for: what fits in the batch,
// by rows and, from the sizes seen so far, by bytes; a small first page
// while sizes are unknown.
func (r *reader) pageRows(b *datasync.Batch) int64 {
	limit := int64(min(r.s.cfg.FetchSize, b.MaxRows()-b.Len()))
	if r.rowsSeen == 0 {
		limit = min(limit, 64)
	} else if avg := r.bytesSeen / r.rowsSeen; avg > 0 {
		limit = min(limit, int64(max(b.MaxBytes()-b.Bytes(), 0))/avg+1)
	}
	return max(limit, 1)
}

func (r *reader) readKeyset(ctx context.Context, b *datasync.Batch) error {
	viaCopy := r.copyPages() && encoded.Offered(b) == r.m.encoding
	for !b.Full() {
		limit := r.pageRows(b)
		if viaCopy {
			got, all, err := r.copyPage(ctx, b, limit)
			if err != nil {
				return err
			}
			if all && got < limit {
				r.done = true
				return io.EOF
			}
			continue
		}
		r.params = r.params[:0]
		sql, oids := r.sqlFirst, r.oidsFirst
		if r.hasLast {
			sql, oids = r.sqlNext, r.oidsNext
			r.params = append(r.params, r.last...)
		} else if r.spec.Lo != nil {
			r.params = append(r.params, r.spec.Lo...)
		}
		r.params = append(r.params, r.spec.Hi...)
		binary.BigEndian.PutUint64(r.limit[:], uint64(limit))
		r.params = append(r.params, r.limit[:])
		got, all, err := r.page(ctx, b, sql, oids)
		if err != nil {
			return err
		}
		if all && got < limit {
			r.done = true
			return io.EOF
		}
	}
	return nil
}

func (r *reader) readBlocks(ctx context.Context, b *datasync.Batch) error {
	if r.end == 0 {
		r.end = r.spec.To
		if r.end == 0 {
			blocks, err := relationBlocks(ctx, r.conn.Conn(), r.m.rel.oid)
			if err != nil {
				return err
			}
			r.end = uint32(min(blocks, 0xFFFFFFFE))
		}
	}
	for !b.Full() && r.block < r.end {
		perBlock := float64(max(r.m.rel.tuples, 1)) / float64(max(r.m.rel.pages, 1))
		if r.blocksSeen > 0 {
			perBlock = max(float64(r.rowsSeen)/float64(r.blocksSeen), 1.0/1024)
		}
		n := min(max(int64(float64(r.pageRows(b))/perBlock), 1), 1<<17)
		pageEnd := uint32(min(int64(r.block)+n, int64(r.end)))
		r.params = r.params[:0]
		if r.m.version >= 140000 && !forceBlockFallback {
			r.params = append(r.params, tid(r.blkbuf[0][:6], r.block, 0), tid(r.blkbuf[1][:6], pageEnd, 0))
		} else {
			r.params = append(r.params, putInt8(r.blkbuf[0][:], int64(r.block)), putInt8(r.blkbuf[1][:], int64(pageEnd)))
		}
		sql, oids := r.sqlFirst, r.oidsFirst
		if r.hasLast {
			sql, oids = r.sqlNext, r.oidsNext
			r.params = append(r.params, r.last[1], r.last[0]) // ctid, tableoid
		}
		_, all, err := r.page(ctx, b, sql, oids)
		if err != nil {
			return err
		}
		if all {
			r.blocksSeen += int64(pageEnd - r.block)
			r.block, r.hasLast = pageEnd, false
		} else {
			r.block = binary.BigEndian.Uint32(r.last[1]) // resume inside the block of the last row
		}
	}
	if r.block >= r.end {
		r.done = true
		return io.EOF
	}
	return nil
}

func (r *reader) readStream(ctx context.Context, b *datasync.Batch) error {
	if r.rr == nil {
		r.params = r.params[:0]
		if r.spec.Mode != splitNulls {
			r.params = append(r.params, r.spec.Lo...)
			r.params = append(r.params, r.spec.Hi...)
		}
		r.rr = r.conn.Conn().PgConn().ExecParams(ctx, r.sqlFirst, r.params, r.oidsFirst, r.pformats, r.m.formats)
		for skip := r.rows; skip > 0 && r.rr.NextRow(); skip-- { // resuming: what was delivered
		}
	}
	for !b.Full() && r.rr.NextRow() {
		r.append(b, r.rr.Values())
		r.rows++
	}
	if b.Full() {
		return nil
	}
	_, err := r.rr.Close()
	r.rr = nil
	if err != nil {
		return classify(fmt.Errorf("postgres: split %q: %w", r.id, err))
	}
	r.done = true
	return io.EOF
}

// page runs one page query, appending its rows until b is full (the rest
// of the page is read and dropped: the next page starts after the last row
// appended). It returns the rows the page had and whether all were
// appended.
func (r *reader) page(ctx context.Context, b *datasync.Batch, sql string, oids []uint32) (int64, bool, error) {
	rr := r.conn.Conn().PgConn().ExecParams(ctx, sql, r.params, oids, r.pformats, r.m.formats)
	var got, appended int64
	before := b.Bytes()
	for rr.NextRow() {
		got++
		if b.Full() {
			continue
		}
		vals := rr.Values()
		r.append(b, vals)
		appended++
		for i, at := range r.keyAt {
			if i >= len(r.last) {
				r.last = append(r.last, nil)
			}
			r.last[i] = append(r.last[i][:0], vals[at]...)
		}
		r.hasLast = true
	}
	if _, err := rr.Close(); err != nil {
		return 0, false, classify(fmt.Errorf("postgres: split %q: %w", r.id, err))
	}
	r.rowsSeen += appended
	r.bytesSeen += int64(b.Bytes() - before)
	return got, appended == got, nil
}

// append adds one row to b: as a binary COPY tuple when b is offered the
// encoding of the source's column types, else as values.
func (r *reader) append(b *datasync.Batch, vals [][]byte) {
	types := r.m.types
	if r.m.encoding != "" && encoded.Offered(b) == r.m.encoding {
		t := binary.BigEndian.AppendUint16(r.tuple[:0], uint16(len(types)))
		size := 0
		for i, typ := range types {
			v := vals[i]
			if v == nil {
				t = append(t, 0xff, 0xff, 0xff, 0xff)
				continue
			}
			t = binary.BigEndian.AppendUint32(t, uint32(len(v)))
			t = append(t, v...)
			size += typ.size(v, &r.scratch)
		}
		r.tuple = t
		encoded.Append(b, t, size, r.m.decoder)
		return
	}
	rec := b.Append()
	for i, typ := range types {
		v := vals[i]
		if v == nil {
			continue // Append gives NULLs
		}
		val, err := typ.decode(v, b, &r.scratch)
		if err != nil {
			b.RemoveLast()
			r.dirty = append(r.dirty, &datasync.RowError{Row: -1, Column: r.m.schema[i].Name, Err: err})
			return
		}
		rec[i] = val
	}
}

// Checkpoint returns the position after the last row returned.
func (r *reader) Checkpoint() datasync.Checkpoint {
	p := position{Done: r.done, Rows: r.rows}
	if !r.done {
		p.Block = r.block
		if r.hasLast {
			p.Last = r.last
		}
	}
	cp, _ := json.Marshal(p)
	return cp
}

// Close releases the connection; a stream still open is abandoned by
// closing the connection rather than reading it to its end.
func (r *reader) Close() error {
	if r.conn == nil {
		return nil
	}
	defer func() {
		r.conn.Release()
		r.conn = nil
	}()
	ctx, cancel := netdial.CleanupContext()
	defer cancel()
	if r.rr != nil {
		r.rr = nil
		return r.conn.Conn().Close(ctx)
	}
	if r.inTx && !broken(r.conn) {
		return r.conn.Conn().PgConn().Exec(ctx, "ROLLBACK").Close()
	}
	return nil
}

func tid(dst []byte, block uint32, offset uint16) []byte {
	binary.BigEndian.PutUint32(dst, block)
	binary.BigEndian.PutUint16(dst[4:], offset)
	return dst
}

func putInt8(dst []byte, v int64) []byte {
	binary.BigEndian.PutUint64(dst, uint64(v))
	return dst
}
