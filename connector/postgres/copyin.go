package postgres

import (
	"encoding/binary"
	"errors"
	"io"
	"strconv"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/encoded"
)

// copyFormat is how a batch's rows travel.
type copyFormat uint8

const (
	formatBinary      copyFormat = iota // binary COPY rows the writer encoded
	formatText                          // text COPY rows the writer encoded
	formatPassThrough                   // binary COPY rows as the source sent them
)

// wire returns the COPY format rows of f are sent in: binary rows, encoded
// or passed through, travel in the same COPY.
func (f copyFormat) wire() copyFormat {
	if f == formatPassThrough {
		return formatBinary
	}
	return f
}

// The binary COPY header (signature, flags, header extension length) and
// trailer.
var (
	binaryHeader  = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	binaryTrailer = []byte{0xff, 0xff}
)

// rowBuf holds the rows sent under the current savepoint, encoded for COPY,
// each once, so that they can be sent again while rejected rows are narrowed
// down (see stream.go). Rows follow one another in data, in the order they
// were given to the writer.
type rowBuf struct {
	data  []byte
	spans []rowSpan
}

// rowSpan is one row of a rowBuf: data[start:end], the seq-th row (from 0)
// given to the writer.
type rowSpan struct {
	start, end int
	seq        int64
}

func (r *rowBuf) row(k int) []byte { return r.data[r.spans[k].start:r.spans[k].end] }

// dropFirst forgets the first k rows, moving the others to the front; it
// returns how many bytes of data went.
func (r *rowBuf) dropFirst(k int) int {
	off := len(r.data)
	if k < len(r.spans) {
		off = r.spans[k].start
	}
	r.data = r.data[:copy(r.data, r.data[off:])]
	r.spans = r.spans[:copy(r.spans, r.spans[k:])]
	for i := range r.spans {
		r.spans[i].start -= off
		r.spans[i].end -= off
	}
	if cap(r.data) > 4*maxWindowBytes+(64<<20) && len(r.data) == 0 { // grown for huge rows: not worth keeping
		r.data = nil
	}
	return off
}

// encode appends every row of b to w.rows, in binary, or in text when a
// value needs the server to parse it; rows with a value that cannot be
// converted become rejects.
func (w *writer) encode(b *datasync.Batch) (copyFormat, error) {
	cols := w.plan.cols
	upsert := w.s.set.mode == WriteUpsert
	fields := len(cols)
	if upsert {
		fields++
	}
	needsText := false
	data, spans := w.rows.data, w.rows.spans
	for i := range b.Len() {
		rec := b.Row(i)
		start := len(data)
		data = binary.BigEndian.AppendUint16(data, uint16(fields))
		var rejected error
		col := -1
		textRow := false
		for j, v := range rec {
			if v.IsNull() {
				data = append(data, 0xff, 0xff, 0xff, 0xff)
				continue
			}
			var err error
			data, err = cols[j].typ.appendBinary(data, v)
			switch {
			case err == nil:
			case errors.Is(err, errNeedsText):
				textRow = true
				data = append(data, 0xff, 0xff, 0xff, 0xff) // a placeholder: the row goes as text
			default:
				rejected, col = err, j
			}
			if rejected != nil {
				break
			}
		}
		if rejected != nil {
			data = data[:start]
			w.reject(i, w.schema[col].Name, rejected)
			continue
		}
		seq := w.batchSeq + int64(i)
		if upsert {
			data = binary.BigEndian.AppendUint32(data, 8)
			data = binary.BigEndian.AppendUint64(data, uint64(seq))
		}
		needsText = needsText || textRow
		spans = append(spans, rowSpan{start: start, end: len(data), seq: seq})
	}
	w.rows.data, w.rows.spans = data, spans
	if !needsText {
		return formatBinary, nil
	}
	return formatText, w.encodeText(b)
}

// encodeText encodes the batch's rows again, as text COPY lines, over their
// binary form.
func (w *writer) encodeText(b *datasync.Batch) error {
	cols := w.plan.cols
	upsert := w.s.set.mode == WriteUpsert
	spans := w.rows.spans[w.batchFirst:]
	kept := spans[:0]
	data := w.rows.data[:w.batchStart]
	for _, sp := range spans {
		i := int(sp.seq - w.batchSeq)
		rec := b.Row(i)
		start := len(data)
		var rejected error
		col := -1
		for j, v := range rec {
			if j > 0 {
				data = append(data, '\t')
			}
			if v.IsNull() {
				data = append(data, '\\', 'N')
				continue
			}
			var err error
			if data, err = cols[j].typ.appendCopyText(data, v, &w.raw); err != nil {
				rejected, col = err, j
				break
			}
		}
		if rejected != nil {
			data = data[:start]
			w.reject(i, w.schema[col].Name, asConversion(rejected, rec[col], cols[col].typ))
			continue
		}
		if upsert {
			data = append(data, '\t')
			data = strconv.AppendInt(data, sp.seq, 10)
		}
		data = append(data, '\n')
		kept = append(kept, rowSpan{start: start, end: len(data), seq: sp.seq})
	}
	w.rows.data = data
	w.rows.spans = w.rows.spans[:w.batchFirst+len(kept)]
	return nil
}

// copyEncoded appends the batch's pass-through rows to w.rows as they are,
// or, into upsert's staging table, with one more field: the row's number.
func (w *writer) copyEncoded(b *datasync.Batch) {
	upsert := w.s.set.mode == WriteUpsert
	data, spans := w.rows.data, w.rows.spans
	for i := range b.Len() {
		row := encoded.Row(b, i)
		start := len(data)
		seq := w.batchSeq + int64(i)
		if upsert {
			data = binary.BigEndian.AppendUint16(data, binary.BigEndian.Uint16(row)+1)
			data = append(data, row[2:]...)
			data = binary.BigEndian.AppendUint32(data, 8)
			data = binary.BigEndian.AppendUint64(data, uint64(seq))
		} else {
			data = append(data, row...)
		}
		spans = append(spans, rowSpan{start: start, end: len(data), seq: seq})
	}
	w.rows.data, w.rows.spans = data, spans
}

// asConversion makes err a *datasync.ConversionError, as the pipeline wants
// for values that cannot be converted.
func asConversion(err error, v datasync.Value, t *pgType) error {
	var ce *datasync.ConversionError
	if errors.As(err, &ce) {
		return err
	}
	return convErr(v, t, err.Error())
}

// reject records row i of the batch being written as rejected before it
// was sent.
func (w *writer) reject(i int, column string, err error) {
	w.rejects = append(w.rejects, &datasync.RowError{Row: int64(i), Column: column, Err: err})
}

// copySource streams some rows of w.rows to a COPY (indexes into its
// spans): the header, each row, the trailer. It copies from the writer's
// buffer into pgconn's, allocating nothing.
type copySource struct {
	w      *writer
	format copyFormat
	rows   []int
	next   int // index into rows of the next row
	cur    []byte
	tail   bool // the trailer is sent
}

func (s *copySource) reset(w *writer, format copyFormat, rows []int) {
	*s = copySource{w: w, format: format.wire(), rows: rows}
	if s.format == formatBinary {
		s.cur = binaryHeader
	}
}

func (s *copySource) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(s.cur) == 0 && !s.advance() {
			return n, io.EOF
		}
		c := copy(p[n:], s.cur)
		n += c
		s.cur = s.cur[c:]
	}
	return n, nil
}

// advance moves to the next piece to send; false when there is none.
func (s *copySource) advance() bool {
	switch {
	case s.next < len(s.rows):
		s.cur = s.w.rows.row(s.rows[s.next])
		s.next++
	case !s.tail && s.format == formatBinary:
		s.tail = true
		s.cur = binaryTrailer
	default:
		return false
	}
	return true
}
