package postgres

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
)

func TestDescribeSplitShowsBoundariesReadably(t *testing.T) {
	i8 := func(n int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(n)) }
	int8Type, textType := &pgType{class: classInt8}, &pgType{class: classText}
	uuidType, dateType := &pgType{class: classUUID}, &pgType{class: classDate}
	cases := []struct {
		spec  splitSpec
		types []*pgType
		want  string
	}{
		{splitSpec{Mode: splitKeyset, Key: []string{"id"}, Lo: [][]byte{i8(20017)}, Hi: [][]byte{i8(40033)}}, []*pgType{int8Type},
			`"id" > 20017 AND "id" <= 40033`},
		{splitSpec{Mode: splitKeyset, Key: []string{"id"}, Hi: [][]byte{i8(-5)}}, []*pgType{int8Type}, `"id" <= -5`},
		{splitSpec{Mode: splitKeyset, Key: []string{"region", "day"}, Lo: [][]byte{[]byte("O'Brien"), {0, 0, 0, 1}}},
			[]*pgType{textType, dateType}, `("region", "day") > ('O''Brien', '2000-01-02')`},
		{splitSpec{Mode: splitKeyset, Key: []string{"u"}, Lo: [][]byte{{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 1, 2, 3, 4, 5, 6, 7, 8}}},
			[]*pgType{uuidType}, `"u" > '12345678-9abc-def0-0102-030405060708'`},
		{splitSpec{Mode: splitKeyset, Key: []string{"id"}, Lo: [][]byte{i8(7)}}, nil, `"id" > 0x0000000000000007`},
		{splitSpec{Mode: splitNulls, Key: []string{"a", "b"}}, nil, `"a" IS NULL OR "b" IS NULL`},
		{splitSpec{Mode: splitBlocks, From: 0, To: 1024}, nil, "blocks 0 to 1024"},
		{splitSpec{Mode: splitBlocks, From: 1024}, nil, "blocks 1024 to the end"},
		{splitSpec{Mode: splitStream}, nil, "all rows"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, describeSpec(c.spec, c.types))
	}
	sp, err := datasync.NewSplit("s", splitSpec{Mode: splitKeyset, Key: []string{"id"}, Lo: [][]byte{i8(1)}}, 0)
	require.NoError(t, err)
	got, err := (&Source{}).DescribeSplit(sp)
	require.NoError(t, err)
	assert.Equal(t, `"id" > 0x0000000000000001`, got, "before planning the types are unknown")
}
