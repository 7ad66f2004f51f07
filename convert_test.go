package datasync_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
)

func dec(s string) ds.Value {
	v, err := ds.Decimal(s)
	if err != nil {
		panic(err)
	}
	return v
}

func wall(s string) ds.Value {
	ts, err := ds.ParseTimestamp(s)
	if err != nil {
		panic(err)
	}
	return ds.TimestampValue(ts)
}

func date(s string) ds.Value {
	d, err := ds.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return ds.DateValue(d)
}

func clock(s string) ds.Value {
	t, err := ds.ParseTimeOfDay(s)
	if err != nil {
		panic(err)
	}
	return ds.TimeValue(t)
}

// fail marks a conversion that must fail.
var fail = ds.Value{}

type convCase struct {
	in      ds.Value
	to      ds.Kind
	want    ds.Value
	wantErr bool
}

func ok(in ds.Value, to ds.Kind, want ds.Value) convCase { return convCase{in: in, to: to, want: want} }
func bad(in ds.Value, to ds.Kind) convCase               { return convCase{in: in, to: to, wantErr: true} }

func conversionCases() []convCase {
	K := struct{ Null, Bool, Int, Float, Decimal, String, Bytes, Date, Time, Timestamp, JSON ds.Kind }{
		ds.KindNull, ds.KindBool, ds.KindInt, ds.KindFloat, ds.KindDecimal, ds.KindString, ds.KindBytes,
		ds.KindDate, ds.KindTime, ds.KindTimestamp, ds.KindJSON}
	var cases []convCase
	// NULL converts to NULL of every kind.
	for _, k := range ds.Kinds() {
		cases = append(cases, ok(ds.Null(), k, ds.Null()))
	}
	cases = append(cases,
		// from Bool
		ok(ds.Bool(true), K.Bool, ds.Bool(true)),
		ok(ds.Bool(true), K.Int, ds.Int(1)),
		ok(ds.Bool(false), K.Float, ds.Float(0)),
		ok(ds.Bool(true), K.Decimal, dec("1")),
		ok(ds.Bool(true), K.String, ds.String("true")),
		ok(ds.Bool(false), K.Bytes, ds.Bytes([]byte("false"))),
		bad(ds.Bool(true), K.Date),
		bad(ds.Bool(true), K.Time),
		bad(ds.Bool(true), K.Timestamp),
		ok(ds.Bool(true), K.JSON, ds.JSON("true")),
		bad(ds.Bool(true), K.Null),
		// from Int
		ok(ds.Int(1), K.Bool, ds.Bool(true)),
		bad(ds.Int(42), K.Bool),
		ok(ds.Int(42), K.Int, ds.Int(42)),
		ok(ds.Int(-1<<53), K.Float, ds.Float(-(1<<53))),
		ok(ds.Int(1<<62), K.Float, ds.Float(1<<62)), // a power of two is exact
		bad(ds.Int(1<<53+1), K.Float),
		bad(ds.Int(math.MaxInt64), K.Float),
		ok(ds.Int(math.MinInt64), K.Decimal, dec("-9223372036854775808")),
		ok(ds.Int(-7), K.String, ds.String("-7")),
		ok(ds.Int(42), K.Bytes, ds.Bytes([]byte("42"))),
		bad(ds.Int(42), K.Date),
		bad(ds.Int(42), K.Time),
		bad(ds.Int(42), K.Timestamp),
		ok(ds.Int(42), K.JSON, ds.JSON("42")),
		bad(ds.Int(42), K.Null),
		// from Float
		ok(ds.Float(1), K.Bool, ds.Bool(true)),
		bad(ds.Float(0.5), K.Bool),
		ok(ds.Float(42), K.Int, ds.Int(42)),
		bad(ds.Float(1.5), K.Int),
		bad(ds.Float(1e19), K.Int),
		bad(ds.Float(math.NaN()), K.Int),
		bad(ds.Float(math.Inf(1)), K.Int),
		ok(ds.Float(-9.223372036854775808e18), K.Int, ds.Int(math.MinInt64)),
		ok(ds.Float(1.5), K.Float, ds.Float(1.5)),
		ok(ds.Float(0.1), K.Decimal, dec("0.1")),
		ok(ds.Float(1e21), K.Decimal, dec("1000000000000000000000")),
		ok(ds.Float(math.NaN()), K.Decimal, dec("NaN")),
		ok(ds.Float(math.Inf(-1)), K.Decimal, dec("-Infinity")),
		ok(ds.Float(1.5), K.String, ds.String("1.5")),
		ok(ds.Float(1e21), K.String, ds.String("1e+21")),
		ok(ds.Float(math.Inf(1)), K.String, ds.String("Infinity")),
		ok(ds.Float(-0.25), K.Bytes, ds.Bytes([]byte("-0.25"))),
		bad(ds.Float(1), K.Date),
		bad(ds.Float(1), K.Time),
		bad(ds.Float(1), K.Timestamp),
		ok(ds.Float(1.5), K.JSON, ds.JSON("1.5")),
		bad(ds.Float(math.NaN()), K.JSON),
		bad(ds.Float(1), K.Null),
		// from Decimal
		ok(dec("1.00"), K.Bool, ds.Bool(true)),
		bad(dec("2"), K.Bool),
		ok(dec("12.00"), K.Int, ds.Int(12)),
		bad(dec("12.50"), K.Int),
		bad(dec("99999999999999999999"), K.Int),
		ok(dec("-9223372036854775808"), K.Int, ds.Int(math.MinInt64)),
		ok(dec("12.5"), K.Float, ds.Float(12.5)),
		ok(dec("0.1"), K.Float, ds.Float(0.1)),
		ok(dec("1e300"), K.Float, ds.Float(1e300)),
		bad(dec("0.10000000000000000001"), K.Float),
		bad(dec("123456789012345678901234567890"), K.Float),
		ok(dec("NaN"), K.Float, ds.Float(math.NaN())),
		ok(dec("12.50"), K.Decimal, dec("12.50")),
		ok(dec("-0.0010"), K.String, ds.String("-0.0010")),
		ok(dec("12.50"), K.Bytes, ds.Bytes([]byte("12.50"))),
		bad(dec("1"), K.Date),
		bad(dec("1"), K.Time),
		bad(dec("1"), K.Timestamp),
		ok(dec("12.50"), K.JSON, ds.JSON("12.50")),
		bad(dec("Infinity"), K.JSON),
		bad(dec("1"), K.Null),
		// from String
		ok(ds.String("Yes"), K.Bool, ds.Bool(true)),
		ok(ds.String("off"), K.Bool, ds.Bool(false)),
		bad(ds.String("maybe"), K.Bool),
		ok(ds.String("12"), K.Int, ds.Int(12)),
		ok(ds.String("1e3"), K.Int, ds.Int(1000)),
		bad(ds.String(" 12"), K.Int),
		bad(ds.String("abc"), K.Int),
		bad(ds.String(""), K.Int),
		ok(ds.String("0.1"), K.Float, ds.Float(0.1)),
		ok(ds.String("-Infinity"), K.Float, ds.Float(math.Inf(-1))),
		bad(ds.String("1.23456789012345678901"), K.Float),
		ok(ds.String("-001.50"), K.Decimal, dec("-1.50")),
		ok(ds.String("+1.5E-3"), K.Decimal, dec("0.0015")),
		bad(ds.String("1.2.3"), K.Decimal),
		ok(ds.String("héllo"), K.String, ds.String("héllo")),
		ok(ds.String("héllo"), K.Bytes, ds.Bytes([]byte("héllo"))),
		ok(ds.String("2024-02-29"), K.Date, date("2024-02-29")),
		bad(ds.String("2023-02-29"), K.Date),
		bad(ds.String("2024-02-29 10:00:00"), K.Date),
		ok(ds.String("13:04:05.123456"), K.Time, clock("13:04:05.123456")),
		ok(ds.String("-838:59:59"), K.Time, ds.TimeValue(-ds.TimeOfDayOf(838, 59, 59, 0))),
		bad(ds.String("12:61:00"), K.Time),
		bad(ds.String("12:00:00.1234567"), K.Time),
		ok(ds.String("2024-03-01 13:04:05.123456"), K.Timestamp, ds.TimestampValue(ds.WallClockOf(time.Date(2024, 3, 1, 13, 4, 5, 123456000, time.UTC)))),
		ok(ds.String("2024-03-01T13:04:05+08:00"), K.Timestamp, ds.Instant(time.Date(2024, 3, 1, 5, 4, 5, 0, time.UTC))),
		bad(ds.String("2024-03-01 25:00:00"), K.Timestamp),
		ok(ds.String(`[1, "a"]`), K.JSON, ds.JSON(`[1, "a"]`)),
		bad(ds.String("{"), K.JSON),
		bad(ds.String("x"), K.Null),
		// from Bytes: like the String of the same bytes when valid UTF-8
		ok(ds.Bytes([]byte("t")), K.Bool, ds.Bool(true)),
		ok(ds.Bytes([]byte("12")), K.Int, ds.Int(12)),
		ok(ds.Bytes([]byte("1.5")), K.Float, ds.Float(1.5)),
		ok(ds.Bytes([]byte("1.50")), K.Decimal, dec("1.50")),
		ok(ds.Bytes([]byte("abc")), K.String, ds.String("abc")),
		bad(ds.Bytes([]byte{0xff, 0xfe}), K.String),
		ok(ds.Bytes([]byte{0xff, 0}), K.Bytes, ds.Bytes([]byte{0xff, 0})),
		ok(ds.Bytes([]byte("2024-01-02")), K.Date, date("2024-01-02")),
		ok(ds.Bytes([]byte("01:02:03")), K.Time, clock("01:02:03")),
		ok(ds.Bytes([]byte("2024-01-02 03:04:05")), K.Timestamp, wall("2024-01-02 03:04:05")),
		ok(ds.Bytes([]byte(`{"a":1}`)), K.JSON, ds.JSON(`{"a":1}`)),
		bad(ds.Bytes([]byte{0xff}), K.JSON),
		bad(ds.Bytes([]byte("x")), K.Null),
		// from Date
		bad(date("2024-03-01"), K.Bool),
		bad(date("2024-03-01"), K.Int),
		bad(date("2024-03-01"), K.Float),
		bad(date("2024-03-01"), K.Decimal),
		ok(date("2024-03-01"), K.String, ds.String("2024-03-01")),
		ok(date("0001-01-01"), K.Bytes, ds.Bytes([]byte("0001-01-01"))),
		ok(date("9999-12-31"), K.Date, date("9999-12-31")),
		bad(date("2024-03-01"), K.Time),
		ok(date("2024-03-01"), K.Timestamp, wall("2024-03-01 00:00:00")),
		ok(date("infinity"), K.Timestamp, wall("infinity")),
		ok(date("2024-03-01"), K.JSON, ds.JSON(`"2024-03-01"`)),
		bad(date("2024-03-01"), K.Null),
		// from Time
		bad(clock("13:04:05.5"), K.Bool),
		bad(clock("13:04:05.5"), K.Int),
		bad(clock("13:04:05.5"), K.Float),
		bad(clock("13:04:05.5"), K.Decimal),
		ok(clock("13:04:05.5"), K.String, ds.String("13:04:05.5")),
		ok(clock("100:00:00"), K.Bytes, ds.Bytes([]byte("100:00:00"))),
		bad(clock("13:04:05.5"), K.Date),
		ok(clock("13:04:05.5"), K.Time, clock("13:04:05.5")),
		bad(clock("13:04:05.5"), K.Timestamp),
		ok(clock("13:04:05.5"), K.JSON, ds.JSON(`"13:04:05.5"`)),
		bad(clock("13:04:05.5"), K.Null),
		// from Timestamp
		bad(wall("2024-03-01 13:04:05"), K.Bool),
		bad(wall("2024-03-01 13:04:05"), K.Int),
		bad(wall("2024-03-01 13:04:05"), K.Float),
		bad(wall("2024-03-01 13:04:05"), K.Decimal),
		ok(wall("2024-03-01 13:04:05.123456"), K.String, ds.String("2024-03-01 13:04:05.123456")),
		ok(wall("2024-03-01T13:04:05Z"), K.String, ds.String("2024-03-01 13:04:05Z")),
		ok(wall("2024-03-01 13:04:05"), K.Bytes, ds.Bytes([]byte("2024-03-01 13:04:05"))),
		ok(wall("2024-03-01 00:00:00"), K.Date, date("2024-03-01")),
		ok(wall("2024-03-01T00:00:00Z"), K.Date, date("2024-03-01")),
		bad(wall("2024-03-01 13:04:05"), K.Date),
		bad(wall("2024-03-01 13:04:05"), K.Time),
		ok(wall("2024-03-01 13:04:05"), K.Timestamp, wall("2024-03-01 13:04:05")),
		ok(wall("2024-03-01 13:04:05"), K.JSON, ds.JSON(`"2024-03-01 13:04:05"`)),
		bad(wall("2024-03-01 13:04:05"), K.Null),
		// from JSON
		ok(ds.JSON(" true "), K.Bool, ds.Bool(true)),
		bad(ds.JSON(`{"a":1}`), K.Bool),
		ok(ds.JSON("42"), K.Int, ds.Int(42)),
		bad(ds.JSON(`"42"`), K.Int),
		ok(ds.JSON("1.5"), K.Float, ds.Float(1.5)),
		ok(ds.JSON("12.50"), K.Decimal, dec("12.50")),
		ok(ds.JSON(`{"a":1}`), K.String, ds.String(`{"a":1}`)),
		ok(ds.JSON(`{"a":1}`), K.Bytes, ds.Bytes([]byte(`{"a":1}`))),
		bad(ds.JSON(`"2024-01-01"`), K.Date),
		bad(ds.JSON(`"01:00:00"`), K.Time),
		bad(ds.JSON(`"2024-01-01 01:00:00"`), K.Timestamp),
		ok(ds.JSON(`[1]`), K.JSON, ds.JSON(`[1]`)),
		bad(ds.JSON(`[1]`), K.Null),
	)
	return cases
}

func TestConvertEveryPairOfKinds(t *testing.T) {
	cases := conversionCases()
	covered := map[[2]ds.Kind]bool{}
	for _, c := range cases {
		covered[[2]ds.Kind{c.in.Kind(), c.to}] = true
		t.Run(c.in.Kind().String()+"_to_"+c.to.String()+"/"+c.in.String(), func(t *testing.T) {
			got, err := c.in.Convert(c.to)
			if c.wantErr {
				require.Error(t, err)
				var conv *ds.ConversionError
				require.True(t, errors.As(err, &conv), "want a *ConversionError, got %T", err)
				assert.Equal(t, c.in.Kind(), conv.From)
				assert.Equal(t, c.to, conv.To)
				return
			}
			require.NoError(t, err)
			assert.True(t, c.want.Equal(got), "want %v (%v), got %v (%v)", c.want, c.want.Kind(), got, got.Kind())
		})
	}
	for _, from := range ds.Kinds() {
		for _, to := range ds.Kinds() {
			assert.True(t, covered[[2]ds.Kind{from, to}], "no conversion case from %v to %v", from, to)
		}
	}
}

func TestAccessorsNeverPanic(t *testing.T) {
	for _, c := range conversionCases() {
		v := c.in
		assert.NotPanics(t, func() {
			_, _ = v.AsBool()
			_, _ = v.AsInt()
			_, _ = v.AsFloat()
			_, _ = v.AsDecimal()
			_, _ = v.AsString()
			_, _ = v.AsBytes()
			_, _ = v.AsDate()
			_, _ = v.AsTime()
			_, _ = v.AsTimestamp()
			_, _ = v.AsJSON()
			_ = v.String()
			_, _ = v.MarshalJSON()
		}, "%v", v)
	}
}

func TestAccessors(t *testing.T) {
	n, err := ds.String("42").AsInt()
	require.NoError(t, err)
	assert.Equal(t, int64(42), n)

	_, err = ds.String("abc").AsInt()
	var conv *ds.ConversionError
	require.ErrorAs(t, err, &conv)
	assert.Equal(t, `cannot convert String "abc" to Int: not a decimal number`, err.Error())

	_, err = ds.Null().AsInt()
	assert.ErrorIs(t, err, ds.ErrNull)

	d, err := ds.Float(0.1).AsDecimal()
	require.NoError(t, err)
	assert.Equal(t, "0.1", d)

	ts, err := ds.String("2024-03-01 10:00:00+02:00").AsTimestamp()
	require.NoError(t, err)
	assert.True(t, ts.IsInstant())
	assert.Equal(t, time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC), ts.Time())

	b, err := ds.String("x").AsBytes()
	require.NoError(t, err)
	assert.Equal(t, []byte("x"), b)
}

func TestValueSize(t *testing.T) {
	cases := map[string]struct {
		v    ds.Value
		size int
	}{
		"null":      {ds.Null(), 0},
		"bool":      {ds.Bool(true), 1},
		"int":       {ds.Int(1), 8},
		"float":     {ds.Float(1), 8},
		"date":      {date("2024-01-01"), 8},
		"time":      {clock("01:00:00"), 8},
		"timestamp": {wall("2024-01-01 00:00:00"), 8},
		"string":    {ds.String("héllo"), 6},
		"bytes":     {ds.Bytes([]byte{1, 2, 3}), 3},
		"decimal":   {dec("-12.50"), 6},
		"json":      {ds.JSON(`{}`), 2},
	}
	for name, c := range cases {
		assert.Equal(t, c.size, c.v.Size(), name)
	}
}

func TestValueJSON(t *testing.T) {
	cases := []struct {
		v    ds.Value
		want string
	}{
		{ds.Null(), "null"},
		{ds.Int(-3), "-3"},
		{ds.Float(math.NaN()), `"NaN"`},
		{dec("12.50"), `"12.50"`},
		{ds.String("a\"b\n"), `"a\"b\n"`},
		{ds.Bytes([]byte{0, 1}), `"AAE="`},
		{ds.JSON(`{"a":[1]}`), `{"a":[1]}`},
		{date("2024-01-02"), `"2024-01-02"`},
	}
	for _, c := range cases {
		got, err := c.v.MarshalJSON()
		require.NoError(t, err)
		assert.Equal(t, c.want, string(got))
	}
}
