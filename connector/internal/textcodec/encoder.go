package textcodec

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"strconv"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/internal/jsontext"
)

// Encoder writes rows as lines of the spec's format, without allocating
// per value. It is not safe for concurrent use.
type Encoder struct {
	spec  *WriteSpec
	enc   *charEncoder
	keys  [][]byte // jsonl: `"name":` per column
	names []string
	val   []byte // one value's text
	row   []byte // one row in UTF-8, when the file is in another encoding
	tmp   []byte
}

// NewEncoder returns an encoder; names are the jsonl keys (see
// WriteSpec.HeaderNames), which may also be set later with SetNames.
func (s *WriteSpec) NewEncoder(names []string) *Encoder {
	e := &Encoder{spec: s, enc: s.cs.newEncoder()}
	e.SetNames(names)
	return e
}

// SetNames sets the jsonl keys.
func (e *Encoder) SetNames(names []string) {
	e.names = names
	e.keys = e.keys[:0]
	for _, n := range names {
		k, _ := jsontext.AppendString(nil, n)
		e.keys = append(e.keys, append(k, ':'))
	}
}

var (
	errHasDelimiter = errors.New("contains the field delimiter or a line break, which text without an escape cannot hold (use csv, or an escape)")
	errIsNullText   = errors.New("equals nullFormat, which text without an escape cannot tell from NULL")
	errNoJSONKey    = errors.New("the row has more values than there are names for jsonl keys")
)

// AppendRow appends row and its line end to dst. When a value cannot be
// written it returns dst unchanged, the value's index, and why.
func (e *Encoder) AppendRow(dst []byte, row datasync.Record) ([]byte, int, error) {
	start := len(dst)
	out := dst
	if e.enc != nil {
		out = e.row[:0]
	}
	var col int
	var err error
	if e.spec.format == text.FormatJSONL {
		out, col, err = e.appendJSONRow(out, row)
	} else {
		out, col, err = e.appendDelimited(out, row)
	}
	if err != nil {
		if e.enc != nil {
			e.row = out
		}
		return dst[:start], col, err
	}
	out = append(out, '\n')
	if e.enc == nil {
		return out, -1, nil
	}
	e.row = out
	dst, err = e.enc.encode(dst, out, e.spec.cs.name)
	if err != nil {
		return dst[:start], e.unencodable(row), err
	}
	return dst, -1, nil
}

// unencodable finds the value the charset cannot encode.
func (e *Encoder) unencodable(row datasync.Record) int {
	for i, v := range row {
		if v.IsNull() {
			continue
		}
		var err error
		e.val = e.text(e.val[:0], v)
		if e.tmp, err = e.enc.encode(e.tmp[:0], e.val, e.spec.cs.name); err != nil {
			return i
		}
	}
	return -1
}

// AppendHeader appends the header line of names (in the file's encoding).
func (e *Encoder) AppendHeader(dst []byte, names []string) ([]byte, error) {
	row := make(datasync.Record, len(names))
	for i, n := range names {
		row[i] = datasync.String(n)
	}
	out, col, err := e.AppendRow(dst, row)
	if err != nil {
		return dst, errors.New("header name " + strconv.Quote(names[max(col, 0)]) + ": " + err.Error())
	}
	return out, nil
}

func (e *Encoder) appendDelimited(dst []byte, row datasync.Record) ([]byte, int, error) {
	s := e.spec
	for i, v := range row {
		if i > 0 {
			dst = append(dst, s.delim...)
		}
		if v.IsNull() {
			dst = append(dst, s.nullText...)
			continue
		}
		var t []byte
		switch v.Kind() {
		case datasync.KindString, datasync.KindDecimal, datasync.KindJSON:
			t = v.Raw() // no copy
		default:
			e.val = e.text(e.val[:0], v)
			t = e.val
		}
		var err error
		if s.format == text.FormatCSV {
			dst = e.appendCSV(dst, t, v.Kind())
		} else if dst, err = e.appendText(dst, t); err != nil {
			return dst, i, err
		}
	}
	return dst, -1, nil
}

// text appends the text form of a non-NULL value.
func (e *Encoder) text(dst []byte, v datasync.Value) []byte {
	s := e.spec
	switch v.Kind() {
	case datasync.KindBytes:
		switch s.bytesFmt {
		case "hex":
			return hex.AppendEncode(dst, v.Raw())
		case "raw":
			return append(dst, v.Raw()...)
		}
		return base64.StdEncoding.AppendEncode(dst, v.Raw())
	case datasync.KindDate:
		if s.dateL != nil {
			d, _ := v.AsDate()
			if d.Infinite() == 0 {
				return s.dateL.format(dst, dateStamp(d))
			}
		}
	case datasync.KindTime:
		if s.timeL != nil {
			t, _ := v.AsTime()
			if t >= 0 && t.Micros() <= 24*3600e6 {
				var st stamp
				clockStamp(&st, t)
				return s.timeL.format(dst, st)
			}
		}
	case datasync.KindTimestamp:
		if s.tsL != nil {
			ts, _ := v.AsTimestamp()
			if ts.Infinite() == 0 {
				return s.tsL.format(dst, timestampStamp(ts))
			}
		}
	}
	return v.AppendTo(dst)
}

// appendCSV appends t, quoted when it holds a delimiter, a quote or a line
// break, when it is an empty string, or when it reads as NULL.
func (e *Encoder) appendCSV(dst, t []byte, k datasync.Kind) []byte {
	quote := false
	switch k {
	case datasync.KindString, datasync.KindJSON, datasync.KindBytes:
		quote = len(t) == 0 && k == datasync.KindString || e.needsQuote(t)
	default:
		// Numbers, booleans, dates and times are written in a small
		// alphabet that rarely holds the delimiter.
		quote = !e.spec.fixedSafe && e.needsQuote(t)
	}
	if !quote && len(t) == len(e.spec.nullText) && string(t) == string(e.spec.nullText) {
		quote = true
	}
	if !quote {
		return append(dst, t...)
	}
	dst = append(dst, '"')
	for {
		i := indexByte(t, '"')
		if i < 0 {
			break
		}
		dst = append(dst, t[:i+1]...)
		dst = append(dst, '"')
		t = t[i+1:]
	}
	dst = append(dst, t...)
	return append(dst, '"')
}

// needsQuote reports whether t holds a quote, a line break or the
// delimiter's first byte. It tests eight bytes at a time.
func (e *Encoder) needsQuote(t []byte) bool {
	d := e.spec.delim[0]
	i := 0
	for ; i+8 <= len(t); i += 8 {
		v := binary.LittleEndian.Uint64(t[i:])
		if hasByte(v, '"') || hasByte(v, '\n') || hasByte(v, '\r') || hasByte(v, d) {
			break
		}
	}
	for ; i < len(t); i++ {
		if e.spec.quoteSet[t[i]] {
			return true
		}
	}
	return false
}

// hasByte reports whether one of the eight bytes of v is c.
func hasByte(v uint64, c byte) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	x := v ^ (lo * uint64(c))
	return (x-lo)&^x&hi != 0
}

// appendText appends t escaped (or checked, without an escape).
func (e *Encoder) appendText(dst, t []byte) ([]byte, error) {
	s := e.spec
	start := len(dst)
	if s.escape < 0 {
		if indexAny(t, &s.escapeSet) >= 0 || (len(s.delim) > 1 && containsBytes(t, s.delim)) {
			return dst, errHasDelimiter
		}
		if string(t) == string(s.nullText) {
			return dst, errIsNullText
		}
		return append(dst, t...), nil
	}
	esc := byte(s.escape)
	for {
		i := indexAny(t, &s.escapeSet)
		if i < 0 {
			break
		}
		dst = append(dst, t[:i]...)
		c := t[i]
		if l := escapeLetter(c); l != 0 {
			dst = append(dst, esc, l)
		} else {
			dst = append(dst, esc, c)
		}
		t = t[i+1:]
	}
	dst = append(dst, t...)
	if string(dst[start:]) == string(s.nullText) {
		// The value would read as NULL: escape a character that stands
		// for itself when escaped.
		for j := start; j < len(dst); j++ {
			c := dst[j]
			if c != esc && unescapeByte(c) == c {
				dst = append(dst, 0)
				copy(dst[j+1:], dst[j:])
				dst[j] = esc
				return dst, nil
			}
		}
		return dst[:start], errIsNullText
	}
	return dst, nil
}

func (e *Encoder) appendJSONRow(dst []byte, row datasync.Record) ([]byte, int, error) {
	if len(row) > len(e.keys) {
		return dst, -1, errNoJSONKey
	}
	dst = append(dst, '{')
	for i, v := range row {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, e.keys[i]...)
		var err error
		if dst, err = e.appendJSONValue(dst, v); err != nil {
			return dst, i, err
		}
	}
	return append(dst, '}'), -1, nil
}

func (e *Encoder) appendJSONValue(dst []byte, v datasync.Value) ([]byte, error) {
	switch v.Kind() {
	case datasync.KindNull:
		return append(dst, "null"...), nil
	case datasync.KindBool, datasync.KindInt:
		return v.AppendTo(dst), nil
	case datasync.KindFloat:
		f, _ := v.AsFloat()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			e.val = v.AppendTo(e.val[:0])
			return appendJSONString(dst, e.val)
		}
		return v.AppendTo(dst), nil
	case datasync.KindJSON:
		return append(dst, v.Raw()...), nil
	case datasync.KindString, datasync.KindDecimal:
		return appendJSONString(dst, v.Raw())
	}
	e.val = e.text(e.val[:0], v)
	return appendJSONString(dst, e.val)
}

// appendJSONString appends s as a JSON string, or fails when s is not
// UTF-8.
func appendJSONString(dst []byte, s []byte) ([]byte, error) {
	out, valid := jsontext.AppendBytes(dst, s)
	if !valid {
		return dst, errNotUTF8
	}
	return out, nil
}

func indexByte(p []byte, c byte) int {
	for i, b := range p {
		if b == c {
			return i
		}
	}
	return -1
}

func indexAny(p []byte, set *[256]bool) int {
	for i, b := range p {
		if set[b] {
			return i
		}
	}
	return -1
}

func containsBytes(p, sub []byte) bool {
	for i := 0; i+len(sub) <= len(p); i++ {
		if string(p[i:i+len(sub)]) == string(sub) {
			return true
		}
	}
	return false
}
