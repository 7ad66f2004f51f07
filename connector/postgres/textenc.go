package postgres

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/datasync-go/datasync"
)

// Text COPY carries the rows that need the server to parse a value (see
// errNeedsText), and every row of a table with a column type datasync does
// not encode in binary. A value's text is what the server's input function
// reads back to the same value whatever the session's DateStyle (the writer
// sets its TimeZone to UTC for the transaction); the COPY escapes it.

// appendCopyText appends the text COPY field of v, non-NULL, for a column of
// type t, escaped. raw is a buffer the caller keeps.
func (t *pgType) appendCopyText(dst []byte, v datasync.Value, raw *[]byte) ([]byte, error) {
	r, err := t.appendInputText((*raw)[:0], v)
	*raw = r
	if err != nil {
		return dst, err
	}
	return appendCopyEscaped(dst, r), nil
}

// appendInputText appends what the column's input function should read.
func (t *pgType) appendInputText(dst []byte, v datasync.Value) ([]byte, error) {
	k := v.Kind()
	switch t.class {
	case classText, classChar:
		return appendTextOf(dst, v), nil // as the binary path sends it
	case classBytea:
		dst = append(dst, `\x`...)
		const hex = "0123456789abcdef"
		start := len(dst)
		dst = appendTextOf(dst, v)
		n := len(dst) - start
		dst = slices.Grow(dst, n)[:len(dst)+n] // room for two hex digits a byte
		// Expand in place, from the end, to hex digits.
		for i := n - 1; i >= 0; i-- {
			c := dst[start+i]
			dst[start+2*i], dst[start+2*i+1] = hex[c>>4], hex[c&15]
		}
		return dst, nil
	case classJSON, classJSONB:
		if k == datasync.KindJSON || k == datasync.KindString || k == datasync.KindBytes {
			return append(dst, v.Raw()...), nil
		}
		j, err := v.Convert(datasync.KindJSON)
		if err != nil {
			return dst, err
		}
		return append(dst, j.Raw()...), nil
	case classArray:
		if k == datasync.KindJSON || (k == datasync.KindString && looksLikeJSONArray(v.Raw())) {
			return appendArrayLiteral(dst, v.Raw())
		}
	}
	if k == datasync.KindString || k == datasync.KindBytes || k == datasync.KindJSON {
		return append(dst, v.Raw()...), nil // the server parses it
	}
	// A value of another kind: convert it as the binary encoder would, then
	// write it the way the server reads it.
	if tk := t.kind(); t.class != classOther && t.class != classArray && tk != datasync.KindString && k != tk {
		c, err := v.Convert(tk)
		if err != nil {
			return dst, err
		}
		v, k = c, tk
	}
	switch k {
	case datasync.KindBool:
		if b, _ := v.AsBool(); b {
			return append(dst, 't'), nil
		}
		return append(dst, 'f'), nil
	case datasync.KindDate:
		d, _ := v.AsDate()
		return appendDateText(dst, d), nil
	case datasync.KindTime:
		tod, _ := v.AsTime()
		dst = appendClockText(dst, tod.Micros())
		if t.class == classTimetz {
			dst = append(dst, "+00"...)
		}
		return dst, nil
	case datasync.KindTimestamp:
		ts, _ := v.AsTimestamp()
		return appendTimestampText(dst, ts, t.class == classTimestamptz || ts.IsInstant()), nil
	case datasync.KindFloat:
		if t.class == classFloat4 || t.class == classFloat8 {
			// The float64 digits, exact for both: a Float32's own text
			// would read into a double precision as another number (0.1
			// rather than 0.10000000149011612, which the binary COPY sends).
			f, _ := v.AsFloat()
			return datasync.Float(f).AppendTo(dst), nil
		}
	}
	return v.AppendTo(dst), nil // numbers
}

// appendCopyEscaped appends s escaped for text COPY: backslash, newline,
// carriage return and tab are written as backslash sequences.
func appendCopyEscaped(dst, s []byte) []byte {
	for _, c := range s {
		switch c {
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

func looksLikeJSONArray(s []byte) bool {
	for _, c := range s {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '[':
			return true
		}
		return false
	}
	return false
}

// appendArrayLiteral turns a JSON array (nested for more dimensions) into a
// PostgreSQL array literal: {1,NULL,"a \"b\""}. Strings, and objects (for
// json[]), become quoted elements; numbers and booleans are written as
// they are.
func appendArrayLiteral(dst, src []byte) ([]byte, error) {
	if first(src) != '[' {
		// JSON null unmarshals into a nil slice without an error: it would
		// become an empty array.
		return dst, fmt.Errorf("not a JSON array: %.20s", src)
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(src, &elems); err != nil {
		return dst, fmt.Errorf("not a JSON array: %w", err)
	}
	dst = append(dst, '{')
	for i, e := range elems {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		switch first(e) {
		case '[':
			dst, err = appendArrayLiteral(dst, e)
		case 'n':
			dst = append(dst, "NULL"...)
		case 't', 'f':
			dst = append(dst, e...)
		case '"':
			var s string
			if err = json.Unmarshal(e, &s); err == nil {
				dst = appendArrayElement(dst, s)
			}
		case '{':
			dst = appendArrayElement(dst, string(e))
		default: // a number
			dst = append(dst, e...)
		}
		if err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

func first(e []byte) byte {
	for _, c := range e {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return c
		}
	}
	return 0
}

func appendArrayElement(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			dst = append(dst, '\\')
		}
		dst = append(dst, s[i])
	}
	return append(dst, '"')
}
