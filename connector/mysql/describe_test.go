package mysql

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
)

func TestDescribeSplitShowsBoundariesReadably(t *testing.T) {
	h := func(s string) string { return hex.EncodeToString([]byte(s)) }
	cases := map[string]splitSpec{
		"`id` > 20017 AND `id` <= 40033":    {Mode: modeKeyset, Key: []string{"id"}, Lo: []string{h("20017")}, Hi: []string{h("40033")}},
		"`id` <= 20017":                     {Mode: modeKeyset, Key: []string{"id"}, Hi: []string{h("20017")}},
		"(`a`, `b`) > (\"cn-hangzhou\", 7)": {Mode: modeKeyset, Key: []string{"a", "b"}, Lo: []string{h("cn-hangzhou"), h("7")}},
		"`k` IS NULL":                       {Mode: modeStream, Key: []string{"k"}, Null: true},
		"all rows":                          {Mode: modeStream},
		"`name` > \"O'Brien\" AND `name` <= \"Smith \\\"\"": {Mode: modeKeyset, Key: []string{"name"}, Lo: []string{h("O'Brien")}, Hi: []string{h(`Smith "`)}},
	}
	for want, spec := range cases {
		sp, err := datasync.NewSplit("s", spec, 0)
		require.NoError(t, err)
		got, err := (&Source{}).DescribeSplit(sp)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := (&Source{}).DescribeSplit(datasync.Split{ID: "s", Spec: []byte(`{"mode":"keyset","key":["id"],"lo":["zz"]}`)})
	assert.Error(t, err)
}
