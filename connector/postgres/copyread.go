package postgres

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/encoded"
)

// Pass-through pages read with COPY. When a key split's rows travel as
// binary COPY tuples (the sink accepts the source's encoding, see
// passthrough.go), each page is read with
//
//	COPY (SELECT ... WHERE key > last AND key <= hi ORDER BY key LIMIT n) TO STDOUT (FORMAT binary)
//
// instead of an extended-protocol query: the server sends the rows already
// framed as the tuples the sink's COPY takes, so the reader appends each
// one to the batch's arena as it arrives, parsing only the field lengths
// (for the rows' sizes) and the key of the last row. COPY takes no
// parameters, so the page's bounds are written into the statement as
// literals: this way is used only when they can be written exactly, for a
// unique key of integer columns that are all read (copyPages).

// copyPages reports whether r's pages can be read with COPY when the batch
// takes the source's encoding: a keyset split of a table whose unique key
// is integer columns among those read, no column selected for paging only.
func (r *reader) copyPages() bool {
	m := r.m
	if m.encoding == "" || m.rel == nil || m.mode != modeKeyset || r.spec.Mode != splitKeyset ||
		!m.unique || len(m.hidden) > 0 || len(m.key) == 0 || disableCopyPages {
		return false
	}
	for _, k := range m.key {
		if k.result >= len(m.types) {
			return false
		}
		switch k.typ.class {
		case classInt2, classInt4, classInt8:
		default:
			return false
		}
	}
	return true
}

// disableCopyPages makes readers page with queries even where COPY could
// serve; tests and benchmarks set it to compare the two ways.
var disableCopyPages = false

// intLiteral writes a binary int2, int4 or int8 key value as SQL.
func intLiteral(v []byte) (string, error) {
	switch len(v) {
	case 2:
		return strconv.FormatInt(int64(int16(binary.BigEndian.Uint16(v))), 10), nil
	case 4:
		return strconv.FormatInt(int64(int32(binary.BigEndian.Uint32(v))), 10), nil
	case 8:
		return strconv.FormatInt(int64(binary.BigEndian.Uint64(v)), 10), nil
	}
	return "", fmt.Errorf("postgres: an integer key value of %d bytes", len(v))
}

// copyPageSQL writes the COPY statement of the next page of limit rows:
// after r.last when a row was read, else after the split's lower bound.
func (r *reader) copyPageSQL(limit int64) (string, error) {
	m, spec := r.m, r.spec
	var conds []string
	if r.s.cfg.Where != "" {
		conds = append(conds, "("+r.s.cfg.Where+")")
	}
	keys := make([]string, len(m.key))
	for i, k := range m.key {
		keys[i] = k.sql
		if m.nulls {
			conds = append(conds, k.sql+" IS NOT NULL")
		}
	}
	bound := func(op string, vals [][]byte) error {
		lits := make([]string, len(vals))
		for i, v := range vals {
			lit, err := intLiteral(v)
			if err != nil {
				return err
			}
			lits[i] = lit + "::" + m.key[i].typ.name
		}
		if len(keys) == 1 {
			conds = append(conds, keys[0]+" "+op+" "+lits[0])
		} else {
			conds = append(conds, "("+strings.Join(keys, ", ")+") "+op+" ("+strings.Join(lits, ", ")+")")
		}
		return nil
	}
	var err error
	switch {
	case r.hasLast:
		err = bound(">", r.last)
	case spec.Lo != nil:
		err = bound(">", spec.Lo)
	}
	if err == nil && spec.Hi != nil {
		err = bound("<=", spec.Hi)
	}
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("COPY (%s%s ORDER BY %s LIMIT %d) TO STDOUT (FORMAT binary)",
		m.query, where(conds), strings.Join(keys, ", "), limit), nil
}

// copyPage reads one page with COPY into b, as page does with a query: rows
// past a full batch are read and dropped. It returns the rows the page had
// and whether all were appended.
func (r *reader) copyPage(ctx context.Context, b *datasync.Batch, limit int64) (int64, bool, error) {
	sql, err := r.copyPageSQL(limit)
	if err != nil {
		return 0, false, err
	}
	r.s.copyPages.Add(1)
	before := b.Bytes()
	t := &r.tuples
	t.reset(r, b)
	if _, err := r.conn.Conn().PgConn().CopyTo(ctx, t, sql); err != nil {
		return 0, false, classify(fmt.Errorf("postgres: split %q: %w", r.id, err))
	}
	if t.err == nil && (!t.ended || len(t.carry) > 0) {
		t.err = errors.New("the stream ended inside a tuple or without its trailer")
	}
	if t.err != nil {
		return 0, false, fmt.Errorf("postgres: split %q: binary COPY from the server: %w", r.id, t.err)
	}
	r.rowsSeen += t.appended
	r.bytesSeen += int64(b.Bytes() - before)
	return t.got, t.appended == t.got, nil
}

// tupleStream takes a binary COPY stream (pgconn writes it one CopyData
// message at a time) and appends its tuples to a batch as encoded rows.
// It never returns an error from Write, which would make pgconn close the
// connection: a malformed stream is kept in err and reported after the COPY.
type tupleStream struct {
	r        *reader
	b        *datasync.Batch
	header   bool   // the header was read
	ended    bool   // the trailer was read
	carry    []byte // the start of a tuple whose end is in a later message
	got      int64  // tuples in the stream
	appended int64  // of which appended to b
	err      error
}

// The binary COPY header is the signature, 4 bytes of flags and the length
// of an extension area, which follows.
var copySignature = []byte("PGCOPY\n\xff\r\n\x00")

func (t *tupleStream) reset(r *reader, b *datasync.Batch) {
	*t = tupleStream{r: r, b: b, carry: t.carry[:0]}
}

// Write consumes p, which may hold any part of the stream.
func (t *tupleStream) Write(p []byte) (int, error) {
	n := len(p)
	if t.err != nil {
		return n, nil
	}
	data := p
	if len(t.carry) > 0 {
		t.carry = append(t.carry, p...)
		data = t.carry
	}
	used, err := t.consume(data)
	switch {
	case err != nil:
		t.err = err
	case len(t.carry) > 0:
		t.carry = t.carry[:copy(t.carry, t.carry[used:])]
	default:
		t.carry = append(t.carry, data[used:]...)
	}
	return n, nil
}

// consume takes the header and the complete tuples at the start of data and
// returns how many bytes they were. Of the tuples it appends, it keeps the
// key of the last one only (r.last), once, when it returns.
func (t *tupleStream) consume(data []byte) (int, error) {
	var last []byte // the last tuple appended, in data
	defer func() {
		if last != nil {
			t.r.keepKey(last)
		}
	}()
	p := 0
	if !t.header {
		if len(data) < len(copySignature)+8 {
			return 0, nil
		}
		if string(data[:len(copySignature)]) != string(copySignature) {
			return 0, errors.New("no binary COPY signature")
		}
		ext := int(binary.BigEndian.Uint32(data[len(copySignature)+4:]))
		p = len(copySignature) + 8 + ext
		if len(data) < p {
			return 0, nil
		}
		t.header = true
	}
	types := t.r.m.types
	for p < len(data) {
		if t.ended {
			return p, errors.New("data after the trailer")
		}
		if len(data)-p < 2 {
			return p, nil
		}
		fields := int16(binary.BigEndian.Uint16(data[p:]))
		if fields == -1 {
			t.ended = true
			p += 2
			continue
		}
		if int(fields) != len(types) {
			return p, fmt.Errorf("a tuple of %d fields, want %d", fields, len(types))
		}
		q := p + 2
		size := 0
		complete := true
		for _, typ := range types {
			if len(data)-q < 4 {
				complete = false
				break
			}
			l := int(int32(binary.BigEndian.Uint32(data[q:])))
			q += 4
			if l < 0 {
				continue
			}
			if len(data)-q < l {
				complete = false
				break
			}
			size += typ.size(data[q:q+l], &t.r.scratch)
			q += l
		}
		if !complete {
			return p, nil
		}
		t.got++
		if !t.b.Full() {
			last = data[p:q]
			encoded.Append(t.b, data[p:q], size, t.r.m.decoder)
			t.appended++
		}
		p = q
	}
	return p, nil
}

// keepKey copies the key fields of tuple (complete, of the source's types)
// into r.last.
func (r *reader) keepKey(tuple []byte) {
	for i, at := range r.keyAt {
		q := 2
		for range at {
			if l := int(int32(binary.BigEndian.Uint32(tuple[q:]))); l > 0 {
				q += l
			}
			q += 4
		}
		l := int(int32(binary.BigEndian.Uint32(tuple[q:])))
		q += 4
		if i >= len(r.last) {
			r.last = append(r.last, nil)
		}
		r.last[i] = append(r.last[i][:0], tuple[q:q+max(l, 0)]...) // a unique key read by key pages is never NULL
	}
	r.hasLast = true
}
