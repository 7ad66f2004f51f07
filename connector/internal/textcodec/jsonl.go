package textcodec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// A JSON Lines record is one JSON object, whose keys name the columns, or
// one JSON array, whose elements are taken by index. The scanner below reads
// it without allocating: strings are unescaped into the decoder's scratch
// buffer, and other values are kept as their raw text.

// jsonKind is the kind of a scanned JSON value.
type jsonKind uint8

const (
	jsonAbsent jsonKind = iota
	jsonNull
	jsonString
	jsonNumber
	jsonBool
	jsonNested // object or array
)

// jsonValue is one scanned value.
type jsonValue struct {
	kind jsonKind
	raw  []byte // the raw JSON text
	text []byte // strings: the unescaped content; others: raw
}

var (
	errJSONSyntax   = errors.New("is not a JSON object or array")
	errJSONTrailing = errors.New("has text after the JSON value")
)

var jsonValid = json.Valid

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func skipSpace(p []byte, i int) int {
	for i < len(p) && isJSONSpace(p[i]) {
		i++
	}
	return i
}

// scanJSONLine scans one line into d.jvals, by column. It fails on invalid
// JSON.
func (d *Decoder) scanJSONLine(line []byte) error {
	for i := range d.jvals {
		d.jvals[i] = jsonValue{}
	}
	if !utf8.Valid(line) {
		return errNotUTF8
	}
	sc := d.prepareScratch(len(line))
	i := skipSpace(line, 0)
	if i == len(line) {
		return errJSONSyntax
	}
	var err error
	switch line[i] {
	case '{':
		i, sc, err = d.scanObject(line, i, sc)
	case '[':
		i, sc, err = d.scanArray(line, i, sc)
	default:
		return errJSONSyntax
	}
	d.scratch = sc
	if err != nil {
		return err
	}
	if skipSpace(line, i) != len(line) {
		return errJSONTrailing
	}
	return nil
}

func (d *Decoder) scanObject(p []byte, i int, sc []byte) (int, []byte, error) {
	i = skipSpace(p, i+1)
	if i < len(p) && p[i] == '}' {
		return i + 1, sc, nil
	}
	for {
		if i >= len(p) || p[i] != '"' {
			return i, sc, errors.New("expected a quoted key")
		}
		end, escaped, err := scanString(p, i)
		if err != nil {
			return i, sc, err
		}
		key := p[i+1 : end-1]
		if escaped {
			start := len(sc)
			if sc, err = unescapeJSON(sc, key); err != nil {
				return i, sc, err
			}
			key = sc[start:]
		}
		i = skipSpace(p, end)
		if i >= len(p) || p[i] != ':' {
			return i, sc, errors.New("expected ':' after a key")
		}
		i = skipSpace(p, i+1)
		var v jsonValue
		if i, sc, v, err = scanValue(p, i, sc); err != nil {
			return i, sc, err
		}
		if d.probeKeys != nil {
			*d.probeKeys = append(*d.probeKeys, string(key))
		}
		if c, ok := d.keyIdx[string(key)]; ok {
			for _, ci := range c {
				d.jvals[ci] = v
			}
		}
		i = skipSpace(p, i)
		if i >= len(p) {
			return i, sc, errors.New("unterminated object")
		}
		if p[i] == '}' {
			return i + 1, sc, nil
		}
		if p[i] != ',' {
			return i, sc, errors.New("expected ',' or '}' in an object")
		}
		i = skipSpace(p, i+1)
	}
}

func (d *Decoder) scanArray(p []byte, i int, sc []byte) (int, []byte, error) {
	i = skipSpace(p, i+1)
	if i < len(p) && p[i] == ']' {
		return i + 1, sc, nil
	}
	for n := 0; ; n++ {
		var v jsonValue
		var err error
		if i, sc, v, err = scanValue(p, i, sc); err != nil {
			return i, sc, err
		}
		if n < len(d.byIndex) {
			for _, ci := range d.byIndex[n] {
				d.jvals[ci] = v
			}
		}
		i = skipSpace(p, i)
		if i >= len(p) {
			return i, sc, errors.New("unterminated array")
		}
		if p[i] == ']' {
			return i + 1, sc, nil
		}
		if p[i] != ',' {
			return i, sc, errors.New("expected ',' or ']' in an array")
		}
		i = skipSpace(p, i+1)
	}
}

// scanValue scans the value at p[i].
func scanValue(p []byte, i int, sc []byte) (int, []byte, jsonValue, error) {
	if i >= len(p) {
		return i, sc, jsonValue{}, errors.New("expected a value")
	}
	switch c := p[i]; {
	case c == '"':
		end, escaped, err := scanString(p, i)
		if err != nil {
			return i, sc, jsonValue{}, err
		}
		v := jsonValue{kind: jsonString, raw: p[i:end], text: p[i+1 : end-1]}
		if escaped {
			start := len(sc)
			if sc, err = unescapeJSON(sc, v.text); err != nil {
				return i, sc, jsonValue{}, err
			}
			v.text = sc[start:len(sc):len(sc)]
		}
		return end, sc, v, nil
	case c == '{' || c == '[':
		end, err := scanNested(p, i)
		if err != nil {
			return i, sc, jsonValue{}, err
		}
		return end, sc, jsonValue{kind: jsonNested, raw: p[i:end], text: p[i:end]}, nil
	case c == '-' || isDigit(c):
		end := i + 1
		for end < len(p) && (isDigit(p[end]) || p[end] == '.' || p[end] == 'e' || p[end] == 'E' || p[end] == '+' || p[end] == '-') {
			end++
		}
		if !validNumber(p[i:end]) {
			return i, sc, jsonValue{}, fmt.Errorf("invalid number %q", p[i:end])
		}
		return end, sc, jsonValue{kind: jsonNumber, raw: p[i:end], text: p[i:end]}, nil
	case bytes.HasPrefix(p[i:], []byte("true")):
		return i + 4, sc, jsonValue{kind: jsonBool, raw: p[i : i+4], text: p[i : i+4]}, nil
	case bytes.HasPrefix(p[i:], []byte("false")):
		return i + 5, sc, jsonValue{kind: jsonBool, raw: p[i : i+5], text: p[i : i+5]}, nil
	case bytes.HasPrefix(p[i:], []byte("null")):
		return i + 4, sc, jsonValue{kind: jsonNull}, nil
	}
	return i, sc, jsonValue{}, fmt.Errorf("unexpected %q", p[i])
}

// scanString returns the index after the closing quote of the string at
// p[i], and whether it has escapes.
func scanString(p []byte, i int) (int, bool, error) {
	escaped := false
	j := i + 1
	for {
		k := bytes.IndexAny(p[j:], "\"\\")
		if k < 0 {
			return 0, false, errors.New("unterminated string")
		}
		j += k
		if p[j] == '"' {
			return j + 1, escaped, nil
		}
		escaped = true
		j += 2
		if j > len(p) {
			return 0, false, errors.New("unterminated string")
		}
	}
}

// scanNested returns the index after the object or array at p[i].
func scanNested(p []byte, i int) (int, error) {
	depth := 0
	for j := i; j < len(p); j++ {
		switch p[j] {
		case '"':
			end, _, err := scanString(p, j)
			if err != nil {
				return 0, err
			}
			j = end - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				if !jsonValid(p[i : j+1]) {
					return 0, errors.New("invalid nested JSON value")
				}
				return j + 1, nil
			}
		}
	}
	return 0, errors.New("unterminated object or array")
}

// validNumber checks the JSON number grammar.
func validNumber(s []byte) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i >= len(s) {
		return false
	}
	if s[i] == '0' {
		i++
	} else if isDigit(s[i]) {
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	} else {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == start {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == start {
			return false
		}
	}
	return i == len(s)
}

// unescapeJSON appends the unescaped content of a JSON string to dst.
func unescapeJSON(dst, s []byte) ([]byte, error) {
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			if c < 0x20 {
				return dst, errors.New("control character in a string")
			}
			dst = append(dst, c)
			i++
			continue
		}
		if i+1 >= len(s) {
			return dst, errors.New("invalid escape")
		}
		switch s[i+1] {
		case '"', '\\', '/':
			dst = append(dst, s[i+1])
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, ok := hex4(s[i+2:])
			if !ok {
				return dst, errors.New("invalid \\u escape")
			}
			i += 6
			if utf16.IsSurrogate(r) {
				r2, ok := rune(0), false
				if i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
					r2, ok = hex4(s[i+2:])
				}
				if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
					r = dec
					i += 6
				} else {
					return dst, errors.New("invalid surrogate pair")
				}
			}
			dst = utf8.AppendRune(dst, r)
			continue
		default:
			return dst, errors.New("invalid escape")
		}
		i += 2
	}
	return dst, nil
}

func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
