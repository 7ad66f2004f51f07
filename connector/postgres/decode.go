package postgres

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/datasync-go/datasync"
)

// decode returns the value of one non-NULL field as the server sent it
// (binary, or text for classOther), its variable-width payload copied into
// b. scratch is a buffer the caller keeps for the text forms it renders, so
// that decoding allocates nothing once the buffers have grown.
func (t *pgType) decode(src []byte, b *datasync.Batch, scratch *[]byte) (datasync.Value, error) {
	switch t.class {
	case classOther, classText, classChar:
		return b.CopyString(src), nil
	case classBytea:
		return b.CopyBytes(src), nil
	case classJSON:
		return b.CopyJSON(src), nil
	case classJSONB:
		if len(src) < 1 || src[0] != 1 {
			return datasync.Value{}, errors.New("unknown jsonb version")
		}
		return b.CopyJSON(src[1:]), nil
	case classNumeric, classMoney:
		s, err := t.appendText(src, (*scratch)[:0])
		*scratch = s
		if err != nil {
			return datasync.Value{}, err
		}
		return b.CopyDecimal(s)
	case classTimetz, classInterval, classUUID, classInet, classCidr, classMacaddr, classBit, classTID:
		s, err := t.appendText(src, (*scratch)[:0])
		*scratch = s
		if err != nil {
			return datasync.Value{}, err
		}
		return b.CopyString(s), nil
	case classArray:
		s, err := appendArrayJSON((*scratch)[:0], src, t.elem)
		*scratch = s
		if err != nil {
			return datasync.Value{}, err
		}
		return b.CopyJSON(s), nil
	}
	return t.decodeFixed(src)
}

// decodeFixed decodes the fixed-width types, which need no buffer.
func (t *pgType) decodeFixed(src []byte) (datasync.Value, error) {
	switch t.class {
	case classBool:
		if len(src) == 1 {
			return datasync.Bool(src[0] != 0), nil
		}
	case classInt2:
		if len(src) == 2 {
			return datasync.Int(int64(int16(binary.BigEndian.Uint16(src)))), nil
		}
	case classInt4:
		if len(src) == 4 {
			return datasync.Int(int64(int32(binary.BigEndian.Uint32(src)))), nil
		}
	case classOID:
		if len(src) == 4 {
			return datasync.Int(int64(binary.BigEndian.Uint32(src))), nil
		}
	case classInt8:
		if len(src) == 8 {
			return datasync.Int(int64(binary.BigEndian.Uint64(src))), nil
		}
	case classFloat4:
		if len(src) == 4 {
			return datasync.Float32(math.Float32frombits(binary.BigEndian.Uint32(src))), nil
		}
	case classFloat8:
		if len(src) == 8 {
			return datasync.Float(math.Float64frombits(binary.BigEndian.Uint64(src))), nil
		}
	case classDate:
		if len(src) == 4 {
			return datasync.DateValue(dateFromPG(int32(binary.BigEndian.Uint32(src)))), nil
		}
	case classTime:
		if len(src) == 8 {
			return datasync.TimeValue(datasync.TimeOfDay(int64(binary.BigEndian.Uint64(src)))), nil
		}
	case classTimestamp, classTimestamptz:
		if len(src) == 8 {
			return datasync.TimestampValue(timestampFromPG(int64(binary.BigEndian.Uint64(src)), t.class == classTimestamptz)), nil
		}
	default:
		return datasync.Value{}, fmt.Errorf("postgres: no decoder for %s", t.name)
	}
	return datasync.Value{}, fmt.Errorf("binary %s of %d bytes", t.name, len(src))
}

// appendText appends the text form datasync gives values of the classes it
// reads as String or Decimal.
func (t *pgType) appendText(src, dst []byte) ([]byte, error) {
	switch t.class {
	case classNumeric:
		return appendNumericText(dst, src)
	case classMoney:
		if len(src) != 8 {
			return dst, errShort
		}
		return appendScaled(dst, int64(binary.BigEndian.Uint64(src)), t.moneyScale), nil
	case classTimetz:
		return appendTimetzText(dst, src)
	case classInterval:
		return appendIntervalText(dst, src)
	case classUUID:
		return appendUUIDText(dst, src)
	case classInet, classCidr:
		return appendInetText(dst, src, t.class == classCidr)
	case classMacaddr:
		return appendMacText(dst, src)
	case classBit:
		return appendBitText(dst, src)
	case classTID:
		if len(src) != 6 {
			return dst, errShort
		}
		dst = append(dst, '(')
		dst = strconv.AppendUint(dst, uint64(binary.BigEndian.Uint32(src)), 10)
		dst = append(dst, ',')
		dst = strconv.AppendUint(dst, uint64(binary.BigEndian.Uint16(src[4:])), 10)
		return append(dst, ')'), nil
	}
	return append(dst, src...), nil
}

// size returns what the decoded value of a non-NULL field counts for in
// datasync.Value.Size terms, without decoding it into a batch: the size of
// a pass-through row.
func (t *pgType) size(src []byte, scratch *[]byte) int {
	switch t.class {
	case classBool:
		return 1
	case classInt2, classInt4, classInt8, classOID, classFloat4, classFloat8, classDate, classTime, classTimestamp, classTimestamptz:
		return 8
	case classOther, classText, classChar, classBytea, classJSON:
		return len(src)
	case classJSONB:
		return max(len(src)-1, 0)
	case classNumeric:
		return numericTextSize(src)
	case classArray:
		s, _ := appendArrayJSON((*scratch)[:0], src, t.elem)
		*scratch = s
		return len(s)
	}
	s, _ := t.appendText(src, (*scratch)[:0])
	*scratch = s
	return len(s)
}

// dateFromPG converts PostgreSQL's day count (from 2000-01-01, with the
// int32 extremes for the infinities).
func dateFromPG(d int32) datasync.Date {
	switch d {
	case math.MaxInt32:
		return datasync.DateFromDays(math.MaxInt64)
	case math.MinInt32:
		return datasync.DateFromDays(math.MinInt64)
	}
	return datasync.DateFromDays(int64(d) + pgEpochDays)
}

// timestampFromPG converts PostgreSQL's microseconds from 2000-01-01 (the
// int64 extremes are the infinities, as in datasync).
func timestampFromPG(us int64, instant bool) datasync.Timestamp {
	if us == math.MaxInt64 || us == math.MinInt64 {
		return datasync.TimestampFromMicros(us, instant)
	}
	return datasync.TimestampFromMicros(us+pgEpochMicros, instant)
}

// appendScaled writes n / 10^scale as decimal text.
func appendScaled(dst []byte, n int64, scale int) []byte {
	if n < 0 {
		dst = append(dst, '-')
	}
	var buf [24]byte
	digits := strconv.AppendUint(buf[:0], absU(n), 10)
	if pad := scale + 1 - len(digits); pad > 0 { // 0.05: zeros before the digits
		dst = append(dst, '0')
		if scale > 0 {
			dst = append(dst, '.')
		}
		for range pad - 1 {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	point := len(digits) - scale
	dst = append(dst, digits[:point]...)
	if scale > 0 {
		dst = append(dst, '.')
		dst = append(dst, digits[point:]...)
	}
	return dst
}
