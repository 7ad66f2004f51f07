package mysql

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/civil"
)

// rowDecoder turns result rows into batch records. Its scan targets
// implement sql.Scanner, so database/sql hands them the driver's own values
// (the row buffer's bytes, not copies) and nothing is allocated here per
// value: variable-width payloads are copied once, into the batch's arena.
type rowDecoder struct {
	cols      []srcColumn
	zeroDirty bool

	b       *datasync.Batch
	rec     datasync.Record
	bad     *datasync.RowError // the row's first problem, nil when it decoded
	targets []any              // what rows.Scan fills: one per selected expression
	keys    [][]byte           // the order key's raw text for the current row
	geom    []byte             // scratch for geometry conversion
	num     [40]byte           // scratch for number text

	// The pass-through (passthrough.go): the row as a LOAD DATA line.
	encoded bool
	line    []byte
	size    int // what the row's values would count for (datasync.Value.Size)
}

// newRowDecoder returns a decoder for cols, followed by the hidden key
// columns that only feed the checkpoint. keyOf[k] is the position in cols
// of order-key column k, or -1 when it is hidden (selected after cols).
func newRowDecoder(cols []srcColumn, keyOf []int, zeroDirty bool) *rowDecoder {
	d := &rowDecoder{cols: cols, zeroDirty: zeroDirty, keys: make([][]byte, len(keyOf))}
	scanners := make([]valueScanner, len(cols))
	for i := range scanners {
		scanners[i] = valueScanner{d: d, i: i, key: -1}
		d.targets = append(d.targets, &scanners[i])
	}
	for k, pos := range keyOf {
		if pos >= 0 {
			scanners[pos].key = k
			continue
		}
		d.targets = append(d.targets, &keyScanner{d: d, k: k})
	}
	return d
}

// valueScanner decodes one column of the current row into the record.
type valueScanner struct {
	d   *rowDecoder
	i   int
	key int // order-key position to capture, -1 when none
}

// Scan implements sql.Scanner. It never fails: a value that cannot be
// decoded makes the row dirty (rowDecoder.bad) and the row is dropped from
// the batch by the reader.
func (s *valueScanner) Scan(src any) error {
	d := s.d
	if s.key >= 0 {
		d.captureKey(s.key, src)
	}
	if d.encoded {
		d.encodeField(&d.cols[s.i], s.i == 0, src)
		return nil
	}
	v, err := d.decode(&d.cols[s.i], src)
	if err != nil {
		if d.bad == nil {
			d.bad = &datasync.RowError{Row: -1, Column: d.cols[s.i].name, Value: sourceText(src), Err: err}
		}
		return nil
	}
	d.rec[s.i] = v
	return nil
}

// keyScanner captures a hidden key column.
type keyScanner struct {
	d *rowDecoder
	k int
}

func (s *keyScanner) Scan(src any) error {
	s.d.captureKey(s.k, src)
	return nil
}

func (d *rowDecoder) captureKey(k int, src any) {
	buf := d.keys[k][:0]
	switch v := src.(type) {
	case []byte:
		buf = append(buf, v...)
	case int64:
		buf = strconv.AppendInt(buf, v, 10)
	case uint64:
		buf = strconv.AppendUint(buf, v, 10)
	case float64:
		buf = strconv.AppendFloat(buf, v, 'g', -1, 64)
	case string:
		buf = append(buf, v...)
	case time.Time:
		buf = v.AppendFormat(buf, "2006-01-02 15:04:05.999999")
	}
	d.keys[k] = buf
}

// sourceText renders a driver value for a dirty record; it runs only for
// dirty rows.
func sourceText(src any) string {
	switch v := src.(type) {
	case []byte:
		return string(v)
	case nil:
		return ""
	}
	return fmt.Sprint(src)
}

var (
	errZeroDate  = errors.New("zero or invalid date, which has no calendar value (zeroDate is \"dirty\")")
	errNotUTF8   = errors.New("text is not valid UTF-8")
	errTinyBool  = errors.New("tinyint(1) value is not 0 or 1, so it is not a boolean (tinyIntAsBool is set)")
	errBadGeom   = errors.New("geometry value is shorter than an SRID and a WKB header")
	errUnhandled = errors.New("unexpected value type from the driver")
)

// decode returns the Value of src, the driver's value for column c.
func (d *rowDecoder) decode(c *srcColumn, src any) (datasync.Value, error) {
	switch v := src.(type) {
	case nil:
		return datasync.Null(), nil
	case int64:
		return d.intValue(c, v)
	case uint64:
		return d.uintValue(v)
	case float64:
		return d.floatValue(c, v), nil
	case float32:
		return datasync.Float32(v), nil
	case []byte:
		return d.decodeText(c, v)
	case string:
		return d.decodeText(c, unsafe.Slice(unsafe.StringData(v), len(v)))
	case time.Time:
		switch c.dec {
		case decDate:
			return datasync.DateValue(datasync.DateOf(v.Date())), nil
		case decDatetime:
			return datasync.WallClock(v), nil
		case decTimestamp:
			return datasync.TimestampValue(datasync.WallClockOf(v).AsInstant()), nil
		}
	}
	return datasync.Value{}, errUnhandled
}

func (d *rowDecoder) intValue(c *srcColumn, v int64) (datasync.Value, error) {
	switch c.dec {
	case decTinyBool:
		if v != 0 && v != 1 {
			return datasync.Value{}, errTinyBool
		}
		return datasync.Bool(v == 1), nil
	case decFloat32:
		return datasync.Float32(float32(v)), nil
	case decFloat64:
		return datasync.Float(float64(v)), nil
	}
	return datasync.Int(v), nil
}

func (d *rowDecoder) uintValue(v uint64) (datasync.Value, error) {
	if v <= math.MaxInt64 {
		return datasync.Int(int64(v)), nil
	}
	return d.b.CopyDecimal(strconv.AppendUint(d.num[:0], v, 10))
}

// floatValue returns a FLOAT, which the reader selects as a DOUBLE (see
// widenFloat), as the float32 it is: its text is then the float32's
// shortest (3.1415927 rather than 3.1415927410125732 or the server's
// 3.14159), and a single-precision column takes it with the same bits.
func (d *rowDecoder) floatValue(c *srcColumn, f float64) datasync.Value {
	if c.dec == decFloat32 {
		return datasync.Float32(float32(f))
	}
	return datasync.Float(f)
}

func (d *rowDecoder) decodeText(c *srcColumn, p []byte) (datasync.Value, error) {
	switch c.dec {
	case decString:
		if !utf8.Valid(p) {
			return datasync.Value{}, errNotUTF8
		}
		return d.b.CopyString(p), nil
	case decBytes, decBits:
		return d.b.CopyBytes(p), nil
	case decDecimal:
		return d.b.CopyDecimal(p)
	case decJSON:
		return d.b.CopyJSON(p), nil
	case decBit1:
		for _, c := range p {
			if c != 0 {
				return datasync.Bool(true), nil
			}
		}
		return datasync.Bool(false), nil
	case decInt, decUint64, decTinyBool:
		s := unsafe.String(unsafe.SliceData(p), len(p))
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return d.intValue(c, n)
		}
		u, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return datasync.Value{}, fmt.Errorf("integer %q: %w", s, err)
		}
		return d.uintValue(u)
	case decFloat32, decFloat64:
		f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(p), len(p)), 64)
		if err != nil {
			return datasync.Value{}, fmt.Errorf("float %q: %w", p, err)
		}
		return d.floatValue(c, f), nil
	case decDate:
		days, ok := parseDate(p)
		if !ok {
			return d.zeroDate(p)
		}
		return datasync.DateValue(datasync.DateFromDays(days)), nil
	case decDatetime, decTimestamp:
		micros, ok := parseDatetime(p)
		if !ok {
			return d.zeroDate(p)
		}
		return datasync.TimestampValue(datasync.TimestampFromMicros(micros, c.dec == decTimestamp)), nil
	case decTime:
		t, err := datasync.ParseTimeOfDay(unsafe.String(unsafe.SliceData(p), len(p)))
		if err != nil {
			return datasync.Value{}, err
		}
		return datasync.TimeValue(t), nil
	case decGeometry:
		return d.geometry(p)
	}
	return datasync.Value{}, errUnhandled
}

// zeroDate applies the ZeroDate option to a date the calendar lacks; text
// that is not a date at all is an error either way.
func (d *rowDecoder) zeroDate(p []byte) (datasync.Value, error) {
	if !looksLikeDate(p) {
		return datasync.Value{}, fmt.Errorf("cannot parse %q as a date", p)
	}
	if d.zeroDirty {
		return datasync.Value{}, errZeroDate
	}
	return datasync.Null(), nil
}

// geometry turns MySQL's internal format (a little-endian SRID, then WKB)
// into WKB, or into EWKB (PostGIS's WKB with the SRID) when the SRID is
// not 0, so that nothing of the value is lost.
func (d *rowDecoder) geometry(p []byte) (datasync.Value, error) {
	if len(p) < 9 {
		return datasync.Value{}, errBadGeom
	}
	srid := binary.LittleEndian.Uint32(p)
	wkb := p[4:]
	if srid == 0 {
		return d.b.CopyBytes(wkb), nil
	}
	order := byteOrder(wkb[0])
	g := append(d.geom[:0], wkb[0])
	g = order.AppendUint32(g, order.Uint32(wkb[1:5])|ewkbSRIDFlag)
	g = order.AppendUint32(g, srid)
	g = append(g, wkb[5:]...)
	d.geom = g
	return d.b.CopyBytes(g), nil
}

// parseDate parses YYYY-MM-DD into days since 1970-01-01; ok is false for
// zero and impossible dates.
func parseDate(p []byte) (days int64, ok bool) {
	if len(p) != 10 || p[4] != '-' || p[7] != '-' {
		return 0, false
	}
	y, ok1 := digits(p[0:4])
	m, ok2 := digits(p[5:7])
	dd, ok3 := digits(p[8:10])
	if !ok1 || !ok2 || !ok3 || !civil.ValidDate(int64(y), m, dd) {
		return 0, false
	}
	return datasync.DateOf(y, time.Month(m), dd).Days(), true
}

// parseDatetime parses YYYY-MM-DD HH:MM:SS[.ffffff] into microseconds since
// 1970-01-01 00:00:00; ok is false for zero and impossible dates.
func parseDatetime(p []byte) (micros int64, ok bool) {
	if len(p) < 19 || p[10] != ' ' || p[13] != ':' || p[16] != ':' {
		return 0, false
	}
	days, ok := parseDate(p[:10])
	if !ok {
		return 0, false
	}
	h, ok1 := digits(p[11:13])
	mi, ok2 := digits(p[14:16])
	s, ok3 := digits(p[17:19])
	if !ok1 || !ok2 || !ok3 || h > 23 || mi > 59 || s > 59 {
		return 0, false
	}
	var frac int64
	if len(p) > 19 {
		if p[19] != '.' || len(p) > 26 || len(p) == 20 {
			return 0, false
		}
		f, okf := digits(p[20:])
		if !okf {
			return 0, false
		}
		frac = int64(f)
		for range 26 - len(p) {
			frac *= 10
		}
	}
	return days*86_400_000_000 + int64((h*60+mi)*60+s)*1_000_000 + frac, true
}

// looksLikeDate reports whether p has the shape of a date or datetime, so
// that only dates MySQL itself stores count as zero dates.
func looksLikeDate(p []byte) bool {
	if len(p) < 10 || p[4] != '-' || p[7] != '-' {
		return false
	}
	_, ok1 := digits(p[0:4])
	_, ok2 := digits(p[5:7])
	_, ok3 := digits(p[8:10])
	return ok1 && ok2 && ok3
}

func digits(p []byte) (int, bool) {
	n := 0
	for _, c := range p {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(p) > 0
}
