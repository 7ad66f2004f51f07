package transform

import (
	"fmt"

	"github.com/datasync-go/datasync"
)

// Side is the end of the text Pad pads.
type Side uint8

// The sides.
const (
	Left  Side = iota + 1 // DataX's "l"
	Right                 // DataX's "r"
)

// String returns "left" or "right".
func (s Side) String() string {
	switch s {
	case Left:
		return "left"
	case Right:
		return "right"
	}
	return fmt.Sprintf("Side(%d)", uint8(s))
}

// Pad makes a column's text length characters long: DataX's dx_pad. Shorter
// text is padded at side with repeats of pad (the last one cut short as
// needed); longer text is cut to its first length characters, whichever
// side is asked. A NULL is taken as "", so it becomes length characters of
// padding. length must not be negative and pad must not be empty.
//
//	Pad(1, Left, 4, "A") turns "xyz" into "Axyz", and "xyzzzzz" into "xyzz".
func Pad(column int, side Side, length int, pad string) datasync.Transformer {
	return padder{column, side, length, pad}
}

type padder struct {
	column int
	side   Side
	length int
	pad    string
}

func (t padder) NewTransform(schema datasync.Schema) (datasync.TransformFunc, error) {
	if err := checkColumn("Pad", t.column, schema); err != nil {
		return nil, err
	}
	if t.side != Left && t.side != Right {
		return nil, fmt.Errorf("Pad: side %v is neither Left nor Right", t.side)
	}
	if t.length < 0 {
		return nil, fmt.Errorf("Pad: length %d must not be negative", t.length)
	}
	if t.pad == "" {
		return nil, fmt.Errorf("Pad: the padding text is empty")
	}
	padLen := utf16Len(t.pad)
	var scratch, out []byte
	return func(rec datasync.Record, b *datasync.Batch) (bool, error) {
		s, _ := text(rec[t.column], &scratch) // NULL is ""
		n := utf16Len(s)
		out = out[:0]
		if t.length <= n {
			out = appendUTF16Slice(out, s, 0, t.length)
		} else {
			if t.side == Right {
				out = append(out, s...)
			}
			for need := t.length - n; need > 0; need -= padLen {
				if need >= padLen {
					out = append(out, t.pad...)
				} else {
					out = appendUTF16Slice(out, t.pad, 0, need)
				}
			}
			if t.side == Left {
				out = append(out, s...)
			}
		}
		rec[t.column] = b.CopyString(out)
		return true, nil
	}, nil
}
