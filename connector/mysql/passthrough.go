package mysql

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/encoded"
)

// The pass-through: when a MySQL Source feeds a MySQL Sink and every column
// has the same type on both sides (the same COLUMN_TYPE, character set, and
// no nullable column going into a NOT NULL one), the reader writes each row
// straight into the LOAD DATA format as the driver hands it over, and the
// writer streams those lines, skipping the decoding into values and the
// encoding back (datasync's encoded rows; see encoded.Writer).
//
// A value of a column type always fits a column of the same type, so the
// per-value checks of the value path are not needed; the reader still
// applies ZeroDate and rejects text that is not UTF-8, as the value path
// does. The load is still checked (affected rows, warnings); when it is not
// exact it is undone and the batch's rows, decoded back into values, take
// the INSERT path with every check, so a row at fault becomes a dirty
// record exactly as on the value path.

// encodingPrefix names this encoding and its version.
const encodingPrefix = "mysql-load-v1 "

// encodedTarget is what a writer accepts encoded rows for: its target
// columns, by position (a Column list) or by name (no Column list).
type encodedTarget struct {
	ByName bool            `json:"byName,omitempty"`
	Cols   []encodedColumn `json:"cols"`
}

type encodedColumn struct {
	Name     string `json:"name"`
	Type     string `json:"type"` // COLUMN_TYPE, or "json"
	Charset  string `json:"charset,omitempty"`
	Nullable bool   `json:"nullable,omitempty"`
}

// encodingFor returns the encoding a writer of table m accepts, "" for none.
func (s *Sink) encodingFor(m *tableMeta) string {
	if s.load == LoadDataOff || s.mode == WriteUpdate || !m.transactional() {
		return ""
	}
	var et encodedTarget
	add := func(c column) {
		typ := strings.ToLower(c.columnType)
		if c.dataType == "json" {
			typ = "json"
		}
		et.Cols = append(et.Cols, encodedColumn{Name: c.name, Type: typ, Charset: c.charset, Nullable: c.nullable || c.autoInc})
	}
	switch {
	case len(s.cfg.Column) == 0:
		et.ByName = true
		for _, c := range m.columns {
			if !c.generated {
				add(c)
			}
		}
	case isStar(s.cfg.Column):
		for _, c := range m.columns {
			if !c.generated {
				add(c)
			}
		}
	default:
		for _, name := range s.cfg.Column {
			i := m.find(unquoteIdent(strings.TrimSpace(name)))
			if i < 0 {
				return ""
			}
			add(m.columns[i])
		}
	}
	b, err := json.Marshal(et)
	if err != nil {
		return ""
	}
	return encodingPrefix + string(b)
}

// acceptsEncoding reports whether the reader can produce the offered
// encoding for its columns; the verdict is kept for the next batches.
func (rd *reader) acceptsEncoding(offered string) bool {
	if offered == rd.offerSeen {
		return rd.offerOK
	}
	rd.offerSeen, rd.offerOK = offered, rd.compatible(offered)
	return rd.offerOK
}

func (rd *reader) compatible(offered string) bool {
	spec, ok := strings.CutPrefix(offered, encodingPrefix)
	if !ok {
		return false
	}
	var et encodedTarget
	if err := json.Unmarshal([]byte(spec), &et); err != nil {
		return false
	}
	if !et.ByName && len(et.Cols) != len(rd.cols) {
		return false
	}
	for i, c := range rd.cols {
		if !c.table || c.dec == decTinyBool {
			return false
		}
		var t *encodedColumn
		if et.ByName {
			for j := range et.Cols {
				if et.Cols[j].Name == c.name {
					t = &et.Cols[j]
				}
			}
			for j := range et.Cols {
				if t == nil && strings.EqualFold(et.Cols[j].Name, c.name) {
					t = &et.Cols[j]
				}
			}
		} else {
			t = &et.Cols[i]
		}
		if t == nil || !strings.EqualFold(t.Type, c.col.Native) || t.Charset != c.charset || (c.col.Nullable && !t.Nullable) {
			return false
		}
	}
	return true
}

// encodeField appends the driver's value src of column c to the row's LOAD
// DATA line, as the value path would write it.
func (d *rowDecoder) encodeField(c *srcColumn, first bool, src any) {
	if !first {
		d.line = append(d.line, '\t')
	}
	switch v := src.(type) {
	case nil:
		d.line = append(d.line, '\\', 'N')
	case int64:
		if c.year && v == 0 {
			d.line = append(d.line, "0000"...)
		} else {
			d.line = strconv.AppendInt(d.line, v, 10)
		}
		d.size += 8
	case uint64:
		start := len(d.line)
		d.line = strconv.AppendUint(d.line, v, 10)
		d.size += max(8, len(d.line)-start)
	case float64:
		d.line = strconv.AppendFloat(d.line, v, 'g', -1, 64)
		d.size += 8
	case []byte:
		d.encodeText(c, v)
	case string:
		d.encodeText(c, []byte(v))
	case time.Time:
		d.line = v.AppendFormat(d.line, "2006-01-02 15:04:05.999999")
		d.size += 8
	default:
		d.fail(c, src, errUnhandled)
	}
}

func (d *rowDecoder) encodeText(c *srcColumn, p []byte) {
	switch c.dec {
	case decDate, decDatetime, decTimestamp:
		ok := false
		if c.dec == decDate {
			_, ok = parseDate(p)
		} else {
			_, ok = parseDatetime(p)
		}
		if !ok {
			if _, err := d.zeroDate(p); err != nil {
				d.fail(c, p, err)
			}
			d.line = append(d.line, '\\', 'N')
			return
		}
		d.line = append(d.line, p...)
		d.size += 8
		return
	case decTime:
		d.line = append(d.line, p...)
		d.size += 8
		return
	case decString:
		if !utf8.Valid(p) {
			d.fail(c, p, errNotUTF8)
			return
		}
	case decBit1:
		d.size++
	case decGeometry:
		if len(p) >= 9 && binary.LittleEndian.Uint32(p) == 0 {
			d.size -= 4 // WKB, without the SRID
		}
	}
	if c.dec != decBit1 {
		d.size += len(p)
	}
	d.line = appendLoadEscaped(d.line, p)
}

func (d *rowDecoder) fail(c *srcColumn, src any, err error) {
	if d.bad == nil {
		d.bad = &datasync.RowError{Row: -1, Column: c.name, Value: sourceText(src), Err: err}
	}
}

// lineDecoder returns the encoded.Decoder of the reader's encoded rows:
// it turns a LOAD DATA line back into the values the value path would have
// read. It runs in the writer's goroutine, for rows the sink rejects and
// for the INSERT path, with state of its own.
func lineDecoder(cols []srcColumn) encoded.Decoder {
	d := newRowDecoder(cols, nil, false)
	var field []byte
	return func(row []byte, dst datasync.Record, b *datasync.Batch) error {
		d.b, d.rec = b, dst
		row = bytes.TrimSuffix(row, []byte{'\n'})
		for i := range cols {
			end := bytes.IndexByte(row, '\t')
			if end < 0 {
				end = len(row)
				if i != len(cols)-1 {
					return fmt.Errorf("encoded row has %d fields, want %d", i+1, len(cols))
				}
			}
			f := row[:end]
			row = row[min(end+1, len(row)):]
			if len(f) == 2 && f[0] == '\\' && f[1] == 'N' {
				dst[i] = datasync.Null()
				continue
			}
			field = unescapeLoad(field[:0], f)
			v, err := d.decodeText(&cols[i], field)
			if err != nil {
				return fmt.Errorf("column %s: %w", cols[i].name, err)
			}
			dst[i] = v
		}
		return nil
	}
}

// unescapeLoad undoes appendLoadEscaped.
func unescapeLoad(dst, p []byte) []byte {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c != '\\' || i+1 == len(p) {
			dst = append(dst, c)
			continue
		}
		i++
		switch p[i] {
		case '0':
			dst = append(dst, 0)
		case 't':
			dst = append(dst, '\t')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 'Z':
			dst = append(dst, 0x1a)
		default:
			dst = append(dst, p[i])
		}
	}
	return dst
}

// encodedOpen computes the writer's accepted encoding, reading the table
// once per sink.
func (s *Sink) encodedOpen(ctx context.Context, c *conn, info serverInfo) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.encodingOK {
		return s.encoding
	}
	m, err := loadTable(ctx, c, info, s.table)
	if err != nil {
		return "" // the first Write reports it
	}
	s.encoding, s.encodingOK = s.encodingFor(m), true
	return s.encoding
}
