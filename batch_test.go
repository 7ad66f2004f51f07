package datasync_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
)

var twoColumns = ds.Schema{{Name: "id", Kind: ds.KindInt}, {Name: "name", Kind: ds.KindString}}

func TestBatchIsBoundedByRows(t *testing.T) {
	b := ds.NewBatch(twoColumns, 3, 1<<20)
	for range 3 {
		require.False(t, b.Full())
		r := b.Append()
		r[0] = ds.Int(1)
	}
	assert.True(t, b.Full())
	assert.Equal(t, 3, b.Len())
	assert.Equal(t, 24, b.Bytes())
}

func TestBatchIsBoundedByBytes(t *testing.T) {
	b := ds.NewBatch(twoColumns, 100, 20)
	r := b.Append()
	r[1] = b.CopyString([]byte("0123456789")) // 10 bytes
	assert.False(t, b.Full())
	r = b.Append()
	r[0] = ds.Int(7) // 8 more bytes: 18
	assert.False(t, b.Full())
	r = b.Append()
	r[1] = ds.String("xy") // 20
	assert.True(t, b.Full())

	big := ds.NewBatch(twoColumns, 100, 4)
	r = big.Append()
	r[1] = ds.String(strings.Repeat("x", 100))
	assert.True(t, big.Full(), "a row larger than the byte bound fits, alone")
	assert.Equal(t, 1, big.Len())
}

func TestBatchReuseStartsFromNulls(t *testing.T) {
	b := ds.NewBatch(twoColumns, 4, 1<<20)
	r := b.Append()
	r[0], r[1] = ds.Int(1), b.CopyString([]byte("a"))
	b.Reset()
	assert.Equal(t, 0, b.Len())
	assert.Equal(t, 0, b.Bytes())
	r = b.Append()
	assert.True(t, r[0].IsNull())
	assert.True(t, r[1].IsNull())
}

func TestBatchRemoveLast(t *testing.T) {
	b := ds.NewBatch(twoColumns, 4, 1<<20)
	b.Append()[0] = ds.Int(1)
	require.Equal(t, 8, b.Bytes())
	r := b.Append()
	r[1] = ds.String("abc")
	require.Equal(t, 11, b.Bytes())
	b.RemoveLast()
	assert.Equal(t, 1, b.Len())
	assert.Equal(t, 8, b.Bytes())
}

func TestArenaValuesSurviveArenaGrowthUntilReset(t *testing.T) {
	b := ds.NewBatch(twoColumns, 10000, 1<<30)
	var want []string
	for i := range 5000 {
		s := strings.Repeat(string(rune('a'+i%26)), i%300)
		want = append(want, s)
		r := b.Append()
		r[1] = b.CopyString([]byte(s))
	}
	for i, s := range want {
		got, err := b.Row(i)[1].AsString()
		require.NoError(t, err)
		require.Equal(t, s, got)
	}
	kept := b.Row(4999).Clone()
	keptString, _ := b.Row(4998)[1].AsString()
	b.Reset()
	for range 5000 {
		b.Append()[1] = b.CopyString([]byte(strings.Repeat("Z", 299)))
	}
	assert.Equal(t, want[4999], kept[1].String(), "a clone owns its bytes")
	assert.Equal(t, want[4998], keptString, "AsString returns a string that may be kept")
}

func TestBatchCopyDecimal(t *testing.T) {
	b := ds.NewBatch(twoColumns, 4, 1<<20)
	v, err := b.CopyDecimal([]byte("-001.50"))
	require.NoError(t, err)
	assert.Equal(t, "-1.50", v.String())
	assert.Equal(t, ds.KindDecimal, v.Kind())
	_, err = b.CopyDecimal([]byte("1.5x"))
	var conv *ds.ConversionError
	assert.ErrorAs(t, err, &conv)
}

func TestFillingAReusedBatchDoesNotAllocate(t *testing.T) {
	b := ds.NewBatch(twoColumns, 1024, 1<<20)
	payload := []byte("a driver's reused row buffer")
	fill := func() {
		b.Reset()
		for !b.Full() {
			r := b.Append()
			r[0] = ds.Int(42)
			r[1] = b.CopyString(payload)
		}
	}
	fill() // grow the arena to its working size
	assert.Zero(t, testing.AllocsPerRun(20, fill))
}
