package postgres

import (
	"encoding/binary"
	"errors"
	"math"
	"strconv"

	"github.com/datasync-go/datasync/internal/jsontext"
)

// Arrays travel as JSON: a one-dimensional array is a JSON array, a
// multi-dimensional one nested arrays. Numbers and booleans are JSON
// numbers and booleans, json elements are embedded, and everything else is
// a JSON string of the element's PostgreSQL text form. Lower bounds other
// than 1 are not kept.

const maxArrayDims = 6 // PostgreSQL's MAXDIM

var errArray = errors.New("malformed binary array")

// appendArrayJSON renders a binary array of elem as JSON.
func appendArrayJSON(dst, src []byte, elem *pgType) ([]byte, error) {
	if len(src) < 12 {
		return dst, errArray
	}
	ndim := int(int32(binary.BigEndian.Uint32(src)))
	if ndim == 0 {
		return append(dst, "[]"...), nil
	}
	if ndim < 0 || ndim > maxArrayDims || len(src) < 12+8*ndim {
		return dst, errArray
	}
	var dims [maxArrayDims]int
	for i := range ndim {
		dims[i] = int(int32(binary.BigEndian.Uint32(src[12+8*i:])))
		if dims[i] < 0 {
			return dst, errArray
		}
	}
	a := arrayWalker{src: src, pos: 12 + 8*ndim, elem: elem}
	dst, err := a.dim(dst, dims[:ndim])
	if err == nil && a.pos != len(src) {
		err = errArray
	}
	return dst, err
}

type arrayWalker struct {
	src  []byte
	pos  int
	elem *pgType
}

func (a *arrayWalker) dim(dst []byte, dims []int) ([]byte, error) {
	dst = append(dst, '[')
	for i := range dims[0] {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if len(dims) > 1 {
			dst, err = a.dim(dst, dims[1:])
		} else {
			dst, err = a.element(dst)
		}
		if err != nil {
			return dst, err
		}
	}
	return append(dst, ']'), nil
}

func (a *arrayWalker) element(dst []byte) ([]byte, error) {
	if len(a.src) < a.pos+4 {
		return dst, errArray
	}
	n := int(int32(binary.BigEndian.Uint32(a.src[a.pos:])))
	a.pos += 4
	if n < 0 {
		return append(dst, "null"...), nil
	}
	if len(a.src) < a.pos+n {
		return dst, errArray
	}
	v := a.src[a.pos : a.pos+n]
	a.pos += n
	return appendElementJSON(dst, v, a.elem)
}

// appendElementJSON renders one non-NULL array element as a JSON value.
func appendElementJSON(dst, v []byte, t *pgType) ([]byte, error) {
	switch t.class {
	case classBool:
		if len(v) != 1 {
			return dst, errShort
		}
		return strconv.AppendBool(dst, v[0] != 0), nil
	case classText, classChar:
		return appendJSONString(dst, v), nil
	case classJSON:
		return append(dst, v...), nil
	case classJSONB:
		if len(v) < 1 {
			return dst, errShort
		}
		return append(dst, v[1:]...), nil
	case classBytea:
		dst = append(dst, `"\\x`...)
		const hex = "0123456789abcdef"
		for _, c := range v {
			dst = append(dst, hex[c>>4], hex[c&15])
		}
		return append(dst, '"'), nil
	case classFloat4, classFloat8:
		var f float64
		bits := 64
		if t.class == classFloat4 {
			if len(v) != 4 {
				return dst, errShort
			}
			f, bits = float64(math.Float32frombits(binary.BigEndian.Uint32(v))), 32
		} else {
			if len(v) != 8 {
				return dst, errShort
			}
			f = math.Float64frombits(binary.BigEndian.Uint64(v))
		}
		switch {
		case math.IsNaN(f):
			return append(dst, `"NaN"`...), nil
		case math.IsInf(f, 1):
			return append(dst, `"Infinity"`...), nil
		case math.IsInf(f, -1):
			return append(dst, `"-Infinity"`...), nil
		}
		return strconv.AppendFloat(dst, f, 'g', -1, bits), nil
	case classNumeric, classMoney:
		start := len(dst)
		dst, err := t.appendText(v, dst)
		if err == nil && (dst[start] == 'N' || dst[len(dst)-1] == 'y') { // NaN, ±Infinity
			dst = append(dst[:start], '"')
			dst, _ = t.appendText(v, dst)
			dst = append(dst, '"')
		}
		return dst, err
	}
	val, err := t.decodeFixed(v)
	if err == nil {
		switch t.class {
		case classInt2, classInt4, classInt8, classOID:
			n, _ := val.AsInt()
			return strconv.AppendInt(dst, n, 10), nil
		case classDate:
			d, _ := val.AsDate()
			dst = append(dst, '"')
			return append(appendDateText(dst, d), '"'), nil
		case classTime:
			tod, _ := val.AsTime()
			dst = append(dst, '"')
			return append(appendClockText(dst, tod.Micros()), '"'), nil
		case classTimestamp, classTimestamptz:
			ts, _ := val.AsTimestamp()
			dst = append(dst, '"')
			return append(appendTimestampText(dst, ts, t.class == classTimestamptz), '"'), nil
		}
	}
	// uuid, inet, interval, ...: their text needs no escaping.
	dst = append(dst, '"')
	dst, err = t.appendText(v, dst)
	return append(dst, '"'), err
}

// appendJSONString appends s as a JSON string. The server only stores
// valid text, so nothing is replaced.
func appendJSONString(dst, s []byte) []byte {
	dst, _ = jsontext.AppendBytes(dst, s)
	return dst
}
