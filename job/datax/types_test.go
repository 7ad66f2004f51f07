package datax

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/datasync-go/datasync"
)

func TestParseType(t *testing.T) {
	for name, want := range map[string]datasync.Kind{
		"long": datasync.KindInt, "LONG": datasync.KindInt, "integer": datasync.KindInt, "double": datasync.KindFloat,
		"boolean": datasync.KindBool, "bool": datasync.KindBool, "date": datasync.KindDate, "datetime": datasync.KindTimestamp,
		"string": datasync.KindString, "bytes": datasync.KindBytes, "Decimal": datasync.KindDecimal, " timestamp ": datasync.KindTimestamp,
	} {
		got, ok := parseType(name)
		assert.True(t, ok, name)
		assert.Equal(t, want, got, name)
	}
	for _, bad := range []string{"", "null", "widget"} {
		_, ok := parseType(bad)
		assert.False(t, ok, bad)
	}
}
