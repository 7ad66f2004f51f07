package postgres

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"unsafe"

	"github.com/datasync-go/datasync"
)

// errNeedsText is what a binary encoder returns for a value it will not
// parse itself (text for an interval column, a uuid in braces, an
// unfamiliar date format): the row then travels in a text COPY and the
// server parses the value, accepting it or rejecting it with its own
// message.
var errNeedsText = errors.New("needs the server to parse it")

// appendBinary appends the binary COPY field of v, non-NULL, for a column
// of type t: a 4-byte length and the value. It fails with errNeedsText (see
// there), or with a *datasync.ConversionError when v cannot become a value of
// t without loss; then nothing is appended.
func (t *pgType) appendBinary(dst []byte, v datasync.Value) ([]byte, error) {
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0)
	dst, err := t.appendBinaryValue(dst, v)
	if err != nil {
		return dst[:start], err
	}
	binary.BigEndian.PutUint32(dst[start:], uint32(len(dst)-start-4))
	return dst, nil
}

func (t *pgType) appendBinaryValue(dst []byte, v datasync.Value) ([]byte, error) {
	k := v.Kind()
	textual := k == datasync.KindString || k == datasync.KindBytes || k == datasync.KindJSON
	switch t.class {
	case classText:
		if k == datasync.KindString || k == datasync.KindBytes || k == datasync.KindJSON || k == datasync.KindDecimal {
			return append(dst, v.Raw()...), nil // the server checks the encoding and the length
		}
		return v.AppendTo(dst), nil
	case classChar:
		start := len(dst)
		dst = appendTextOf(dst, v)
		if len(dst)-start != 1 {
			return dst, convErr(v, t, `"char" holds exactly one byte`)
		}
		return dst, nil
	case classBytea:
		return appendTextOf(dst, v), nil
	case classJSON, classJSONB:
		if t.class == classJSONB {
			dst = append(dst, 1)
		}
		if k == datasync.KindJSON || k == datasync.KindString || k == datasync.KindBytes {
			return append(dst, v.Raw()...), nil // the server checks it is JSON
		}
		j, err := v.Convert(datasync.KindJSON)
		if err != nil {
			return dst, err
		}
		return append(dst, j.Raw()...), nil
	case classBool:
		b, err := local(v, datasync.KindBool, textual)
		if err != nil {
			return dst, err
		}
		ok, _ := b.AsBool()
		if ok {
			return append(dst, 1), nil
		}
		return append(dst, 0), nil
	case classInt2, classInt4, classInt8, classOID:
		n, err := local(v, datasync.KindInt, textual)
		if err != nil {
			return dst, err
		}
		i, _ := n.AsInt()
		lo, hi, what := int64(math.MinInt64), int64(math.MaxInt64), ""
		switch t.class {
		case classInt2:
			lo, hi, what = math.MinInt16, math.MaxInt16, "smallint"
		case classInt4:
			lo, hi, what = math.MinInt32, math.MaxInt32, "integer"
		case classOID:
			lo, hi, what = 0, math.MaxUint32, "oid"
		}
		if i < lo || i > hi {
			if textual {
				return dst, errNeedsText // the server says it is out of range
			}
			return dst, convErr(v, t, "out of the range of "+what)
		}
		switch t.class {
		case classInt2:
			return binary.BigEndian.AppendUint16(dst, uint16(i)), nil
		case classInt4, classOID:
			return binary.BigEndian.AppendUint32(dst, uint32(i)), nil
		}
		return binary.BigEndian.AppendUint64(dst, uint64(i)), nil
	case classFloat4:
		if textual {
			return dst, errNeedsText // the server reads text into real as it always does
		}
		// A real takes only what a float32 holds exactly: a Float32 with
		// its bits, never a float64 it would round.
		x, err := v.AsFloat32()
		if err != nil {
			if _, ferr := v.AsFloat(); ferr == nil {
				return dst, convErr(v, t, "real cannot hold it exactly")
			}
			return dst, err
		}
		return binary.BigEndian.AppendUint32(dst, math.Float32bits(x)), nil
	case classFloat8:
		f, err := local(v, datasync.KindFloat, textual)
		if err != nil {
			return dst, err
		}
		x, _ := f.AsFloat() // a Float32 widens exactly
		return binary.BigEndian.AppendUint64(dst, math.Float64bits(x)), nil
	case classNumeric:
		return t.appendNumeric(dst, v, textual)
	case classMoney:
		if textual {
			return dst, errNeedsText // the locale's format: "$1,234.50"
		}
		d, err := v.Convert(datasync.KindDecimal)
		if err != nil {
			return dst, err
		}
		n, ok := scaledInt(d.Raw(), t.moneyScale)
		if !ok {
			return dst, convErr(v, t, fmt.Sprintf("money holds %d decimal places, within 64 bits", t.moneyScale))
		}
		return binary.BigEndian.AppendUint64(dst, uint64(n)), nil
	case classDate:
		d, err := local(v, datasync.KindDate, textual)
		if err != nil {
			return dst, err
		}
		date, _ := d.AsDate()
		days, ok := dateToPG(date)
		if !ok {
			return dst, convErr(v, t, "out of the range of date")
		}
		return binary.BigEndian.AppendUint32(dst, uint32(days)), nil
	case classTime, classTimetz:
		if k != datasync.KindTime {
			if textual && t.class == classTimetz {
				return dst, errNeedsText // a zone to parse
			}
			c, err := local(v, datasync.KindTime, textual)
			if err != nil {
				return dst, err
			}
			v = c
		}
		tod, _ := v.AsTime()
		if err := t.checkPrecision(v, tod.Micros()); err != nil {
			return dst, err
		}
		dst = binary.BigEndian.AppendUint64(dst, uint64(tod.Micros()))
		if t.class == classTimetz {
			dst = append(dst, 0, 0, 0, 0) // UTC
		}
		return dst, nil
	case classTimestamp, classTimestamptz:
		c, err := local(v, datasync.KindTimestamp, textual)
		if err != nil {
			return dst, err
		}
		ts, _ := c.AsTimestamp()
		us := ts.UnixMicro()
		if ts.Infinite() == 0 {
			if err := t.checkPrecision(v, us); err != nil {
				return dst, err
			}
			us -= pgEpochMicros
		}
		return binary.BigEndian.AppendUint64(dst, uint64(us)), nil
	case classUUID:
		if k == datasync.KindBytes && len(v.Raw()) == 16 {
			return append(dst, v.Raw()...), nil
		}
		if !textual {
			return dst, convErr(v, t, "not a uuid")
		}
		return appendUUIDBinary(dst, v.Raw())
	case classInet, classCidr:
		if !textual {
			return dst, convErr(v, t, "not a network address")
		}
		return appendInetBinary(dst, v.Raw(), t.class == classCidr)
	}
	// interval, macaddr, bit, arrays and the types datasync does not
	// decode: the server parses their text.
	return dst, errNeedsText
}

// local converts v to kind k by datasync's rules for a column whose type
// datasync encodes itself. Text it cannot convert is left to the server;
// other values that do not convert are conversion errors.
func local(v datasync.Value, k datasync.Kind, textual bool) (datasync.Value, error) {
	if v.Kind() == k {
		return v, nil
	}
	c, err := v.Convert(k)
	if err != nil && textual {
		return c, errNeedsText
	}
	return c, err
}

func (t *pgType) appendNumeric(dst []byte, v datasync.Value, textual bool) ([]byte, error) {
	var digits []byte
	var buf [24]byte
	switch v.Kind() {
	case datasync.KindDecimal:
		digits = v.Raw()
	case datasync.KindInt:
		n, _ := v.AsInt()
		digits = strconv.AppendInt(buf[:0], n, 10)
	default:
		d, err := local(v, datasync.KindDecimal, textual)
		if err != nil {
			return dst, err
		}
		digits = d.Raw()
	}
	if scale, ok := t.numericScale(); ok && !numericFits(digits, scale) {
		return dst, convErr(v, t, fmt.Sprintf("%s keeps %d digits after the point: the value would be rounded", t.name, scale))
	}
	return appendNumericBinary(dst, digits)
}

// checkPrecision rejects a time whose microseconds a time(p) or timestamp(p)
// column would round away.
func (t *pgType) checkPrecision(v datasync.Value, us int64) error {
	p := t.precision()
	if p >= 6 {
		return nil
	}
	unit := int64(1)
	for range 6 - p {
		unit *= 10
	}
	if us%unit != 0 {
		return convErr(v, t, fmt.Sprintf("%s keeps %d fractional digits: the value would be rounded", t.name, p))
	}
	return nil
}

// appendTextOf appends v's payload (String, Bytes, Decimal, JSON) or its
// text form (the other kinds).
func appendTextOf(dst []byte, v datasync.Value) []byte {
	switch v.Kind() {
	case datasync.KindString, datasync.KindBytes, datasync.KindDecimal, datasync.KindJSON:
		return append(dst, v.Raw()...)
	}
	return v.AppendTo(dst)
}

func convErr(v datasync.Value, t *pgType, why string) error {
	text := string(appendTextOf(nil, v))
	if len(text) > 100 {
		text = text[:100]
	}
	return &datasync.ConversionError{From: v.Kind(), To: t.kind(), Text: text, Err: fmt.Errorf("column type %s: %s", t.name, why)}
}

// dateToPG returns PostgreSQL's day count of d.
func dateToPG(d datasync.Date) (int32, bool) {
	switch d.Infinite() {
	case 1:
		return math.MaxInt32, true
	case -1:
		return math.MinInt32, true
	}
	days := d.Days() - pgEpochDays
	if days <= math.MinInt32 || days >= math.MaxInt32 {
		return 0, false
	}
	return int32(days), true
}

// scaledInt returns canonical decimal text times 10^scale as an int64, when
// that is an integer that fits.
func scaledInt(s []byte, scale int) (int64, bool) {
	if !numericFits(s, scale) {
		return 0, false
	}
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	var n uint64
	frac := -1
	for _, c := range s {
		if c == '.' {
			frac = 0
			continue
		}
		if !isDigit(c) {
			return 0, false
		}
		if frac >= 0 {
			if frac == scale {
				continue // zeros beyond the scale (checked above)
			}
			frac++
		}
		if n > (math.MaxInt64+1)/10 {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	for frac = max(frac, 0); frac < scale; frac++ {
		if n > (math.MaxInt64+1)/10 {
			return 0, false
		}
		n *= 10
	}
	if n > math.MaxInt64+1 || (!neg && n > math.MaxInt64) {
		return 0, false
	}
	if neg {
		return -int64(n), true
	}
	return int64(n), true
}

// appendUUIDBinary parses the canonical text of a uuid (with or without its
// hyphens); other forms are left to the server.
func appendUUIDBinary(dst, s []byte) ([]byte, error) {
	if len(s) != 36 && len(s) != 32 {
		return dst, errNeedsText
	}
	var out [16]byte
	j := 0
	for i := 0; i < len(s); {
		if len(s) == 36 && (i == 8 || i == 13 || i == 18 || i == 23) {
			if s[i] != '-' {
				return dst, errNeedsText
			}
			i++
			continue
		}
		hi, ok1 := unhex(s[i])
		lo, ok2 := unhex(s[i+1])
		if !ok1 || !ok2 {
			return dst, errNeedsText
		}
		out[j] = hi<<4 | lo
		j++
		i += 2
	}
	return append(dst, out[:]...), nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// appendInetBinary parses an address with an optional /bits. A cidr whose
// host bits are set, and anything netip does not parse, are left to the
// server (which rejects the first and may accept forms like 10/8).
func appendInetBinary(dst, s []byte, cidr bool) ([]byte, error) {
	var p netip.Prefix
	var err error
	str := unsafe.String(unsafe.SliceData(s), len(s)) // netip keeps no reference to it
	if hasSlash(s) {
		p, err = netip.ParsePrefix(str)
	} else {
		var a netip.Addr
		a, err = netip.ParseAddr(str)
		if err == nil {
			p = netip.PrefixFrom(a, a.BitLen())
		}
	}
	if err != nil || p.Addr().Zone() != "" || (cidr && p.Masked() != p) {
		return dst, errNeedsText
	}
	a := p.Addr()
	isCidr := byte(0)
	if cidr {
		isCidr = 1
	}
	if a.Is4() {
		b := a.As4()
		return append(append(dst, 2, byte(p.Bits()), isCidr, 4), b[:]...), nil
	}
	b := a.As16()
	return append(append(dst, 3, byte(p.Bits()), isCidr, 16), b[:]...), nil
}

func hasSlash(s []byte) bool {
	for _, c := range s {
		if c == '/' {
			return true
		}
	}
	return false
}
