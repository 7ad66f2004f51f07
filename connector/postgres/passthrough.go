package postgres

import (
	"encoding/binary"
	"errors"
	"strings"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/encoded"
)

// Pass-through. When a PostgreSQL source feeds a PostgreSQL sink whose
// columns have exactly the same types, in order, the rows can travel as the
// source's binary fields, framed as binary COPY tuples, and be sent to COPY
// as they are: no value is decoded or encoded. The sink names the encoding
// it accepts (encodingName of its column types), the pipeline offers it to
// the source's reader, and the reader uses it when its own column types give
// the same name (see encoded.Writer).

const encodingPrefix = "postgres-binary-copy/1"

// encodingName names binary COPY tuples of exactly these column types.
func encodingName(types []*pgType) string {
	var b strings.Builder
	b.WriteString(encodingPrefix)
	for _, t := range types {
		b.WriteByte(';')
		b.WriteString(t.encodingKey())
	}
	return b.String()
}

// tupleDecoder returns the encoded.Decoder of binary COPY tuples of these
// types, for rows that must be seen as values (a rejected row on its way to
// the dirty-data collector).
func tupleDecoder(types []*pgType) encoded.Decoder {
	return func(row []byte, dst datasync.Record, b *datasync.Batch) error {
		var scratch []byte // only rejected rows are decoded: no need to reuse it
		if len(row) < 2 || int(binary.BigEndian.Uint16(row)) != len(types) || len(dst) != len(types) {
			return errTuple
		}
		p := 2
		for i, t := range types {
			if len(row) < p+4 {
				return errTuple
			}
			n := int(int32(binary.BigEndian.Uint32(row[p:])))
			p += 4
			if n < 0 {
				dst[i] = datasync.Null()
				continue
			}
			if len(row) < p+n {
				return errTuple
			}
			v, err := t.decode(row[p:p+n], b, &scratch)
			if err != nil {
				return err
			}
			dst[i] = v
			p += n
		}
		return nil
	}
}

var errTuple = errors.New("postgres: malformed binary COPY tuple")
