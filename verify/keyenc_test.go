package verify

import (
	"bytes"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
)

// TestSortKeysOrderValues: the byte order of sort keys is the order of the
// values, for each kind, NULL first, and for composite keys.
func TestSortKeysOrderValues(t *testing.T) {
	for _, c := range []struct {
		kind   datasync.Kind
		values []datasync.Value // in order
	}{
		{datasync.KindInt, []datasync.Value{datasync.Null(), datasync.Int(-1 << 63), datasync.Int(-2), datasync.Int(0), datasync.Int(9), datasync.Int(10), datasync.Int(1 << 62)}},
		{datasync.KindFloat, []datasync.Value{datasync.Float(-1e300), datasync.Float(-2.5), datasync.Float(0), datasync.Float(1e-9), datasync.Float(2), datasync.Float(1e21)}},
		{datasync.KindDecimal, decimals(t, "-1000", "-99.5", "-0.001", "0", "0.00012", "0.1", "0.12", "1", "9.99", "10", "100.5")},
		{datasync.KindString, []datasync.Value{datasync.String(""), datasync.String("a"), datasync.String("a\x00b"), datasync.String("ab"), datasync.String("b")}},
	} {
		schema := datasync.Schema{{Name: "k", Kind: c.kind}}
		var keys [][]byte
		for _, v := range c.values {
			sk, _, _, err := appendSortKey(nil, nil, datasync.Record{v}, schema, nil)
			require.NoError(t, err, "%v", v)
			keys = append(keys, sk)
		}
		assert.True(t, slices.IsSortedFunc(keys, bytes.Compare), "%s: %x", c.kind, keys)
		for i := 1; i < len(keys); i++ {
			assert.NotEqual(t, keys[i-1], keys[i])
		}
	}
	// Composite: the first column decides, then the second.
	schema := datasync.Schema{{Name: "a", Kind: datasync.KindString}, {Name: "b", Kind: datasync.KindInt}}
	var keys [][]byte
	for _, r := range []datasync.Record{
		{datasync.String("a"), datasync.Int(5)}, {datasync.String("a"), datasync.Int(10)}, {datasync.String("ab"), datasync.Int(1)},
	} {
		sk, text, _, err := appendSortKey(nil, nil, r, schema, nil)
		require.NoError(t, err)
		keys = append(keys, sk)
		assert.Contains(t, string(text), ", ")
	}
	assert.True(t, slices.IsSortedFunc(keys, bytes.Compare))
}

func decimals(t *testing.T, texts ...string) []datasync.Value {
	var out []datasync.Value
	for _, s := range texts {
		v, err := datasync.Decimal(s)
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}
