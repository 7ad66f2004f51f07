package textcodec

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc64"
	"io"
	"strconv"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/text"
)

// CRCTable is the CRC-64 table OSS uses (ECMA-182).
var CRCTable = crc64.MakeTable(crc64.ECMA)

// DecoderConfig says where a decoder's stream is in its file.
type DecoderConfig struct {
	// Name is the file or object, for error messages.
	Name string
	// Pos is the position to start at: the split's start, or a checkpoint.
	Pos Position
	// StreamAt is the offset of the stream's first byte in the
	// (decompressed) file, at most Pos.Offset: the bytes up to Pos.Offset
	// are skipped. A compressed file resumes by decompressing from the start.
	StreamAt int64
	// Align says the stream starts one byte before a byte range that begins
	// inside the file: the decoder skips through the first newline, since
	// that line belongs to the range before.
	Align bool
	// End is where the byte range ends: records that start at or after it
	// belong to the next split. 0 or less reads to the end of the stream.
	End int64
	// HashCRC keeps the CRC-64 of the stream's bytes in Position.CRC, from
	// the stream's start (Pos.CRC carries it across resumes).
	HashCRC bool
}

// Decoder reads the records of one file (or byte range) into batches.
type Decoder struct {
	spec *ReadSpec
	cols []column
	cfg  DecoderConfig
	name string
	src  io.Reader

	buf    []byte
	r, w   int // buf[r:w] is read and not consumed; buf[r] is at pos.Offset
	eof    bool
	srcErr error

	pos     Position
	started bool
	done    bool

	dec       *charDecoder
	fields    []field
	scratch   []byte
	parser    fieldParser
	fieldIdx  []int // per column: the field it reads, -1 for constants and jsonl keys
	maxIndex  int   // largest field index read, -1 for none
	byHeader  bool
	keyIdx    map[string][]int // jsonl: key -> columns
	byIndex   [][]int          // jsonl arrays: element -> columns
	jvals     []jsonValue
	blankSkip bool      // blank lines are not records
	probeKeys *[]string // when probing jsonl: collects the keys of the first object
}

const initialBuffer = 256 << 10

// NewDecoder returns a decoder of the stream r, which holds the file's
// decompressed bytes from cfg.StreamAt. It reads nothing until Read.
func (s *ReadSpec) NewDecoder(r io.Reader, cfg DecoderConfig) (*Decoder, error) {
	cols, err := s.columns()
	if err != nil {
		return nil, err
	}
	if cfg.StreamAt > cfg.Pos.Offset || (cfg.Align && cfg.StreamAt != cfg.Pos.Offset-1) {
		return nil, fmt.Errorf("textcodec: stream at %d cannot resume at %d", cfg.StreamAt, cfg.Pos.Offset)
	}
	d := &Decoder{
		spec: s, cols: cols, cfg: cfg, name: cfg.Name, src: r,
		buf:    make([]byte, initialBuffer),
		pos:    cfg.Pos,
		dec:    s.cs.newDecoder(),
		parser: fieldParser{bytesFmt: s.bytesFmt},
	}
	d.pos.Header = append([]string(nil), cfg.Pos.Header...)
	if cfg.Align {
		d.pos.Relative = true
		d.pos.Line = 0
	}
	if !cfg.HashCRC {
		d.pos.Hashed, d.pos.CRC = false, 0
	} else if cfg.StreamAt == 0 && cfg.Pos.Offset == 0 {
		d.pos.Hashed, d.pos.CRC = true, 0
	}
	d.maxIndex = -1
	for _, c := range cols {
		if !c.isConst && c.index > d.maxIndex {
			d.maxIndex = c.index
		}
	}
	d.byHeader = s.needsHeaderNames(cols)
	return d, nil
}

// Position returns the position after the last record returned by Read.
func (d *Decoder) Position() Position { return d.pos }

// Read appends rows to b until it is full or the stream (or byte range)
// ends, when it returns io.EOF. Lines that are not rows are returned in a
// *datasync.RowErrors, with the rows that were appended.
func (d *Decoder) Read(b *datasync.Batch) error {
	if d.done {
		return io.EOF
	}
	if !d.started {
		if err := d.start(); err != nil {
			return err
		}
		d.started = true
		if d.done {
			return io.EOF
		}
	}
	var dirty []*datasync.RowError
	for !b.Full() {
		if d.cfg.End > 0 && d.pos.Offset >= d.cfg.End {
			d.finish()
			break
		}
		raw, n, lines, err := d.nextRecord()
		if err == io.EOF {
			d.finish()
			break
		}
		if err != nil {
			return err
		}
		if re := d.record(b, raw, lines); re != nil {
			dirty = append(dirty, re)
		}
		d.consume(n, lines)
	}
	if len(dirty) > 0 {
		return &datasync.RowErrors{Errors: dirty}
	}
	if d.done {
		return io.EOF
	}
	return nil
}

func (d *Decoder) finish() {
	d.done = true
	d.pos.Done = true
}

// start skips to the position and reads what the start of a file holds.
func (d *Decoder) start() error {
	switch {
	case d.cfg.Align:
		d.pos.Offset = d.cfg.StreamAt
		if err := d.skipLine(); err != nil {
			return err
		}
	case d.cfg.StreamAt < d.pos.Offset:
		if err := d.skip(d.pos.Offset - d.cfg.StreamAt); err != nil {
			return err
		}
	}
	if d.pos.Offset == 0 && !d.cfg.Align {
		if err := d.readHead(); err != nil {
			return err
		}
		if d.spec.skipHeader && d.pos.Header == nil && d.eof && d.r == d.w {
			d.finish() // an empty file: no header, no rows
			return nil
		}
	}
	return d.bindColumns()
}

// skip discards n bytes of the stream, which are already consumed.
func (d *Decoder) skip(n int64) error {
	for n > 0 {
		if d.r == d.w {
			if d.eof {
				return d.fileError(fmt.Errorf("the file is shorter than the checkpoint's offset %d (it changed?)", d.pos.Offset))
			}
			d.r, d.w = 0, 0
			if err := d.fill(); err != nil {
				return err
			}
			continue
		}
		k := int(min(int64(d.w-d.r), n))
		d.r += k // already counted in the position (and its CRC)
		n -= int64(k)
	}
	return nil
}

// skipLine consumes bytes through the first newline: the line that the
// previous byte range owns.
func (d *Decoder) skipLine() error {
	for {
		if k := bytes.IndexByte(d.buf[d.r:d.w], '\n'); k >= 0 {
			d.r += k + 1
			d.pos.Offset += int64(k + 1)
			return nil
		}
		d.pos.Offset += int64(d.w - d.r)
		d.r, d.w = 0, 0
		if d.eof {
			return nil
		}
		if err := d.fill(); err != nil {
			return err
		}
	}
}

// readHead strips a UTF-8 byte order mark and reads the header line.
func (d *Decoder) readHead() error {
	for d.w-d.r < 3 && !d.eof {
		if err := d.fill(); err != nil {
			return err
		}
	}
	if d.spec.cs.utf8() && bytes.HasPrefix(d.buf[d.r:d.w], []byte("\xEF\xBB\xBF")) {
		d.consume(3, 0)
	}
	if !d.spec.skipHeader || d.pos.Header != nil {
		return nil
	}
	raw, n, lines, err := d.nextRecord()
	if err == io.EOF {
		return nil // an empty file
	}
	if err != nil {
		return err
	}
	names, err := d.headerNames(raw, lines)
	if err != nil {
		return d.fileError(fmt.Errorf("header: %w", err))
	}
	d.pos.Header = names
	if d.spec.format != text.FormatJSONL {
		d.pos.Fields = len(names)
	}
	d.consume(n, lines)
	return nil
}

func (d *Decoder) headerNames(raw []byte, lines int) ([]string, error) {
	if d.spec.format == text.FormatJSONL {
		return []string{}, nil
	}
	utf, err := d.toUTF8(raw)
	if err != nil {
		return nil, err
	}
	if err := d.split(utf, lines > 1); err != nil {
		return nil, err
	}
	names := make([]string, len(d.fields))
	for i, f := range d.fields {
		names[i] = string(f.data)
	}
	return names, nil
}

// bindColumns finds each column's field in this file.
func (d *Decoder) bindColumns() error {
	d.fieldIdx = make([]int, len(d.cols))
	if d.spec.format == text.FormatJSONL {
		d.keyIdx = map[string][]int{}
		for i, c := range d.cols {
			d.fieldIdx[i] = -1
			switch {
			case c.isConst:
			case c.index < 0: // by key, which may be "" (columns "*")
				d.keyIdx[c.key] = append(d.keyIdx[c.key], i)
			default:
				for len(d.byIndex) <= c.index {
					d.byIndex = append(d.byIndex, nil)
				}
				d.byIndex[c.index] = append(d.byIndex[c.index], i)
			}
		}
		d.jvals = make([]jsonValue, len(d.cols))
		d.blankSkip = true
		return nil
	}
	if d.byHeader && d.pos.Header == nil {
		return d.fileError(errors.New("the file has no header line to find the columns given by name in"))
	}
	for i, c := range d.cols {
		d.fieldIdx[i] = c.index
		if c.isConst || c.key == "" {
			continue
		}
		idx := indexOf(d.pos.Header, c.key)
		if idx < 0 {
			return d.fileError(fmt.Errorf("the header has no column %q (it has %s)", c.key, quoteList(d.pos.Header)))
		}
		d.fieldIdx[i] = idx
		d.maxIndex = max(d.maxIndex, idx)
	}
	return d.checkFields()
}

// checkFields fails when a column reads a field the file's records do not
// have: every line would be dirty.
func (d *Decoder) checkFields() error {
	if d.pos.Fields > 0 && d.maxIndex >= d.pos.Fields {
		return d.fileError(fmt.Errorf("a column reads field %d (from 0) but the file's records have %d fields", d.maxIndex, d.pos.Fields))
	}
	d.blankSkip = d.pos.Fields > 1 || (d.pos.Fields == 0 && d.maxIndex > 0)
	return nil
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	for i, n := range names {
		if bytes.EqualFold([]byte(n), []byte(name)) {
			return i
		}
	}
	return -1
}

func quoteList(names []string) string {
	var b []byte
	for i, n := range names {
		if i > 0 {
			b = append(b, ", "...)
		}
		if i == 20 {
			b = append(b, "..."...)
			break
		}
		b = strconv.AppendQuote(b, n)
	}
	return string(b)
}

func (d *Decoder) fileError(err error) error { return &text.FileError{Name: d.name, Err: err} }

// fill reads more of the stream into the buffer, moving or growing it when
// it is full. It sets eof at the end of the stream.
func (d *Decoder) fill() error {
	if d.srcErr != nil {
		return d.srcErr
	}
	if d.w == len(d.buf) {
		if d.r > 0 {
			copy(d.buf, d.buf[d.r:d.w])
			d.w -= d.r
			d.r = 0
		} else {
			if len(d.buf) >= d.spec.maxRecord+2 {
				return d.fileError(fmt.Errorf("line %d: a record longer than %d bytes (an unterminated quote?)", d.pos.Line+1, d.spec.maxRecord))
			}
			bigger := make([]byte, min(2*len(d.buf), d.spec.maxRecord+2))
			copy(bigger, d.buf[:d.w])
			d.buf = bigger
		}
	}
	n, err := d.src.Read(d.buf[d.w:])
	d.w += n
	if err == io.EOF {
		d.eof = true
		return nil
	}
	if err != nil {
		d.srcErr = err
		return err
	}
	return nil
}

// nextRecord returns the next record's bytes, without its line end, the
// bytes it takes in the stream, and the newlines it spans. It returns
// io.EOF when no byte is left.
func (d *Decoder) nextRecord() (rec []byte, n int, lines int, err error) {
	off := 0 // where to look for the next newline, from d.r
	inQuote := false
	csv := d.spec.format == text.FormatCSV
	for {
		k := bytes.IndexByte(d.buf[d.r+off:d.w], '\n')
		if k < 0 {
			if !d.eof {
				if d.w-d.r > d.spec.maxRecord {
					return nil, 0, 0, d.fileError(fmt.Errorf("line %d: a record longer than %d bytes (an unterminated quote?)", d.pos.Line+1, d.spec.maxRecord))
				}
				if err := d.fill(); err != nil {
					return nil, 0, 0, err
				}
				continue
			}
			if d.w == d.r {
				return nil, 0, 0, io.EOF
			}
			// The last record has no newline.
			if csv {
				inQuote = d.csvFrameLine(d.buf[d.r+off:d.w], inQuote, off == 0)
			}
			rec = d.buf[d.r:d.w]
			if inQuote && rec[len(rec)-1] == '\n' {
				rec = rec[:len(rec)-1] // an unterminated quote: show the record without the file's last newline
			}
			return trimCR(rec), d.w - d.r, lines + 1, nil
		}
		end := d.r + off + k
		if csv && (inQuote || bytes.IndexByte(d.buf[d.r+off:end], '"') >= 0) {
			inQuote = d.csvFrameLine(d.buf[d.r+off:end], inQuote, off == 0)
		}
		lines++
		if inQuote {
			off = end + 1 - d.r
			if off > d.spec.maxRecord {
				return nil, 0, 0, d.fileError(fmt.Errorf("line %d: a record longer than %d bytes (an unterminated quote?)", d.pos.Line+1, d.spec.maxRecord))
			}
			continue
		}
		return trimCR(d.buf[d.r:end]), end + 1 - d.r, lines, nil
	}
}

func trimCR(p []byte) []byte {
	if len(p) > 0 && p[len(p)-1] == '\r' {
		return p[:len(p)-1]
	}
	return p
}

// csvFrameLine is csvFrame over a line of the file. In another encoding
// than UTF-8 the line is converted first: a newline ends a character in
// every encoding accepted, but a delimiter byte may hide inside one.
func (d *Decoder) csvFrameLine(line []byte, inQuote, recordStart bool) bool {
	if d.dec != nil {
		utf, err := d.dec.decode(line)
		if err != nil {
			return false // the record is dirty anyway: end it here
		}
		line = utf
	}
	return d.csvFrame(line, inQuote, recordStart)
}

// csvFrame follows the quoting of a csv line (in the file's bytes) and
// reports whether it ends inside a quoted field. A quote opens a quoted
// field only at the start of a field.
func (d *Decoder) csvFrame(p []byte, inQuote, recordStart bool) bool {
	i := 0
	for {
		k := bytes.IndexByte(p[i:], '"')
		if k < 0 {
			return inQuote
		}
		q := i + k
		if inQuote {
			if q+1 < len(p) && p[q+1] == '"' {
				i = q + 2
				continue
			}
			inQuote = false
			i = q + 1
			continue
		}
		if (q == 0 && recordStart) || bytes.HasSuffix(p[:q], d.spec.delim) {
			inQuote = true
		}
		i = q + 1
	}
}

// consume moves past n bytes holding lines newlines.
func (d *Decoder) consume(n, lines int) {
	d.hash(d.buf[d.r : d.r+n])
	d.r += n
	d.pos.Offset += int64(n)
	d.pos.Line += int64(lines)
}

func (d *Decoder) hash(p []byte) {
	if d.pos.Hashed {
		d.pos.CRC = crc64.Update(d.pos.CRC, CRCTable, p)
	}
}

// toUTF8 converts a record from the file's encoding.
func (d *Decoder) toUTF8(raw []byte) ([]byte, error) {
	if d.dec == nil {
		return raw, nil
	}
	return d.dec.decode(raw)
}

// split splits a record of csv or text into d.fields.
func (d *Decoder) split(rec []byte, multiline bool) error {
	if d.spec.format == text.FormatCSV {
		return d.splitCSV(rec, multiline)
	}
	d.splitText(rec)
	return nil
}

// record decodes one record into a row of b, or returns why it cannot.
func (d *Decoder) record(b *datasync.Batch, raw []byte, lines int) *datasync.RowError {
	if len(raw) == 0 && d.blankSkip {
		return nil
	}
	utf, err := d.toUTF8(raw)
	if err != nil {
		return d.rowError("", raw, err)
	}
	if d.spec.format == text.FormatJSONL {
		return d.jsonRecord(b, utf)
	}
	if err := d.split(utf, lines > 1); err != nil {
		return d.rowError("", utf, err)
	}
	if d.pos.Fields == 0 {
		d.pos.Fields = len(d.fields)
		if err := d.checkFields(); err != nil {
			// The first record is too short for the columns: it is dirty,
			// and the next one says how many fields records have.
			d.pos.Fields = 0
			d.checkFields()
			return d.rowError("", utf, err)
		}
	}
	if len(d.fields) != d.pos.Fields {
		return d.rowError("", utf, fmt.Errorf("has %d fields, want %d", len(d.fields), d.pos.Fields))
	}
	row := b.Append()
	for i := range d.cols {
		c := &d.cols[i]
		if c.isConst {
			row[i] = c.constant
			continue
		}
		f := &d.fields[d.fieldIdx[i]]
		if f.null {
			continue // the zero Value is NULL
		}
		v, err := d.parser.parse(b, f.data, c)
		if err != nil {
			b.RemoveLast()
			return d.rowError(c.name, f.data, err)
		}
		row[i] = v
	}
	return nil
}

// jsonRecord decodes one JSON line.
func (d *Decoder) jsonRecord(b *datasync.Batch, line []byte) *datasync.RowError {
	if err := d.scanJSONLine(line); err != nil {
		return d.rowError("", line, err)
	}
	row := b.Append()
	for i := range d.cols {
		c := &d.cols[i]
		if c.isConst {
			row[i] = c.constant
			continue
		}
		jv := &d.jvals[i]
		var v datasync.Value
		var err error
		switch {
		case jv.kind == jsonAbsent || jv.kind == jsonNull:
			continue
		case c.kind == datasync.KindJSON:
			v = b.CopyJSON(jv.raw)
		case jv.kind == jsonNested && c.kind != datasync.KindString:
			err = convError(jv.raw, c.kind, errors.New("is a JSON object or array"))
		case jv.kind != jsonString && c.kind == datasync.KindBytes:
			err = convError(jv.raw, c.kind, errors.New("is not a JSON string"))
		default:
			v, err = d.parser.parse(b, jv.text, c)
		}
		if err != nil {
			b.RemoveLast()
			return d.rowError(c.name, jv.raw, err)
		}
		row[i] = v
	}
	return nil
}

// rowError reports the current record as dirty.
func (d *Decoder) rowError(column string, raw []byte, err error) *datasync.RowError {
	return &datasync.RowError{
		Row:    d.pos.Line + 1,
		Column: column,
		Value:  string(raw),
		Err:    &text.LineError{Name: d.name, Line: d.pos.Line + 1, Offset: d.pos.Offset, Relative: d.pos.Relative, Err: err},
	}
}
