package datasync

import (
	"encoding/base64"
	"math"

	"github.com/datasync-go/datasync/internal/jsontext"
)

// MarshalJSON encodes v as JSON: null for NULL, true/false, a number for Int
// and finite Float, a string for Decimal (so no reader rounds it), String,
// Date, Time and Timestamp (in their text forms) and for non-finite Floats
// ("NaN", "Infinity"), base64 for Bytes as encoding/json does for []byte, and
// JSON values as themselves.
func (v Value) MarshalJSON() ([]byte, error) { return appendValueJSON(nil, v), nil }

func appendValueJSON(dst []byte, v Value) []byte {
	switch v.kind {
	case KindNull:
		return append(dst, "null"...)
	case KindBool, KindInt:
		return v.AppendTo(dst)
	case KindFloat:
		if f := v.float(); math.IsNaN(f) || math.IsInf(f, 0) {
			return appendJSONString(dst, string(v.AppendTo(nil)))
		}
		return v.AppendTo(dst)
	case KindBytes:
		dst = append(dst, '"')
		dst = base64.StdEncoding.AppendEncode(dst, v.Raw())
		return append(dst, '"')
	case KindJSON:
		return append(dst, v.str...)
	case KindString, KindDecimal:
		return appendJSONString(dst, v.str)
	}
	return appendJSONString(dst, string(v.AppendTo(nil)))
}

// appendJSONString appends s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	dst, _ = jsontext.AppendString(dst, s)
	return dst
}

// appendJSONKeyValue appends "key":value.
func appendJSONKeyValue(dst []byte, key string, v Value) []byte {
	dst = appendJSONString(dst, key)
	dst = append(dst, ':')
	return appendValueJSON(dst, v)
}
