package datasync_test

import (
	"encoding/json"
	"math"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
)

// float32Extremes are the single-precision values a Float32 must carry
// exactly, with the text of each: the shortest that reads back as the same
// float32.
var float32Extremes = []struct {
	f    float32
	text string
}{
	{0.1, "0.1"},
	{0.3, "0.3"},
	{-0.3, "-0.3"},
	{3.1415927, "3.1415927"},
	{16777216, "16777216"},
	{math.MaxFloat32, "3.4028235e+38"},
	{-math.MaxFloat32, "-3.4028235e+38"},
	{3.40282e38, "3.40282e+38"},
	{1.17549e-38, "1.17549e-38"},
	{math.Float32frombits(0x00800000), "1.1754944e-38"}, // the smallest normal
	{math.Float32frombits(0x00400000), "5.877472e-39"},  // a subnormal
	{math.Float32frombits(0x007fffff), "1.1754942e-38"}, // the largest subnormal
	{math.SmallestNonzeroFloat32, "1e-45"},
	{-math.SmallestNonzeroFloat32, "-1e-45"},
	{0.000001, "0.000001"},
	{1e21, "1e+21"},
	{float32(math.Copysign(0, -1)), "-0"},
	{float32(math.Inf(1)), "Infinity"},
	{float32(math.Inf(-1)), "-Infinity"},
	{float32(math.NaN()), "NaN"},
}

// TestFloat32 checks that a Float32 keeps its bits, widens exactly to a
// float64, and has the float32's shortest text wherever it is written as
// text: String, AppendTo, AsString, AsDecimal, JSON.
func TestFloat32(t *testing.T) {
	for _, c := range float32Extremes {
		t.Run(c.text, func(t *testing.T) {
			v := ds.Float32(c.f)
			assert.Equal(t, ds.KindFloat, v.Kind())
			assert.True(t, v.IsFloat32())
			f32, err := v.AsFloat32()
			require.NoError(t, err)
			assert.Equal(t, math.Float32bits(c.f), math.Float32bits(f32), "the same bits, sign and NaN included")
			f, err := v.AsFloat()
			require.NoError(t, err)
			if !math.IsNaN(f) {
				assert.Equal(t, math.Float64bits(float64(c.f)), math.Float64bits(f), "widened exactly")
			}
			assert.Equal(t, c.text, v.String())
			assert.Equal(t, c.text, string(v.AppendTo(nil)))
			s, err := v.AsString()
			require.NoError(t, err)
			assert.Equal(t, c.text, s)
			assert.Equal(t, c.text, v.Clone().String(), "a clone is a Float32 too")
			same, err := v.Convert(ds.KindFloat)
			require.NoError(t, err)
			assert.True(t, same.IsFloat32(), "converting to its own kind keeps it")

			j, err := json.Marshal(v)
			require.NoError(t, err)
			if math.IsNaN(f) || math.IsInf(f, 0) {
				assert.Equal(t, `"`+c.text+`"`, string(j))
				_, err := v.AsJSON()
				assert.Error(t, err)
			} else {
				assert.Equal(t, c.text, string(j))
				js, err := v.AsJSON()
				require.NoError(t, err)
				assert.Equal(t, c.text, js)
				d, err := v.AsDecimal()
				require.NoError(t, err)
				want, err := ds.Decimal(c.text)
				require.NoError(t, err)
				assert.Equal(t, want.String(), d)
			}
		})
	}
	assert.Equal(t, "0.10000000149011612", ds.Float(float64(float32(0.1))).String(), "a float64 has its own text")
	assert.False(t, ds.Float(0.5).IsFloat32())
	assert.False(t, ds.Int(1).IsFloat32())
	assert.Equal(t, unsafe.Sizeof(ds.Value{}), uintptr(32), "Value stays small")
	assert.Zero(t, testing.AllocsPerRun(10, func() { _ = ds.Float32(0.1).AppendTo(make([]byte, 0, 32)) }))
}

// TestFloat32Equal: a Float32 equals the same Float32 (NaN too), not the
// Float of the same number, whose text differs.
func TestFloat32Equal(t *testing.T) {
	assert.True(t, ds.Float32(0.1).Equal(ds.Float32(0.1)))
	assert.True(t, ds.Float32(float32(math.NaN())).Equal(ds.Float32(float32(math.NaN()))))
	assert.False(t, ds.Float32(0.1).Equal(ds.Float(float64(float32(0.1)))))
	assert.False(t, ds.Float32(0.5).Equal(ds.Float(0.5)))
	assert.False(t, ds.Float32(0).Equal(ds.Float32(float32(math.Copysign(0, -1)))))
}

// TestAsFloat32 is the exactness rule of single-precision columns: a value
// goes in only when a float32 holds it exactly.
func TestAsFloat32(t *testing.T) {
	nan := float32(math.NaN())
	cases := []struct {
		in   ds.Value
		want float32
		ok   bool
	}{
		{ds.Float32(0.1), 0.1, true},
		{ds.Float(0.5), 0.5, true},
		{ds.Float(float64(float32(0.1))), 0.1, true},
		{ds.Float(math.Copysign(0, -1)), float32(math.Copysign(0, -1)), true},
		{ds.Float(math.Inf(-1)), float32(math.Inf(-1)), true},
		{ds.Float(math.NaN()), nan, true},
		{ds.Float(math.SmallestNonzeroFloat32), math.SmallestNonzeroFloat32, true},
		{ds.Float(0.1), 0, false},                 // a genuine float64: float32 would round it
		{ds.Float(0.30000000000000004), 0, false}, // likewise
		{ds.Float(1e39), 0, false},                // beyond float32's range
		{ds.Float(1e-46), 0, false},               // below its smallest subnormal
		{ds.Float(math.MaxFloat64), 0, false},     // far beyond
		{ds.Float(math.SmallestNonzeroFloat64), 0, false},
		{ds.Int(16777216), 16777216, true},
		{ds.Int(16777217), 0, false},
		{ds.Int(math.MaxInt64), 0, false},
		{ds.Bool(true), 1, true},
		{dec("0.1"), 0.1, true},                 // the float32's shortest text
		{dec("0.10000000149011612"), 0.1, true}, // the float64's that is a float32
		{dec("3.4028235e38"), math.MaxFloat32, true},
		{dec("1e-45"), math.SmallestNonzeroFloat32, true},
		{dec("0.1000000001"), 0, false},
		{dec("3.14159265"), 0, false},
		{dec("1e39"), 0, false},
		{dec("NaN"), nan, true},
		{ds.String("-0.3"), -0.3, true},
		{ds.String("Infinity"), float32(math.Inf(1)), true},
		{ds.String("abc"), 0, false},
		{ds.Bytes([]byte("0.1")), 0.1, true},
		{ds.JSON("0.1"), 0.1, true},
		{date("2024-01-01"), 0, false},
	}
	for _, c := range cases {
		t.Run(c.in.Kind().String()+"/"+c.in.String(), func(t *testing.T) {
			got, err := c.in.AsFloat32()
			if !c.ok {
				var conv *ds.ConversionError
				require.ErrorAs(t, err, &conv)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, math.Float32bits(c.want), math.Float32bits(got))
		})
	}
	_, err := ds.Null().AsFloat32()
	assert.ErrorIs(t, err, ds.ErrNull)
	_, err = ds.Float(0.1).AsFloat32()
	assert.EqualError(t, err, `cannot convert Float "0.1" to Float: float32 cannot hold it exactly (the nearest float32 is 0.10000000149011612)`)
}
