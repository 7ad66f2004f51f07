// Package texttest holds the test data and assertions shared by the tests
// of the file and oss connectors.
package texttest

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/datasync-go/datasync"
)

// AllKinds is a schema with a column of every kind but Null, keyed by id.
var AllKinds = datasync.Schema{
	{Name: "id", Kind: datasync.KindInt, Key: 1},
	{Name: "s", Kind: datasync.KindString, Nullable: true},
	{Name: "b", Kind: datasync.KindBytes, Nullable: true},
	{Name: "f", Kind: datasync.KindFloat, Nullable: true},
	{Name: "d", Kind: datasync.KindDecimal, Nullable: true},
	{Name: "bo", Kind: datasync.KindBool, Nullable: true},
	{Name: "da", Kind: datasync.KindDate, Nullable: true},
	{Name: "t", Kind: datasync.KindTime, Nullable: true},
	{Name: "ts", Kind: datasync.KindTimestamp, Nullable: true},
	{Name: "j", Kind: datasync.KindJSON, Nullable: true},
}

// Strings test quoting, escaping, NULL look-alikes and encodings; all are
// valid GBK.
var Strings = []string{
	"", "plain", "comma,inside", `quote"inside`, "\"", "new\nline", "cr\r\nlf", "\r", "tab\tsep",
	`\N`, "NULL", " padded ", `back\slash`, `\n literal`, "中文字符", "semi;colon|pipe", "trailing,", "a\u0001b",
}

// Emoji are strings GBK cannot encode.
var Emoji = []string{"emoji 😀", "👍🏽 family 👨‍👩‍👧"}

// Rows returns n rows of AllKinds whose columns cycle through hard values,
// with NULLs on a diagonal and whole NULL rows; with emoji, some strings
// need a Unicode encoding.
func Rows(n int, emoji bool) []datasync.Record {
	strs := slices.Clone(Strings)
	if emoji {
		strs = append(strs, Emoji...)
	}
	floats := []float64{0, 0.1, -2.5e-300, 1e21, 123456.789, math.NaN(), math.Inf(1), math.Inf(-1), 5e-324, math.MaxFloat64}
	decs := []string{"0", "123.4500", "-0.000001", "99999999999999999999999999999999.123456789", "NaN", "-7"}
	dates := []datasync.Date{datasync.DateOf(2024, 2, 29), datasync.DateOf(1, 1, 1), datasync.DateOf(9999, 12, 31), datasync.DateOf(1969, 12, 31)}
	times := []datasync.TimeOfDay{0, datasync.TimeOfDayOf(23, 59, 59, 999999), datasync.TimeOfDayOf(24, 0, 0, 0), datasync.TimeOfDayOf(838, 59, 59, 0)}
	stamps := []datasync.Timestamp{
		datasync.WallClockOf(time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)),
		datasync.InstantOf(time.Date(2024, 5, 6, 7, 8, 9, 1000, time.FixedZone("x", 8*3600))),
		datasync.TimestampFromMicros(0, true),
		datasync.TimestampFromMicros(-1, false),
	}
	jsons := []string{`{"a":[1,2,"x,y"],"b":"q\"uote"}`, `[1,"two",null]`, `"just a string"`, `12.5`}
	byteVals := [][]byte{{}, {0, 1, 2, 255, '\n', ','}, []byte("text")}
	rows := make([]datasync.Record, n)
	for i := range rows {
		d, err := datasync.Decimal(decs[i%len(decs)])
		if err != nil {
			panic(err)
		}
		r := datasync.Record{
			datasync.Int(int64(i)),
			datasync.String(strs[i%len(strs)]),
			datasync.Bytes(byteVals[i%len(byteVals)]),
			datasync.Float(floats[i%len(floats)]),
			d,
			datasync.Bool(i%2 == 0),
			datasync.DateValue(dates[i%len(dates)]),
			datasync.TimeValue(times[i%len(times)]),
			datasync.TimestampValue(stamps[i%len(stamps)]),
			datasync.JSON(jsons[i%len(jsons)]),
		}
		if i%7 == 3 {
			r[1+i%(len(r)-1)] = datasync.Null()
		}
		if i%11 == 5 {
			for j := 1; j < len(r); j++ {
				r[j] = datasync.Null()
			}
		}
		rows[i] = r
	}
	return rows
}

// SortByID sorts records by their first column, an Int.
func SortByID(recs []datasync.Record) {
	slices.SortFunc(recs, func(a, b datasync.Record) int {
		x, _ := a[0].AsInt()
		y, _ := b[0].AsInt()
		return int(x - y)
	})
}

// RequireSameRows checks that got holds the records of want, in any
// order, value by value (kinds included).
func RequireSameRows(t testing.TB, want, got []datasync.Record) {
	t.Helper()
	want, got = slices.Clone(want), slices.Clone(got)
	SortByID(want)
	SortByID(got)
	if len(want) != len(got) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	for i := range want {
		if len(want[i]) != len(got[i]) {
			t.Fatalf("record %d: got %d values, want %d", i, len(got[i]), len(want[i]))
		}
		for j := range want[i] {
			if !want[i][j].Equal(got[i][j]) {
				t.Fatalf("record %d (id %s) column %d: want %s %s, got %s %s", i, want[i][0], j,
					want[i][j].Kind(), strconv.Quote(want[i][j].String()), got[i][j].Kind(), strconv.Quote(got[i][j].String()))
			}
		}
	}
}

// Lines returns n csv lines "i,name-i" with a header, and their total size.
func Lines(n int) []byte {
	var b bytes.Buffer
	b.WriteString("id,name\n")
	for i := range n {
		fmt.Fprintf(&b, "%d,name-%d\n", i, i)
	}
	return b.Bytes()
}
