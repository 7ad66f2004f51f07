package postgres

import (
	"encoding/binary"
	"errors"
	"io"
	"slices"
	"strconv"

	"github.com/datasync-go/datasync"
)

// copyFormat is how a batch's rows travel.
type copyFormat uint8

const (
	formatBinary      copyFormat = iota // binary COPY rows the writer encoded
	formatText                          // text COPY rows the writer encoded
	formatPassThrough                   // binary COPY rows as the source sent them
)

// The binary COPY header (signature, flags, header extension length) and
// trailer.
var (
	binaryHeader  = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	binaryTrailer = []byte{0xff, 0xff}
)

// rowBuf holds a batch's rows encoded for COPY, each once, so that subsets
// can be sent again while rejected rows are narrowed down. The batches sent
// under one savepoint are encoded one after the other in data, which is
// thus also what restore sends again (see savepoint.go).
type rowBuf struct {
	data   []byte
	start  int   // where the batch being written starts in data
	starts []int // its row i is data[starts[i]:ends[i]]; empty when rejected
	ends   []int
}

// next prepares for a batch of n rows, after those kept in data.
func (r *rowBuf) next(n int) {
	r.start = len(r.data)
	r.starts = slices.Grow(r.starts[:0], n)[:n]
	r.ends = slices.Grow(r.ends[:0], n)[:n]
	clear(r.starts)
	clear(r.ends)
}

func (r *rowBuf) row(i int) []byte { return r.data[r.starts[i]:r.ends[i]] }

// encode encodes every row of b in binary, or in text when a value needs
// the server to parse it; rows with a value that cannot be converted become
// rejects. It fills w.all with the rows to send.
func (w *writer) encode(b *datasync.Batch) (copyFormat, error) {
	n := b.Len()
	w.rows.next(n)
	cols := w.plan.cols
	upsert := w.s.set.mode == Upsert
	fields := len(cols)
	if upsert {
		fields++
	}
	needsText := false
	data := w.rows.data
	for i := range n {
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
		if upsert {
			data = binary.BigEndian.AppendUint32(data, 8)
			data = binary.BigEndian.AppendUint64(data, uint64(i))
		}
		needsText = needsText || textRow
		w.rows.starts[i], w.rows.ends[i] = start, len(data)
		w.all = append(w.all, i)
	}
	w.rows.data = data
	if !needsText {
		return formatBinary, nil
	}
	return formatText, w.encodeText(b)
}

// encodeText encodes the rows of w.all again, as text COPY lines.
func (w *writer) encodeText(b *datasync.Batch) error {
	cols := w.plan.cols
	upsert := w.s.set.mode == Upsert
	rows := w.all
	w.all = w.all[:0]
	data := w.rows.data[:w.rows.start] // over the batch's binary rows
	for _, i := range rows {
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
			w.rows.starts[i], w.rows.ends[i] = 0, 0
			w.reject(i, w.schema[col].Name, asConversion(rejected, rec[col], cols[col].typ))
			continue
		}
		if upsert {
			data = append(data, '\t')
			data = strconv.AppendUint(data, uint64(i), 10)
		}
		data = append(data, '\n')
		w.rows.starts[i], w.rows.ends[i] = start, len(data)
		w.all = append(w.all, i)
	}
	w.rows.data = data
	return nil
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

func (w *writer) reject(row int, column string, err error) {
	w.rejects = append(w.rejects, &datasync.RowError{Row: int64(row), Column: column, Err: err})
}

// copySource streams rows to a COPY: the header, each row, the trailer. It
// copies from the writer's buffers into pgconn's, allocating nothing.
type copySource struct {
	w      *writer
	format copyFormat
	rows   []int
	raw    []byte // rows already framed, sent instead of rows (see restore)
	next   int    // index into rows of the next row
	cur    []byte
	tail   bool // the trailer is sent
	parts  [3][]byte
	part   int
	patch  rowPatch
}

func (s *copySource) reset(w *writer, format copyFormat, rows []int) {
	*s = copySource{w: w, format: format, rows: rows}
	if format != formatText {
		s.cur = binaryHeader
	}
}

func (s *copySource) resetRaw(w *writer, format copyFormat, raw []byte) {
	s.reset(w, format, nil)
	s.raw = raw
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
	if s.part > 0 && s.part < len(s.parts) && len(s.parts[s.part]) > 0 {
		s.cur = s.parts[s.part]
		s.part++
		return true
	}
	if s.raw != nil {
		s.cur, s.raw = s.raw, nil
		return len(s.cur) > 0 || s.advance()
	}
	if s.next < len(s.rows) {
		s.parts = s.w.rowParts(s.format, s.rows[s.next], &s.patch)
		s.next++
		s.cur, s.part = s.parts[0], 1
		return true
	}
	if !s.tail && s.format != formatText {
		s.tail = true
		s.cur = binaryTrailer
		return true
	}
	return false
}

// rowPatch holds what a pass-through row into upsert's staging table needs
// besides the source's tuple: one more field in the count, and the row's
// number.
type rowPatch struct {
	count  [2]byte
	rowNum [12]byte
}

// rowParts returns the bytes COPY sends for row i, in up to three pieces
// (into patch's memory for the pieces that are not the row's own).
func (w *writer) rowParts(format copyFormat, i int, patch *rowPatch) [3][]byte {
	switch {
	case format != formatPassThrough:
		return [3][]byte{w.rows.row(i)}
	case w.s.set.mode == Upsert:
		row := w.batch.EncodedRow(i)
		binary.BigEndian.PutUint16(patch.count[:], binary.BigEndian.Uint16(row)+1)
		binary.BigEndian.PutUint32(patch.rowNum[:], 8)
		binary.BigEndian.PutUint64(patch.rowNum[4:], uint64(i))
		return [3][]byte{patch.count[:], row[2:], patch.rowNum[:]}
	}
	return [3][]byte{w.batch.EncodedRow(i)}
}
