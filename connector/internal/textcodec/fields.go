package textcodec

import (
	"bytes"
	"errors"
)

// The ways a csv record can be malformed.
var (
	errUnterminated = errors.New("unterminated quoted field")
	errAfterQuote   = errors.New("unexpected text after a closing quote")
	errLineBreak    = errors.New("line break in an unquoted field")
)

// field is one field of a record, in UTF-8. data points into the record or
// into the decoder's scratch buffer, until the next record.
type field struct {
	data []byte
	null bool
}

// prepareScratch makes room for the unescaped text of rec, so that fields
// pointing into the scratch buffer stay valid while it fills.
func (d *Decoder) prepareScratch(n int) []byte {
	if cap(d.scratch) < n {
		d.scratch = make([]byte, 0, n+n/2+64)
	}
	return d.scratch[:0]
}

func (d *Decoder) isNull(raw []byte) bool { return bytes.Equal(raw, d.spec.nullText) }

// splitPlain splits a record without quotes or escapes at the delimiter.
func (d *Decoder) splitPlain(rec []byte) {
	delim := d.spec.delim
	if len(delim) == 1 {
		c := delim[0]
		for {
			k := bytes.IndexByte(rec, c)
			if k < 0 {
				break
			}
			d.fields = append(d.fields, field{data: rec[:k:k], null: d.isNull(rec[:k])})
			rec = rec[k+1:]
		}
	} else {
		for {
			k := bytes.Index(rec, delim)
			if k < 0 {
				break
			}
			d.fields = append(d.fields, field{data: rec[:k:k], null: d.isNull(rec[:k])})
			rec = rec[k+len(delim):]
		}
	}
	d.fields = append(d.fields, field{data: rec, null: d.isNull(rec)})
}

// splitCSV splits a complete csv record. A field is NULL only when it is
// unquoted and equal to the null text; quoted fields are unescaped ("" is
// a quote) into the scratch buffer. Quotes inside an unquoted field are
// kept as they are.
func (d *Decoder) splitCSV(rec []byte, multiline bool) error {
	d.fields = d.fields[:0]
	if bytes.IndexByte(rec, '"') < 0 {
		d.splitPlain(rec)
		return nil
	}
	delim := d.spec.delim
	sc := d.prepareScratch(len(rec))
	pos := 0
	for {
		if pos < len(rec) && rec[pos] == '"' {
			start := len(sc)
			i := pos + 1
			for {
				k := bytes.IndexByte(rec[i:], '"')
				if k < 0 {
					return errUnterminated
				}
				sc = append(sc, rec[i:i+k]...)
				i += k + 1
				if i < len(rec) && rec[i] == '"' {
					sc = append(sc, '"')
					i++
					continue
				}
				break
			}
			d.fields = append(d.fields, field{data: sc[start:len(sc):len(sc)]})
			pos = i
			if pos == len(rec) {
				break
			}
			if !bytes.HasPrefix(rec[pos:], delim) {
				return errAfterQuote
			}
			pos += len(delim)
			continue
		}
		k := bytes.Index(rec[pos:], delim)
		end := len(rec)
		if k >= 0 {
			end = pos + k
		}
		f := rec[pos:end:end]
		if multiline && bytes.IndexByte(f, '\n') >= 0 {
			return errLineBreak
		}
		d.fields = append(d.fields, field{data: f, null: d.isNull(f)})
		if k < 0 {
			break
		}
		pos = end + len(delim)
	}
	d.scratch = sc
	return nil
}

// splitText splits a text record, undoing the escapes. Fields without an
// escape character are taken as they are; the others are unescaped into the
// scratch buffer. A field is NULL when its raw text equals the null text.
func (d *Decoder) splitText(rec []byte) {
	d.fields = d.fields[:0]
	esc := d.spec.escape
	if esc < 0 || bytes.IndexByte(rec, byte(esc)) < 0 {
		d.splitPlain(rec)
		return
	}
	delim := d.spec.delim
	sc := d.prepareScratch(len(rec))
	pos := 0
	for {
		end := len(rec)
		if k := bytes.Index(rec[pos:], delim); k >= 0 {
			end = pos + k
		}
		if bytes.IndexByte(rec[pos:end], byte(esc)) < 0 {
			f := rec[pos:end:end]
			d.fields = append(d.fields, field{data: f, null: d.isNull(f)})
		} else {
			// Unescape up to the first delimiter that is not escaped.
			start := len(sc)
			i := pos
			for i < len(rec) {
				c := rec[i]
				if int(c) == esc && i+1 < len(rec) {
					sc = append(sc, unescapeByte(rec[i+1]))
					i += 2
					continue
				}
				if c == delim[0] && bytes.HasPrefix(rec[i:], delim) {
					break
				}
				sc = append(sc, c)
				i++
			}
			end = i
			d.fields = append(d.fields, field{data: sc[start:len(sc):len(sc)], null: d.isNull(rec[pos:end])})
		}
		if end >= len(rec) {
			break
		}
		pos = end + len(delim)
		if pos == len(rec) {
			d.fields = append(d.fields, field{data: rec[pos:pos], null: len(d.spec.nullText) == 0})
			break
		}
	}
	d.scratch = sc
}

// unescapeByte returns the character that an escape followed by c stands
// for.
func unescapeByte(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	case 'v':
		return '\v'
	case '0':
		return 0
	}
	return c
}

// escapeLetter returns the letter that escapes c in text, or 0 when c is
// written as itself after the escape character.
func escapeLetter(c byte) byte {
	switch c {
	case '\n':
		return 'n'
	case '\r':
		return 'r'
	case '\t':
		return 't'
	case '\b':
		return 'b'
	case '\f':
		return 'f'
	case '\v':
		return 'v'
	case 0:
		return '0'
	}
	return 0
}
