package postgres

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

// reals are float32 values a real column holds, with their shortest text:
// the non-dyadic ones a float64 would not hold, the extremes, subnormals,
// -0, NaN and the infinities.
var reals = []struct {
	f    float32
	text string
}{
	{0.1, "0.1"},
	{0.3, "0.3"},
	{-0.3, "-0.3"},
	{3.1415927, "3.1415927"},
	{math.MaxFloat32, "3.4028235e+38"},
	{-math.MaxFloat32, "-3.4028235e+38"},
	{3.40282e38, "3.40282e+38"},
	{1.17549e-38, "1.17549e-38"},
	{math.Float32frombits(0x00800000), "1.1754944e-38"}, // the smallest normal
	{math.Float32frombits(0x007fffff), "1.1754942e-38"}, // the largest subnormal
	{math.Float32frombits(0x00400000), "5.877472e-39"},  // a subnormal
	{math.SmallestNonzeroFloat32, "1e-45"},
	{0, "0"},
	{float32(math.Copysign(0, -1)), "-0"},
	{float32(math.Inf(1)), "Infinity"},
	{float32(math.Inf(-1)), "-Infinity"},
	{float32(math.NaN()), "NaN"},
}

// realLiterals returns reals as SQL rows (id, value): each value in the
// digits of its float64 widening, which real's input reads exactly.
func realLiterals() string {
	var rows []string
	for i, r := range reals {
		text := strconv.FormatFloat(float64(r.f), 'g', -1, 64)
		switch {
		case math.IsNaN(float64(r.f)):
			text = "NaN"
		case math.IsInf(float64(r.f), 1):
			text = "Infinity"
		case math.IsInf(float64(r.f), -1):
			text = "-Infinity"
		}
		rows = append(rows, fmt.Sprintf("(%d, '%s')", i+1, text))
	}
	return strings.Join(rows, ", ")
}

// realBits is every row of table as "id:bits of the real column f".
func (d *testDB) realBits(table string) []string {
	d.t.Helper()
	return d.rows("SELECT id || ':' || encode(float4send(f), 'hex') FROM " + table + " ORDER BY id")
}

func wantRealBits() []string {
	var out []string
	for i, r := range reals {
		out = append(out, fmt.Sprintf("%d:%08x", i+1, math.Float32bits(r.f)))
	}
	return out
}

// TestRealColumns reads real values as single-precision Floats, with their
// bits and their shortest text, and writes them to real columns (made by
// CreateTable or not; passed through, in binary COPY and in text COPY) with
// the same bits, -0, NaN and the infinities included.
func TestRealColumns(t *testing.T) {
	db := newDB(t)
	db.exec("CREATE TABLE src (id int PRIMARY KEY, f real)", "INSERT INTO src VALUES "+realLiterals())
	require.Equal(t, wantRealBits(), db.realBits("src"))

	src := newSource(t, SourceConfig{DSN: db.dsn, Table: "src"})
	coll := sink.Collect()
	_, err := run(t, src, coll)
	require.NoError(t, err)
	recs := coll.Records()
	require.Len(t, recs, len(reals))
	for _, r := range recs {
		id, _ := r[0].AsInt()
		want := reals[id-1]
		assert.True(t, r[1].IsFloat32(), "row %d: %v is a Float32", id, r[1])
		f, err := r[1].AsFloat32()
		require.NoError(t, err)
		assert.Equal(t, math.Float32bits(want.f), math.Float32bits(f), "row %d", id)
		assert.Equal(t, want.text, r[1].String(), "row %d", id)
	}

	for _, c := range []struct {
		name   string
		create bool
		pass   bool
		text   bool
	}{
		{"pass-through", false, true, false},
		{"binary COPY", false, false, false},
		{"text COPY", false, false, true},
		{"CreateTable", true, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			table := strings.ReplaceAll(strings.ToLower(c.name), " ", "_")
			table = strings.ReplaceAll(table, "-", "_")
			cols := []string{"id", "f"}
			if !c.create {
				db.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, f real, iv interval)")
			}
			var s datasync.Source = src
			if c.text {
				// An interval given as text makes the rows go in a text COPY.
				schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt, Key: 1}, {Name: "f", Kind: datasync.KindFloat}, {Name: "iv", Kind: datasync.KindString}}
				var rows []datasync.Record
				for _, r := range recs {
					rows = append(rows, datasync.Record{r[0], r[1], datasync.String("1 day")})
				}
				s, cols = source.FromRecords(schema, rows), nil
			}
			k := newSink(t, SinkConfig{DSN: db.dsn, Table: table, Column: cols, CreateTable: c.create, DisablePassThrough: !c.pass})
			res, err := run(t, s, k)
			require.NoError(t, err)
			assert.Equal(t, int64(len(reals)), res.RecordsWritten)
			assert.Equal(t, wantRealBits(), db.realBits(table))
			assert.Equal(t, c.pass, k.passedThrough.Load() > 0, "passed through")
			assert.Equal(t, c.text, k.textRows.Load() > 0, "text COPY used")
			assert.Equal(t, []string{"real"}, db.rows("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '"+table+"'::regclass AND attname = 'f'"))
		})
	}
}

// TestRealIntoOtherTypes writes real values into text, numeric and double
// precision columns, in binary and in text COPY: the text is the float32's
// shortest, the numeric too, and the double its exact widening (as a cast
// from real gives).
func TestRealIntoOtherTypes(t *testing.T) {
	db := newDB(t)
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt, Key: 1}, {Name: "tx", Kind: datasync.KindFloat},
		{Name: "n", Kind: datasync.KindFloat}, {Name: "d", Kind: datasync.KindFloat}, {Name: "iv", Kind: datasync.KindString}}
	for _, text := range []bool{false, true} {
		t.Run(fmt.Sprintf("text=%v", text), func(t *testing.T) {
			table := fmt.Sprintf("other_%v", text)
			db.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, tx text, n numeric, d double precision, iv interval)")
			iv := datasync.Null()
			if text {
				iv = datasync.String("1 day")
			}
			var rows []datasync.Record
			for i, f := range []float32{0.1, -0.3, math.MaxFloat32, math.SmallestNonzeroFloat32} {
				v := datasync.Float32(f)
				rows = append(rows, datasync.Record{datasync.Int(int64(i + 1)), v, v, v, iv})
			}
			k := newSink(t, SinkConfig{DSN: db.dsn, Table: table})
			_, err := run(t, source.FromRecords(schema, rows), k)
			require.NoError(t, err)
			assert.Equal(t, text, k.textRows.Load() > 0, "text COPY used")
			assert.Equal(t, []string{
				"0.1|0.1|0.10000000149011612",
				"-0.3|-0.3|-0.30000001192092896",
				"3.4028235e+38|340282350000000000000000000000000000000|3.4028234663852886e+38",
				"1e-45|0.000000000000000000000000000000000000000000001|1.401298464324817e-45",
			}, db.rows("SELECT tx, n, d FROM "+table+" ORDER BY id"))
		})
	}
}

// TestRealExactness: a real column takes a value only when a float32 holds
// it exactly; a float64 it would round is a dirty row with the reason.
func TestRealExactness(t *testing.T) {
	db := newDB(t)
	db.exec("CREATE TABLE dst (id int PRIMARY KEY, f real)")
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt, Key: 1}, {Name: "f", Kind: datasync.KindFloat}}
	dec := func(s string) datasync.Value { v, _ := datasync.Decimal(s); return v }
	cases := []struct {
		v    datasync.Value
		want string // the stored bits, or "!reason"
	}{
		{datasync.Float32(0.1), "3dcccccd"},
		{datasync.Float(0.5), "3f000000"},
		{datasync.Float(math.NaN()), "7fc00000"},
		{datasync.Float(math.Inf(-1)), "ff800000"},
		{datasync.Int(16777216), "4b800000"},
		{dec("0.1"), "3dcccccd"},
		{dec("-0.3"), "be99999a"},
		{datasync.Float(0.1), "!real cannot hold it exactly"},
		{datasync.Float(1e39), "!real cannot hold it exactly"},
		{datasync.Int(16777217), "!real cannot hold it exactly"},
		{dec("3.14159265"), "!real cannot hold it exactly"},
	}
	var recs []datasync.Record
	for i, c := range cases {
		recs = append(recs, datasync.Record{datasync.Int(int64(i + 1)), c.v})
	}
	var dirty collector
	_, err := run(t, source.FromRecords(schema, recs), newSink(t, SinkConfig{DSN: db.dsn, Table: "dst"}), dirty.policy())
	require.NoError(t, err)
	reasons := map[int64]string{}
	for id, d := range dirty.byID(t) {
		reasons[id] = d.Reason()
	}
	stored := map[int64]string{}
	for _, row := range db.realBits("dst") {
		id, bits, _ := strings.Cut(row, ":")
		n, _ := strconv.ParseInt(id, 10, 64)
		stored[n] = bits
	}
	for i, c := range cases {
		id := int64(i + 1)
		if reason, bad := strings.CutPrefix(c.want, "!"); bad {
			assert.Contains(t, reasons[id], reason, "row %d (%v)", id, c.v)
			assert.NotContains(t, stored, id, "row %d (%v)", id, c.v)
			continue
		}
		assert.Empty(t, reasons[id], "row %d (%v)", id, c.v)
		assert.Equal(t, c.want, stored[id], "row %d (%v)", id, c.v)
	}
}
