package postgres

import (
	"bytes"
	"encoding/binary"

	"github.com/datasync-go/datasync"
)

// sentRecord returns row k of w.rows, sent in format, as a record, for a row the server
// rejected after the Write that carried it returned (see stream.go): binary
// rows decoded by their column's type, text rows as the strings they were
// sent as. A field that does not decode (it should not happen) is kept as
// its bytes, so that the rejected row still reaches the collector.
func (w *writer) sentRecord(k int, format copyFormat) datasync.Record {
	row := w.rows.row(k)
	n := len(w.plan.cols)
	b := datasync.NewBatch(w.schema, 1, 1<<30)
	rec := b.Append()
	if format.wire() == formatText {
		fields := bytes.Split(bytes.TrimSuffix(row, []byte{'\n'}), []byte{'\t'})
		for i := range min(n, len(fields)) {
			if !bytes.Equal(fields[i], []byte(`\N`)) {
				rec[i] = datasync.String(string(unescapeCopyText(fields[i])))
			}
		}
		return rec.Clone()
	}
	var scratch []byte
	p := 2
	for i := 0; i < n && p+4 <= len(row); i++ {
		size := int(int32(binary.BigEndian.Uint32(row[p:])))
		p += 4
		if size < 0 {
			continue
		}
		field := row[p:min(p+size, len(row))]
		p += size
		v, err := w.plan.cols[i].typ.decode(field, b, &scratch)
		if err != nil {
			v = datasync.Bytes(bytes.Clone(field))
		}
		rec[i] = v
	}
	return rec.Clone()
}

// unescapeCopyText undoes the backslash escapes of a text COPY field.
func unescapeCopyText(f []byte) []byte {
	if bytes.IndexByte(f, '\\') < 0 {
		return f
	}
	out := make([]byte, 0, len(f))
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '\\' || i+1 == len(f) {
			out = append(out, c)
			continue
		}
		i++
		switch e := f[i]; e {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'v':
			out = append(out, '\v')
		case 'x':
			v, j := 0, i+1
			for ; j < len(f) && j < i+3 && isHex(f[j]); j++ {
				v = v*16 + hexVal(f[j])
			}
			if j == i+1 {
				out = append(out, 'x')
				continue
			}
			out, i = append(out, byte(v)), j-1
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v, j := 0, i
			for ; j < len(f) && j < i+3 && f[j] >= '0' && f[j] <= '7'; j++ {
				v = v*8 + int(f[j]-'0')
			}
			out, i = append(out, byte(v)), j-1
		default:
			out = append(out, e)
		}
	}
	return out
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) int {
	switch {
	case c >= 'a':
		return int(c-'a') + 10
	case c >= 'A':
		return int(c-'A') + 10
	}
	return int(c - '0')
}
