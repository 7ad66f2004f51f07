package mysql

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/datasync-go/datasync"
)

// The split modes.
const (
	// modeKeyset reads the split in pages ordered by a unique key, each
	// page starting after the last key read: resumable, and no query stays
	// open between two Read calls.
	modeKeyset = "keyset"
	// modeStream reads the split as one query, for queries and tables
	// without a unique NOT NULL key: it cannot resume from a checkpoint.
	modeStream = "stream"
)

// splitSpec is the Spec of a split: plain data, so another process can run it.
type splitSpec struct {
	Mode  string   `json:"mode"`
	Key   []string `json:"key,omitempty"`   // the split key's columns
	Order []string `json:"order,omitempty"` // the unique key that orders the pages (keyset)
	Lo    []string `json:"lo,omitempty"`    // exclusive lower bound of Key, hex of the values' text; none when empty
	Hi    []string `json:"hi,omitempty"`    // inclusive upper bound of Key, likewise
	Null  bool     `json:"null,omitempty"`  // the rows whose split key is NULL
}

// checkpoint is a reader's position: the order key of the last row read.
type checkpoint struct {
	After []string `json:"after,omitempty"` // hex of the values' text
	Rows  int64    `json:"rows,omitempty"`  // rows read, for a stream (informative)
}

func encodeKey(raw [][]byte) []string {
	out := make([]string, len(raw))
	for i, r := range raw {
		out[i] = hex.EncodeToString(r)
	}
	return out
}

func decodeKey(hexes []string, want int) ([][]byte, error) {
	if len(hexes) != want {
		return nil, fmt.Errorf("key has %d values, want %d", len(hexes), want)
	}
	out := make([][]byte, len(hexes))
	for i, h := range hexes {
		b, err := hex.DecodeString(h)
		if err != nil {
			return nil, fmt.Errorf("key value %d: %w", i+1, err)
		}
		out[i] = b
	}
	return out, nil
}

func encodeCheckpoint(cp checkpoint) datasync.Checkpoint {
	b, _ := json.Marshal(cp) // strings and an int cannot fail
	return b
}

func decodeCheckpoint(b datasync.Checkpoint) (checkpoint, error) {
	var cp checkpoint
	if err := json.Unmarshal(b, &cp); err != nil {
		return cp, errors.New("malformed checkpoint")
	}
	return cp, nil
}

// keyCol is a key column for SQL conditions: its quoted name and how its
// values are written as literals.
type keyCol struct {
	ident    string
	lit      litKind
	nullable bool
}

// appendLiteral appends the literal of a key value read as text.
func appendLiteral(dst []byte, k litKind, raw []byte) []byte {
	switch k {
	case litNumber:
		return append(dst, raw...)
	case litString:
		// The introducer makes it text in utf8mb4 whatever the bytes, and
		// text compares with the column's own collation.
		dst = append(dst, "_utf8mb4 X'"...)
		dst = hex.AppendEncode(dst, raw)
		return append(dst, '\'')
	case litBinary:
		dst = append(dst, "X'"...)
		dst = hex.AppendEncode(dst, raw)
		return append(dst, '\'')
	}
	dst = append(dst, '\'')
	dst = appendSQLEscaped(dst, raw)
	return append(dst, '\'')
}

// appendTupleCompare appends the condition (cols) op (vals) for op "<=" or
// ">", in the expanded form every MySQL-compatible optimizer turns into a
// range: a > x OR (a = x AND (b > y ...)).
func appendTupleCompare(dst []byte, cols []keyCol, vals [][]byte, op string) []byte {
	strict := op[:1] // "<" or ">"
	dst = append(dst, '(')
	for i, c := range cols {
		last := i == len(cols)-1
		dst = append(dst, c.ident...)
		if last {
			dst = append(dst, ' ')
			dst = append(dst, op...)
			dst = append(dst, ' ')
		} else {
			dst = append(dst, ' ')
			dst = append(dst, strict...)
			dst = append(dst, ' ')
		}
		dst = appendLiteral(dst, c.lit, vals[i])
		if !last {
			dst = append(dst, " OR ("...)
			dst = append(dst, c.ident...)
			dst = append(dst, " = "...)
			dst = appendLiteral(dst, c.lit, vals[i])
			dst = append(dst, " AND ("...)
		}
	}
	for range len(cols) - 1 {
		dst = append(dst, "))"...)
	}
	return append(dst, ')')
}

// splitCondition returns the condition of a split's rows on the split key,
// without the user's where; "" when it has none.
func splitCondition(spec *splitSpec, key []keyCol) (string, error) {
	var parts []string
	if spec.Null {
		var any []string
		for _, k := range key {
			any = append(any, k.ident+" IS NULL")
		}
		return "(" + strings.Join(any, " OR ") + ")", nil
	}
	for _, k := range key {
		if k.nullable {
			parts = append(parts, k.ident+" IS NOT NULL")
		}
	}
	if len(spec.Lo) > 0 {
		lo, err := decodeKey(spec.Lo, len(key))
		if err != nil {
			return "", fmt.Errorf("lower bound: %w", err)
		}
		parts = append(parts, string(appendTupleCompare(nil, key, lo, ">")))
	}
	if len(spec.Hi) > 0 {
		hi, err := decodeKey(spec.Hi, len(key))
		if err != nil {
			return "", fmt.Errorf("upper bound: %w", err)
		}
		parts = append(parts, string(appendTupleCompare(nil, key, hi, "<=")))
	}
	return strings.Join(parts, " AND "), nil
}
