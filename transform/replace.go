package transform

import (
	"fmt"

	"github.com/datasync-go/datasync"
)

// Replace replaces length characters of a column's text from position start
// (from 0), or all of it from there, with with: DataX's dx_replace. A NULL
// stays NULL; a start past the end of the text makes the record dirty.
// start and length must not be negative.
//
//	Replace(1, 2, 4, "****") turns "dataxTest" into "da****est"; Replace(1, 5, 10, "****") into "datax****".
func Replace(column, start, length int, with string) datasync.Transformer {
	return replace{column, start, length, with}
}

type replace struct {
	column, start, length int
	with                  string
}

func (t replace) NewTransform(schema datasync.Schema) (datasync.TransformFunc, error) {
	if err := checkColumn("Replace", t.column, schema); err != nil {
		return nil, err
	}
	if t.start < 0 || t.length < 0 {
		return nil, fmt.Errorf("Replace: start %d and length %d must not be negative", t.start, t.length)
	}
	var scratch, out []byte
	return func(rec datasync.Record, b *datasync.Batch) (bool, error) {
		s, ok := text(rec[t.column], &scratch)
		if !ok {
			return true, nil
		}
		n := utf16Len(s)
		if t.start > n {
			return false, columnError(schema, t.column, s, fmt.Errorf("dx_replace startIndex(%d) out of range(%d)", t.start, n))
		}
		out = appendUTF16Slice(out[:0], s, 0, t.start)
		out = append(out, t.with...)
		if t.start+t.length < n {
			out = appendUTF16Slice(out, s, t.start+t.length, n)
		}
		rec[t.column] = b.CopyString(out)
		return true, nil
	}, nil
}
