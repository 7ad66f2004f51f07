package datasync_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
)

func TestParseKindKnowsDatasyncNamesOnly(t *testing.T) {
	for _, k := range datasync.Kinds() {
		got, ok := datasync.ParseKind(k.String())
		assert.True(t, ok, k.String())
		assert.Equal(t, k, got)
	}
	got, ok := datasync.ParseKind("timestamp")
	assert.True(t, ok)
	assert.Equal(t, datasync.KindTimestamp, got)
	for _, other := range []string{"long", "double", "boolean", "datetime", "integer", ""} {
		_, ok := datasync.ParseKind(other)
		assert.False(t, ok, "%q is another system's name", other)
	}
}

func TestKindAsJSON(t *testing.T) {
	out, err := json.Marshal(map[string]datasync.Kind{"a": datasync.KindDecimal})
	require.NoError(t, err)
	assert.JSONEq(t, `{"a": "Decimal"}`, string(out))
	var k datasync.Kind
	require.NoError(t, json.Unmarshal([]byte(`"json"`), &k))
	assert.Equal(t, datasync.KindJSON, k)
	assert.ErrorContains(t, json.Unmarshal([]byte(`"long"`), &k), `"long" is not a kind (Bool, Int, Float, Decimal, String, Bytes, Date, Time, Timestamp, JSON)`)
}
