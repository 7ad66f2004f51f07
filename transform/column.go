package transform

import (
	"fmt"

	"github.com/datasync-go/datasync"
)

// checkColumn checks that column is a position of schema.
func checkColumn(name string, column int, schema datasync.Schema) error {
	if column < 0 || column >= len(schema) {
		return fmt.Errorf("%s: column index %d is out of range: the source has %d columns (0 to %d)",
			name, column, len(schema), len(schema)-1)
	}
	return nil
}

// text returns v's text as a Java Column.asString gives it (a view of the
// value's payload, or written into *scratch, whose storage it reuses), and
// false for NULL.
func text(v datasync.Value, scratch *[]byte) (string, bool) {
	switch v.Kind() {
	case datasync.KindNull:
		return "", false
	case datasync.KindString, datasync.KindBytes, datasync.KindDecimal, datasync.KindJSON:
		return unsafeString(v.Raw()), true
	}
	*scratch = v.AppendTo((*scratch)[:0])
	return unsafeString(*scratch), true
}

// columnError makes err the reason of a dirty record, naming the column.
func columnError(schema datasync.Schema, column int, value string, err error) error {
	return &datasync.RowError{Column: schema[column].Name, Value: value, Err: err}
}
