package transform

import (
	"fmt"

	"github.com/datasync-go/datasync"
)

// Substr keeps length characters of a column's text from position start
// (from 0), or what there is up to its end: DataX's dx_substr. A NULL stays
// NULL; a start past the end of the text makes the record dirty. start and
// length must not be negative.
//
//	Substr(1, 2, 5) turns "dataxTest" into "taxTe"; Substr(1, 5, 10) into "Test".
func Substr(column, start, length int) datasync.Transformer {
	return substr{column, start, length}
}

type substr struct{ column, start, length int }

func (t substr) NewTransform(schema datasync.Schema) (datasync.TransformFunc, error) {
	if err := checkColumn("Substr", t.column, schema); err != nil {
		return nil, err
	}
	if t.start < 0 || t.length < 0 {
		return nil, fmt.Errorf("Substr: start %d and length %d must not be negative", t.start, t.length)
	}
	var scratch, out []byte
	return func(rec datasync.Record, b *datasync.Batch) (bool, error) {
		s, ok := text(rec[t.column], &scratch)
		if !ok {
			return true, nil
		}
		n := utf16Len(s)
		if t.start > n {
			return false, columnError(schema, t.column, s, fmt.Errorf("dx_substr startIndex(%d) out of range(%d)", t.start, n))
		}
		end := n
		if t.start+t.length < n {
			end = t.start + t.length
		}
		out = appendUTF16Slice(out[:0], s, t.start, end)
		rec[t.column] = b.CopyString(out)
		return true, nil
	}, nil
}
