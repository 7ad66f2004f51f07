package mysql

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/datasync-go/datasync"
)

// A target is a column the sink writes, with what it accepts. Every value is
// checked against it before it is sent, in both write paths, so that MySQL
// is never in a position to truncate, round, clip or replace it: LOAD DATA
// LOCAL would do so with a mere warning.

type tclass uint8

const (
	tInt       tclass = iota // TINYINT..BIGINT (but BIGINT UNSIGNED): range
	tUint64                  // BIGINT UNSIGNED
	tBit                     // BIT(n)
	tDecimal                 // DECIMAL(p,s)
	tFloat                   // FLOAT
	tDouble                  // DOUBLE
	tYear                    // YEAR
	tChar                    // CHAR, VARCHAR: a length in characters
	tText                    // TEXT types: a length in bytes of the column's charset
	tBinary                  // BINARY, VARBINARY, BLOB types: a length in bytes
	tEnum                    // ENUM: one member exactly
	tSet                     // SET: members exactly
	tJSON                    // JSON (and MariaDB's JSON alias)
	tDate                    // DATE
	tDatetime                // DATETIME(fsp)
	tTimestamp               // TIMESTAMP(fsp)
	tTime                    // TIME(fsp)
	tGeometry                // spatial types: WKB or EWKB in, MySQL's internal format out
	tOther                   // types this package does not know: text, checked by the server
)

// charsetKind is what the checks know of a column's character set.
type charsetKind uint8

const (
	csUTF8MB4 charsetKind = iota
	csUTF8MB3
	csLatin1
	csASCII
	csOther // not checked here; the server's strict mode and warnings are
)

type target struct {
	col      column
	class    tclass
	min, max int64 // tInt
	limit    int64 // tChar: characters; tText, tBinary: bytes; 0 for none
	charset  charsetKind
	bits     int // tBit
	nullOK   bool
	maxTS    int64 // tTimestamp: the largest instant, in microseconds
}

// The TIMESTAMP range: 1970-01-01 00:00:01 to 2038-01-19 03:14:07.999999
// UTC, or to 2106-02-07 06:28:15.999999 on MariaDB 11.5 and later.
const (
	minTimestampMicros    = 1_000_000
	maxTimestampMicros    = 2_147_483_647_999_999
	maxTimestampMicros106 = 4_294_967_295_999_999
	maxTimeMicros         = 838*3600_000_000 + 59*60_000_000 + 59*1_000_000
)

func newTarget(c column, info serverInfo) target {
	t := target{col: c, nullOK: c.nullable || c.autoInc}
	switch c.charset {
	case "utf8mb4", "":
		t.charset = csUTF8MB4
	case "utf8", "utf8mb3":
		t.charset = csUTF8MB3
	case "latin1":
		t.charset = csLatin1
	case "ascii":
		t.charset = csASCII
	default:
		t.charset = csOther
	}
	switch c.dataType {
	case "tinyint", "smallint", "mediumint", "int", "integer", "bigint":
		t.class = tInt
		bits := map[string]uint{"tinyint": 8, "smallint": 16, "mediumint": 24, "int": 32, "integer": 32, "bigint": 64}[c.dataType]
		if c.unsigned {
			if bits == 64 {
				t.class = tUint64
			} else {
				t.max = 1<<bits - 1
			}
		} else {
			t.min, t.max = -1<<(bits-1), 1<<(bits-1)-1
		}
	case "bit":
		t.class, t.bits = tBit, c.precision
	case "decimal", "numeric", "fixed":
		t.class = tDecimal
	case "float":
		t.class = tFloat
	case "double", "real", "double precision":
		t.class = tDouble
	case "year":
		t.class = tYear
	case "char", "varchar":
		t.class, t.limit = tChar, c.charLen
	case "tinytext", "text", "mediumtext", "longtext":
		t.class, t.limit = tText, c.octetLen
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob":
		t.class, t.limit = tBinary, c.octetLen
	case "enum":
		t.class = tEnum
	case "set":
		t.class = tSet
	case "json":
		t.class = tJSON
	case "date":
		t.class = tDate
	case "datetime":
		t.class = tDatetime
	case "timestamp":
		t.class, t.maxTS = tTimestamp, maxTimestampMicros
		if info.mariaDB && info.atLeast(11, 5, 0) {
			t.maxTS = maxTimestampMicros106
		}
	case "time":
		t.class = tTime
	case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
		"geometrycollection", "geomcollection":
		t.class = tGeometry
	default:
		t.class = tOther
	}
	return t
}

// accepts reports whether values of kind k can go into the column at all
// (each value is still checked), for the checks made before any row moves.
func (t *target) accepts(k datasync.Kind) bool {
	if k == datasync.KindNull {
		return true
	}
	switch t.class {
	case tInt, tUint64, tBit, tDecimal, tFloat, tDouble, tYear:
		switch k {
		case datasync.KindDate, datasync.KindTime, datasync.KindTimestamp:
			return false
		}
		return true
	case tEnum, tSet:
		return k == datasync.KindString || k == datasync.KindBytes
	case tDate:
		return k == datasync.KindDate || k == datasync.KindTimestamp || k == datasync.KindString || k == datasync.KindBytes
	case tDatetime, tTimestamp:
		return k == datasync.KindTimestamp || k == datasync.KindDate || k == datasync.KindString || k == datasync.KindBytes
	case tTime:
		return k == datasync.KindTime || k == datasync.KindString || k == datasync.KindBytes
	case tGeometry:
		return k == datasync.KindBytes
	}
	return true
}

// outKind says how a checked value is written.
type outKind uint8

const (
	outNull   outKind = iota
	outPlain          // ASCII text needing no escapes: numbers, dates, times
	outText           // text in utf8mb4, escaped
	outBinary         // bytes, escaped, sent as binary
)

// encoder checks values against targets and keeps the scratch space their
// text is built in, so that checking allocates nothing on the common paths.
type encoder struct {
	scratch []byte
}

// normalize checks v against t and returns what to send; the bytes alias v
// or the encoder's scratch and are valid until the next call.
func (e *encoder) normalize(t *target, v datasync.Value) (outKind, []byte, error) {
	if v.IsNull() {
		if !t.nullOK {
			return outNull, nil, fmt.Errorf("NULL cannot go into NOT NULL column %s", quoteIdent(t.col.name))
		}
		return outNull, nil, nil
	}
	buf := e.scratch[:0]
	switch t.class {
	case tInt:
		n, err := intOf(v)
		if err != nil {
			return 0, nil, err
		}
		if n < t.min || n > t.max {
			return 0, nil, fmt.Errorf("%d is out of the range of %s (%d to %d)", n, t.col.columnType, t.min, t.max)
		}
		buf = strconv.AppendInt(buf, n, 10)
		e.scratch = buf[:0] // keep what it grew to
		return outPlain, buf, nil
	case tUint64:
		u, err := uintOf(v)
		if err != nil {
			return 0, nil, err
		}
		buf = strconv.AppendUint(buf, u, 10)
		e.scratch = buf[:0] // keep what it grew to
		return outPlain, buf, nil
	case tBit:
		u, err := bitsOf(v, t.bits)
		if err != nil {
			return 0, nil, err
		}
		n := (t.bits + 7) / 8
		var be [8]byte
		binary.BigEndian.PutUint64(be[:], u)
		buf = append(buf, be[8-n:]...)
		e.scratch = buf[:0] // keep what it grew to
		return outBinary, buf, nil
	case tDecimal:
		var err error
		buf, err = appendDecimalFor(buf, v, t.col)
		e.scratch = buf[:0] // keep what it grew to
		return outPlain, buf, err
	case tFloat, tDouble:
		f, err := t.floatFor(v)
		if err != nil {
			return 0, nil, err
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, nil, errors.New("MySQL has no NaN or infinity")
		}
		if t.col.unsigned && f < 0 {
			return 0, nil, fmt.Errorf("%v is negative, for %s", f, t.col.columnType)
		}
		// The float64 digits, for a FLOAT too: a float32's shortest text
		// can be beyond FLOAT's range as a double (3.4028235e+38), which
		// the server reads it as before rounding it to a FLOAT.
		buf = strconv.AppendFloat(buf, f, 'g', -1, 64)
		e.scratch = buf[:0] // keep what it grew to
		return outPlain, buf, nil
	case tYear:
		n, err := intOf(v)
		if err != nil {
			return 0, nil, err
		}
		if n == 0 {
			e.scratch = buf[:0] // keep what it grew to
			return outPlain, append(buf, "0000"...), nil
		}
		if n < 1901 || n > 2155 {
			return 0, nil, fmt.Errorf("%d is out of the range of YEAR (1901 to 2155, or 0)", n)
		}
		buf = strconv.AppendInt(buf, n, 10)
		e.scratch = buf[:0] // keep what it grew to
		return outPlain, buf, nil
	case tChar, tText, tEnum, tSet, tJSON, tOther:
		var p []byte
		switch v.Kind() {
		case datasync.KindString, datasync.KindBytes, datasync.KindJSON, datasync.KindDecimal:
			p = v.Raw()
		default:
			buf = v.AppendTo(buf)
			p = buf
		}
		if err := t.checkText(v, p); err != nil {
			return 0, nil, err
		}
		if t.class == tOther && t.col.charset == "" {
			e.scratch = buf[:0] // keep what it grew to
			return outBinary, p, nil
		}
		e.scratch = buf[:0] // keep what it grew to
		return outText, p, nil
	case tBinary:
		p := v.Raw()
		switch v.Kind() {
		case datasync.KindBytes, datasync.KindString, datasync.KindJSON, datasync.KindDecimal:
		default:
			buf = v.AppendTo(buf)
			p = buf
		}
		if t.limit > 0 && int64(len(p)) > t.limit {
			return 0, nil, fmt.Errorf("%d bytes is more than %s holds (%d)", len(p), t.col.columnType, t.limit)
		}
		e.scratch = buf[:0] // keep what it grew to
		return outBinary, p, nil
	case tDate:
		d, err := v.AsDate()
		if err != nil {
			return 0, nil, err
		}
		if y, _, _ := d.YMD(); d.Infinite() != 0 || y < 0 || y > 9999 {
			return 0, nil, fmt.Errorf("date %s is out of the range of DATE", d)
		}
		buf = d.AppendTo(buf)
		e.scratch = buf[:0] // keep what it grew to
		return outPlain, buf, nil
	case tDatetime, tTimestamp:
		ts, err := v.AsTimestamp()
		if err != nil {
			return 0, nil, err
		}
		if ts.Infinite() != 0 {
			return 0, nil, fmt.Errorf("%s is out of the range of %s", ts, t.col.columnType)
		}
		if t.class == tTimestamp {
			// The session is in UTC: a wall-clock time is taken as UTC.
			if m := ts.UnixMicro(); m < minTimestampMicros || m > t.maxTS {
				return 0, nil, fmt.Errorf("%s is out of the range of TIMESTAMP", ts.AsInstant())
			}
		} else if y, _, _ := ts.Date().YMD(); y < 0 || y > 9999 {
			return 0, nil, fmt.Errorf("%s is out of the range of DATETIME", ts)
		}
		if err := checkFraction(ts.UnixMicro(), t.col); err != nil {
			return 0, nil, err
		}
		buf = ts.AsWallClock().AppendTo(buf)
		e.scratch = buf[:0] // keep what it grew to
		return outPlain, buf, nil
	case tTime:
		tod, err := v.AsTime()
		if err != nil {
			return 0, nil, err
		}
		if tod > maxTimeMicros || tod < -maxTimeMicros {
			return 0, nil, fmt.Errorf("%s is out of the range of TIME (-838:59:59 to 838:59:59)", tod)
		}
		if err := checkFraction(int64(tod), t.col); err != nil {
			return 0, nil, err
		}
		buf = tod.AppendTo(buf)
		e.scratch = buf[:0] // keep what it grew to
		return outPlain, buf, nil
	case tGeometry:
		if v.Kind() != datasync.KindBytes {
			return 0, nil, fmt.Errorf("a %s value cannot go into a geometry column: WKB or EWKB bytes only", v.Kind())
		}
		var err error
		buf, err = appendInternalGeometry(buf, v.Raw(), t.col.dataType)
		e.scratch = buf[:0] // keep what it grew to
		return outBinary, buf, err
	}
	return 0, nil, fmt.Errorf("column type %s is not supported", t.col.columnType)
}

// checkText checks text p (v's text form) against a text-like column.
func (t *target) checkText(v datasync.Value, p []byte) error {
	if k := v.Kind(); (k == datasync.KindString || k == datasync.KindBytes) && !utf8.Valid(p) {
		return errors.New("text is not valid UTF-8")
	}
	switch t.charset {
	case csUTF8MB3:
		for i, c := range p {
			if c >= 0xf0 {
				r, _ := utf8.DecodeRune(p[i:])
				return fmt.Errorf("character %U needs utf8mb4, but column %s is utf8mb3", r, quoteIdent(t.col.name))
			}
		}
	case csASCII:
		for _, c := range p {
			if c >= 0x80 {
				return fmt.Errorf("column %s is ascii, and the text is not", quoteIdent(t.col.name))
			}
		}
	case csLatin1:
		for i := 0; i < len(p); {
			if p[i] < 0x80 {
				i++
				continue
			}
			r, size := utf8.DecodeRune(p[i:])
			if !inLatin1(r) {
				return fmt.Errorf("character %U is not in latin1, the character set of column %s", r, quoteIdent(t.col.name))
			}
			i += size
		}
	}
	switch t.class {
	case tChar:
		if int64(len(p)) > t.limit {
			if n := utf8.RuneCount(p); int64(n) > t.limit {
				return fmt.Errorf("%d characters is more than %s holds", n, t.col.columnType)
			}
		}
	case tText:
		size := int64(len(p))
		switch t.charset {
		case csLatin1, csASCII:
			size = int64(utf8.RuneCount(p))
		case csOther:
			size = 0 // the server checks
		}
		if t.limit > 0 && size > t.limit {
			return fmt.Errorf("%d bytes is more than %s holds (%d)", size, t.col.columnType, t.limit)
		}
	case tEnum:
		for _, m := range t.col.members {
			if matchMember(m, p) {
				return nil
			}
		}
		return fmt.Errorf("%q is not one of %s", p, t.col.columnType)
	case tSet:
		if len(p) == 0 {
			return nil
		}
		var seen uint64
		for part := range strings.SplitSeq(string(p), ",") {
			found := false
			for i, m := range t.col.members {
				if matchMember(m, []byte(part)) {
					if seen&(1<<i) != 0 {
						return fmt.Errorf("%q names %q twice, which %s would silently merge", p, part, t.col.columnType)
					}
					seen |= 1 << i
					found = true
				}
			}
			if !found {
				return fmt.Errorf("%q is not a member of %s", part, t.col.columnType)
			}
		}
	case tJSON:
		if v.Kind() != datasync.KindJSON && !json.Valid(p) {
			return errors.New("not valid JSON")
		}
	}
	return nil
}

func intOf(v datasync.Value) (int64, error) {
	if v.Kind() == datasync.KindInt {
		n, _ := v.AsInt()
		return n, nil
	}
	return v.AsInt()
}

// floatFor returns v as the number to write into a FLOAT or DOUBLE column.
// A FLOAT takes only what a float32 holds exactly (see
// datasync.Value.AsFloat32): a Float32 as it is, never a float64 it would
// round.
func (t *target) floatFor(v datasync.Value) (float64, error) {
	if t.class == tDouble {
		return floatOf(v)
	}
	f32, err := v.AsFloat32()
	if err == nil {
		return float64(f32), nil
	}
	if f, ferr := v.AsFloat(); ferr == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		if f32 := float32(f); math.IsInf(float64(f32), 0) || (f32 == 0 && f != 0) {
			return 0, fmt.Errorf("%v is out of the range of a FLOAT", f)
		}
	}
	return 0, err
}

func floatOf(v datasync.Value) (float64, error) {
	if v.Kind() == datasync.KindFloat {
		f, _ := v.AsFloat()
		return f, nil
	}
	return v.AsFloat()
}

// uintOf returns v as an unsigned 64-bit integer.
func uintOf(v datasync.Value) (uint64, error) {
	if v.Kind() == datasync.KindInt || v.Kind() == datasync.KindBool {
		n, _ := v.AsInt()
		if n < 0 {
			return 0, fmt.Errorf("%d is negative, for BIGINT UNSIGNED", n)
		}
		return uint64(n), nil
	}
	dec, err := v.AsDecimal()
	if err != nil {
		return 0, err
	}
	intPart, frac, _ := strings.Cut(dec, ".")
	if strings.Trim(frac, "0") != "" {
		return 0, fmt.Errorf("%s has a fractional part, for BIGINT UNSIGNED", dec)
	}
	u, err := strconv.ParseUint(intPart, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is out of the range of BIGINT UNSIGNED", dec)
	}
	return u, nil
}

// bitsOf returns v as the value of a BIT(bits) column.
func bitsOf(v datasync.Value, bits int) (uint64, error) {
	var u uint64
	switch v.Kind() {
	case datasync.KindBytes:
		p := v.Raw()
		for len(p) > 0 && p[0] == 0 {
			p = p[1:]
		}
		if len(p) > 8 {
			return 0, fmt.Errorf("%d bytes do not fit BIT(%d)", len(v.Raw()), bits)
		}
		for _, c := range p {
			u = u<<8 | uint64(c)
		}
	default:
		n, err := v.AsInt()
		if err != nil {
			return 0, err
		}
		if n < 0 {
			return 0, fmt.Errorf("%d is negative, for BIT(%d)", n, bits)
		}
		u = uint64(n)
	}
	if bits < 64 && u >= 1<<bits {
		return 0, fmt.Errorf("value %#x has more than the %d bits of BIT(%d)", u, bits, bits)
	}
	return u, nil
}

// appendDecimalFor appends v as the text of a DECIMAL(p,s) column, failing
// when it has more digits than the column keeps on either side of the point
// (MySQL would round or reject it).
func appendDecimalFor(buf []byte, v datasync.Value, c column) ([]byte, error) {
	var text string
	switch v.Kind() {
	case datasync.KindDecimal:
		start := len(buf)
		buf = append(buf, v.Raw()...)
		return checkDecimal(buf, start, c)
	case datasync.KindInt:
		n, _ := v.AsInt()
		start := len(buf)
		buf = strconv.AppendInt(buf, n, 10)
		return checkDecimal(buf, start, c)
	default:
		dec, err := v.AsDecimal()
		if err != nil {
			return buf, err
		}
		text = dec
	}
	start := len(buf)
	buf = append(buf, text...)
	return checkDecimal(buf, start, c)
}

// checkDecimal checks the canonical decimal text buf[start:] against column
// c and trims fractional zeros beyond its scale.
func checkDecimal(buf []byte, start int, c column) ([]byte, error) {
	p := buf[start:]
	switch string(p) {
	case "NaN", "Infinity", "-Infinity":
		return buf, fmt.Errorf("%s: MySQL has no NaN or infinity", p)
	}
	digits := p
	if len(digits) > 0 && digits[0] == '-' {
		if c.unsigned {
			return buf, fmt.Errorf("%s is negative, for %s", p, c.columnType)
		}
		digits = digits[1:]
	}
	intPart, frac := digits, []byte(nil)
	if i := indexByte(digits, '.'); i >= 0 {
		intPart, frac = digits[:i], digits[i+1:]
	}
	for len(intPart) > 1 && intPart[0] == '0' {
		intPart = intPart[1:]
	}
	intDigits := len(intPart)
	if intDigits == 1 && intPart[0] == '0' {
		intDigits = 0
	}
	if intDigits > c.precision-c.scale {
		return buf, fmt.Errorf("%s has %d digits before the point, more than %s holds", p, intDigits, c.columnType)
	}
	keep := len(frac)
	for keep > c.scale && frac[keep-1] == '0' {
		keep--
	}
	if keep > c.scale {
		return buf, fmt.Errorf("%s has %d digits after the point, more than %s keeps (MySQL would round it)", p, keep, c.columnType)
	}
	if keep < len(frac) {
		cut := len(frac) - keep
		if keep == 0 {
			cut++ // the point too
		}
		buf = buf[:len(buf)-cut]
	}
	return buf, nil
}

// matchMember reports whether text p is enum or set member m. The server
// prints members through utf8mb3, with '?' for each four-byte character,
// so '?' matches any character here; the server itself still rejects a
// value that is no member (an error in strict mode, a warning in LOAD
// DATA, either of which sets the row aside).
func matchMember(m string, p []byte) bool {
	if m == string(p) {
		return true
	}
	if !strings.Contains(m, "?") {
		return false
	}
	for _, r := range m {
		if len(p) == 0 {
			return false
		}
		pr, size := utf8.DecodeRune(p)
		if r != '?' && r != pr {
			return false
		}
		p = p[size:]
	}
	return len(p) == 0
}

func indexByte(p []byte, c byte) int {
	for i, b := range p {
		if b == c {
			return i
		}
	}
	return -1
}

// checkFraction fails when micros has more fractional-second digits than
// the column keeps: MySQL would round them.
func checkFraction(micros int64, c column) error {
	if c.fsp >= 6 {
		return nil
	}
	unit := int64(math.Pow10(6 - c.fsp))
	if micros%unit != 0 {
		return fmt.Errorf("has more fractional-second digits than %s keeps (MySQL would round it)", c.columnType)
	}
	return nil
}

// inLatin1 reports whether MySQL's latin1 (Windows-1252, with its five
// undefined bytes mapped through) has rune r.
func inLatin1(r rune) bool {
	if r < 0x100 {
		return r < 0x80 || r >= 0xa0 || r == 0x81 || r == 0x8d || r == 0x8f || r == 0x90 || r == 0x9d
	}
	switch r {
	case 0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152,
		0x017d, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
		0x0153, 0x017e, 0x0178:
		return true
	}
	return false
}
