package textcodec

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/internal/civil"
)

// fieldParser turns the text of a field into a Value of its column's kind,
// with variable-width payloads copied into the batch's arena: no allocation
// per field once the batch has grown.
type fieldParser struct {
	bytesFmt text.BytesFormat
	scratch  []byte
}

var (
	errNotUTF8    = errors.New("is not valid UTF-8")
	errNotBool    = errors.New("is not a boolean (true/false, t/f, yes/no, y/n, on/off, 1/0)")
	errNotFloat   = errors.New("is not a floating-point number")
	errFloatRange = errors.New("is out of the range of a float64")
	errNotJSON    = errors.New("is not valid JSON")
)

// parse returns f as a Value of col's kind. f is valid UTF-8 when the file
// is not in UTF-8 (the decoder converted it); otherwise parse checks it for
// the text kinds.
func (p *fieldParser) parse(b *datasync.Batch, f []byte, col *column) (datasync.Value, error) {
	raw := f
	switch col.kind {
	case datasync.KindString, datasync.KindBytes, datasync.KindJSON:
	default:
		// Spaces around a number, a boolean or a date are not data (DataX
		// trims them too); strings keep theirs.
		f = trimSpace(f)
	}
	switch col.kind {
	case datasync.KindString:
		if !utf8.Valid(f) {
			return datasync.Value{}, convError(f, col.kind, errNotUTF8)
		}
		return b.CopyString(f), nil
	case datasync.KindInt:
		if n, ok := parseInt(f); ok {
			return datasync.Int(n), nil
		}
		// "12.0" and "1e3" are integers too (see datasync.Value.Convert).
		v, err := datasync.String(unsafeString(f)).Convert(datasync.KindInt)
		if err != nil {
			return datasync.Value{}, convError(f, col.kind, unwrapConv(err))
		}
		return v, nil
	case datasync.KindFloat:
		x, err := strconv.ParseFloat(unsafeString(f), 64)
		if err != nil {
			var ne *strconv.NumError
			if errors.As(err, &ne) && ne.Err == strconv.ErrRange && !math.IsInf(x, 0) {
				return datasync.Float(x), nil // underflow to a subnormal or zero is the nearest float
			}
			if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
				return datasync.Value{}, convError(f, col.kind, errFloatRange)
			}
			return datasync.Value{}, convError(f, col.kind, errNotFloat)
		}
		return datasync.Float(x), nil
	case datasync.KindDecimal:
		v, err := b.CopyDecimal(f)
		if err != nil {
			return datasync.Value{}, convError(f, col.kind, unwrapConv(err))
		}
		return v, nil
	case datasync.KindBool:
		if v, ok := parseBool(f); ok {
			return datasync.Bool(v), nil
		}
		return datasync.Value{}, convError(f, col.kind, errNotBool)
	case datasync.KindBytes:
		var err error
		switch p.bytesFmt {
		case "hex":
			p.scratch, err = hex.AppendDecode(p.scratch[:0], f)
		case "raw":
			return b.CopyBytes(f), nil
		default:
			p.scratch, err = base64.StdEncoding.AppendDecode(p.scratch[:0], f)
		}
		if err != nil {
			return datasync.Value{}, convError(f, col.kind, errors.New("is not "+p.bytesName()))
		}
		return b.CopyBytes(p.scratch), nil
	case datasync.KindDate:
		if col.layout != nil {
			t, err := col.layout.parseField(raw, f)
			if err != nil {
				return datasync.Value{}, convError(f, col.kind, layoutError(col.layout, err))
			}
			return datasync.DateValue(t.date()), nil
		}
		if d, ok := parseDateFast(f); ok {
			return datasync.DateValue(d), nil
		}
		d, err := datasync.ParseDate(unsafeString(f))
		if err != nil {
			return datasync.Value{}, convError(f, col.kind, err)
		}
		return datasync.DateValue(d), nil
	case datasync.KindTime:
		if col.layout != nil {
			t, err := col.layout.parseField(raw, f)
			if err != nil {
				return datasync.Value{}, convError(f, col.kind, layoutError(col.layout, err))
			}
			return datasync.TimeValue(t.clock()), nil
		}
		t, err := datasync.ParseTimeOfDay(unsafeString(f))
		if err != nil {
			return datasync.Value{}, convError(f, col.kind, err)
		}
		return datasync.TimeValue(t), nil
	case datasync.KindTimestamp:
		if col.layout != nil {
			t, err := col.layout.parseField(raw, f)
			if err != nil {
				return datasync.Value{}, convError(f, col.kind, layoutError(col.layout, err))
			}
			ts, err := t.timestamp()
			if err != nil {
				return datasync.Value{}, convError(f, col.kind, err)
			}
			return datasync.TimestampValue(ts), nil
		}
		if ts, ok := parseTimestampFast(f); ok {
			return datasync.TimestampValue(ts), nil
		}
		ts, err := datasync.ParseTimestamp(unsafeString(f))
		if err != nil {
			return datasync.Value{}, convError(f, col.kind, err)
		}
		return datasync.TimestampValue(ts), nil
	case datasync.KindJSON:
		if !json.Valid(f) {
			return datasync.Value{}, convError(f, col.kind, errNotJSON)
		}
		return b.CopyJSON(f), nil
	}
	return datasync.Value{}, convError(f, col.kind, errors.New("unsupported kind"))
}

func (p *fieldParser) bytesName() string {
	switch p.bytesFmt {
	case "hex":
		return "hexadecimal"
	}
	return "base64"
}

func layoutError(l *layout, err error) error {
	if err == errLayout {
		return errors.New("does not match the format " + strconv.Quote(l.pattern))
	}
	return err
}

// convError reports a field that does not parse for kind to.
func convError(f []byte, to datasync.Kind, err error) error {
	text := string(f)
	if len(text) > 100 {
		text = text[:100]
	}
	return &datasync.ConversionError{From: datasync.KindString, To: to, Text: text, Err: err}
}

// unwrapConv returns the reason of a *ConversionError, so that it is not
// wrapped twice.
func unwrapConv(err error) error {
	var ce *datasync.ConversionError
	if errors.As(err, &ce) && ce.Err != nil {
		return ce.Err
	}
	return err
}

// parseDateFast parses YYYY-MM-DD exactly as datasync.ParseDate does,
// reporting false for anything else (which ParseDate then reads).
func parseDateFast(f []byte) (datasync.Date, bool) {
	if len(f) != 10 || f[4] != '-' || f[7] != '-' {
		return datasync.Date{}, false
	}
	var y, m, d int64
	for i, c := range f {
		if i == 4 || i == 7 {
			continue
		}
		if c < '0' || c > '9' {
			return datasync.Date{}, false
		}
		v := int64(c - '0')
		switch {
		case i < 4:
			y = y*10 + v
		case i < 7:
			m = m*10 + v
		default:
			d = d*10 + v
		}
	}
	if !civil.ValidDate(y, int(m), int(d)) {
		return datasync.Date{}, false
	}
	return datasync.DateOf(int(y), monthOf(m), int(d)), true
}

// parseTimestampFast parses the common form YYYY-MM-DD[ T]HH:MM:SS[.f][Z|±HH[:MM]]
// exactly as datasync.ParseTimestamp does, without allocating; it reports
// false for anything else, which the caller hands to ParseTimestamp.
func parseTimestampFast(f []byte) (datasync.Timestamp, bool) {
	if len(f) < 19 || f[4] != '-' || f[7] != '-' || (f[10] != ' ' && f[10] != 'T') || f[13] != ':' || f[16] != ':' {
		return datasync.Timestamp{}, false
	}
	num := func(i, n int) (int64, bool) {
		var v int64
		for _, c := range f[i : i+n] {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int64(c-'0')
		}
		return v, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 2)
	d, ok3 := num(8, 2)
	h, ok4 := num(11, 2)
	mi, ok5 := num(14, 2)
	sec, ok6 := num(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || !civil.ValidDate(y, int(mo), int(d)) || mi > 59 || sec > 59 {
		return datasync.Timestamp{}, false
	}
	i := 19
	var frac int64
	if i < len(f) && f[i] == '.' {
		i++
		start := i
		for i < len(f) && isDigit(f[i]) {
			if i-start < 6 {
				frac = frac*10 + int64(f[i]-'0')
			} else if f[i] != '0' {
				return datasync.Timestamp{}, false
			}
			i++
		}
		if i == start {
			return datasync.Timestamp{}, false
		}
		for n := i - start; n < 6; n++ {
			frac *= 10
		}
	}
	clock := ((h*60+mi)*60+sec)*1e6 + frac
	if clock > 24*3600e6 {
		return datasync.Timestamp{}, false
	}
	micros := datasync.DateOf(int(y), monthOf(mo), int(d)).Days()*86_400_000_000 + clock
	if i == len(f) {
		return datasync.TimestampFromMicros(micros, false), true
	}
	n, off, ok := parseZoneBytes(f[i:])
	if !ok || i+n != len(f) {
		return datasync.Timestamp{}, false
	}
	return datasync.TimestampFromMicros(micros-off*1e6, true), true
}

// parseInt parses a plain decimal integer: an optional sign and digits.
func parseInt(f []byte) (int64, bool) {
	if len(f) == 0 || len(f) > 20 {
		return 0, false
	}
	neg := false
	i := 0
	if f[0] == '-' || f[0] == '+' {
		neg = f[0] == '-'
		i = 1
		if len(f) == 1 {
			return 0, false
		}
	}
	var n uint64
	for ; i < len(f); i++ {
		c := f[i] - '0'
		if c > 9 {
			return 0, false
		}
		if n > (math.MaxUint64-9)/10 {
			return 0, false
		}
		n = n*10 + uint64(c)
	}
	if neg {
		if n > 1<<63 {
			return 0, false
		}
		return -int64(n), true
	}
	if n > math.MaxInt64 {
		return 0, false
	}
	return int64(n), true
}

func parseBool(f []byte) (bool, bool) {
	switch len(f) {
	case 1:
		switch f[0] {
		case 't', 'T', 'y', 'Y', '1':
			return true, true
		case 'f', 'F', 'n', 'N', '0':
			return false, true
		}
	case 2:
		if bytes.EqualFold(f, []byte("on")) {
			return true, true
		}
		if bytes.EqualFold(f, []byte("no")) {
			return false, true
		}
	case 3:
		if bytes.EqualFold(f, []byte("yes")) {
			return true, true
		}
		if bytes.EqualFold(f, []byte("off")) {
			return false, true
		}
	case 4:
		if bytes.EqualFold(f, []byte("true")) {
			return true, true
		}
	case 5:
		if bytes.EqualFold(f, []byte("false")) {
			return false, true
		}
	}
	return false, false
}

// unsafeString views f as a string for a parse function that does not keep
// it.
func unsafeString(f []byte) string { return unsafe.String(unsafe.SliceData(f), len(f)) }

func trimSpace(f []byte) []byte {
	for len(f) > 0 && (f[0] == ' ' || f[0] == '\t') {
		f = f[1:]
	}
	for len(f) > 0 && (f[len(f)-1] == ' ' || f[len(f)-1] == '\t') {
		f = f[:len(f)-1]
	}
	return f
}
