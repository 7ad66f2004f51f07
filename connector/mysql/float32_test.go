package mysql_test

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/source"
)

// singles are float32 values a FLOAT column holds, with their shortest
// text: the non-dyadic ones that a float64 would not hold, the extremes,
// subnormals and zero. (MySQL has no NaN or infinity, and MariaDB stores
// -0 as 0.)
var singles = []struct {
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
	{math.Float32frombits(0x007fffff), "1.1754942e-38"}, // the largest subnormal
	{math.Float32frombits(0x00400000), "5.877472e-39"},  // a subnormal
	{math.SmallestNonzeroFloat32, "1e-45"},
	{-math.SmallestNonzeroFloat32, "-1e-45"},
	{0, "0"},
}

// singleRows returns singles as SQL rows (id, value), each value written
// with the digits of its float64 widening, which every server reads into a
// FLOAT exactly.
func singleRows() string {
	var rows []string
	for i, s := range singles {
		rows = append(rows, fmt.Sprintf("(%d, %s)", i+1, strconv.FormatFloat(float64(s.f), 'g', -1, 64)))
	}
	return strings.Join(rows, ", ")
}

// floatBits returns the values of column col of table by id, as the bits
// of the float32 each holds.
func (e *env) floatBits(table, col string) map[int64]uint32 {
	e.t.Helper()
	rows, err := e.db.Query(fmt.Sprintf("SELECT id, %s * 1e0 FROM %s", col, table))
	require.NoError(e.t, err)
	defer rows.Close()
	out := map[int64]uint32{}
	for rows.Next() {
		var id int64
		var text string
		require.NoError(e.t, rows.Scan(&id, &text))
		f, err := strconv.ParseFloat(text, 64)
		require.NoError(e.t, err)
		require.Equal(e.t, f, float64(float32(f)), "%s.%s of row %d holds a float32", table, col, id)
		out[id] = math.Float32bits(float32(f))
	}
	require.NoError(e.t, rows.Err())
	return out
}

func singleBits() map[int64]uint32 {
	out := map[int64]uint32{}
	for i, s := range singles {
		out[int64(i+1)] = math.Float32bits(s.f)
	}
	return out
}

// TestFloatColumns reads FLOAT values as single-precision Floats, with
// their bits and their shortest text, and writes them to FLOAT columns
// (made by CreateTable or not; through the pass-through, values and INSERT)
// with the same bits, to text columns as their shortest text, and to DOUBLE
// columns widened exactly.
func TestFloatColumns(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE src (id int PRIMARY KEY, f float)", "INSERT INTO src VALUES "+singleRows())
	src := e.source(mysql.SourceConfig{Table: "src"})
	recs := collect(t, src)
	require.Len(t, recs, len(singles))
	for _, r := range recs {
		id, _ := r[0].AsInt()
		want := singles[id-1]
		assert.True(t, r[1].IsFloat32(), "row %d: %v is a Float32", id, r[1])
		f, err := r[1].AsFloat32()
		require.NoError(t, err)
		assert.Equal(t, math.Float32bits(want.f), math.Float32bits(f), "row %d", id)
		assert.Equal(t, want.text, r[1].String(), "row %d", id)
	}

	for _, way := range []string{"pass", "values", "insert", "created"} {
		t.Run(way, func(t *testing.T) {
			table := "dst_" + way
			cfg := mysql.SinkConfig{Table: table}
			switch way {
			case "insert":
				cfg.LoadData = mysql.LoadDataOff
			case "created":
				cfg.CreateTable = true
			}
			if way != "created" {
				e.exec("CREATE TABLE " + table + " LIKE src")
			}
			var dst ds.Sink = e.sink(cfg)
			if way == "values" || way == "insert" {
				dst = &hookSink{Sink: dst, before: func() {}}
			}
			run(t, src, dst)
			assert.Equal(t, singleBits(), e.floatBits(table, "f"))
			var typ string
			require.NoError(t, e.db.QueryRow("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = 'f'", table).Scan(&typ))
			assert.Equal(t, "float", typ)
		})
	}

	// Into text, the float32's shortest text; into DOUBLE, its exact
	// widening (as CAST does); into DECIMAL, the shortest text.
	for _, load := range []mysql.LoadData{mysql.LoadDataAuto, mysql.LoadDataOff} {
		e.exec("DROP TABLE IF EXISTS other", "CREATE TABLE other (id int PRIMARY KEY, f varchar(40), d double, n decimal(10,5))")
		e.exec("DROP TABLE IF EXISTS src3", "CREATE TABLE src3 (id int PRIMARY KEY, f float, d float, n float)",
			"INSERT INTO src3 VALUES (1, 0.1, 0.1, 0.1), (2, 3.4028234663852886e38, -0.3, -0.3), (3, 1.401298464324817e-45, 1.5, 3.5)")
		run(t, e.source(mysql.SourceConfig{Table: "src3"}), e.sink(mysql.SinkConfig{Table: "other", LoadData: load}))
		var got []string
		rows, err := e.db.Query("SELECT f, d, n FROM other ORDER BY id")
		require.NoError(t, err)
		for rows.Next() {
			var f, d, n string
			require.NoError(t, rows.Scan(&f, &d, &n))
			got = append(got, f+" "+d+" "+n)
		}
		require.NoError(t, rows.Err())
		rows.Close()
		assert.Equal(t, []string{"0.1 0.10000000149011612 0.10000", "3.4028235e+38 -0.30000001192092896 -0.30000", "1e-45 1.5 3.50000"}, got, "loadData %s", load)
	}
}

// TestFloatColumnExactness: a FLOAT column takes a value only when a
// float32 holds it exactly; NaN and the infinities, which MySQL lacks, are
// dirty rows with the reason, as is a float64 that FLOAT would round.
func TestFloatColumnExactness(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE dst (id int PRIMARY KEY, f float)")
	schema := ds.Schema{{Name: "id", Kind: ds.KindInt, Key: 1}, {Name: "f", Kind: ds.KindFloat, Nullable: true}}
	dec := func(s string) ds.Value { v, _ := ds.Decimal(s); return v }
	cases := []struct {
		v      ds.Value
		want   float32
		reason string // "" when it goes in
	}{
		{ds.Float32(0.1), 0.1, ""},
		{ds.Float(0.5), 0.5, ""},
		{ds.Float(float64(float32(0.1))), 0.1, ""},
		{ds.Float(math.MaxFloat32), math.MaxFloat32, ""},
		{ds.String("0.1"), 0.1, ""},
		{ds.String("3.4028235e38"), math.MaxFloat32, ""},
		{dec("-0.3"), -0.3, ""},
		{ds.Int(16777216), 16777216, ""},
		{ds.Float(0.1), 0, "float32 cannot hold it exactly"},
		{ds.Float(0.30000000000000004), 0, "float32 cannot hold it exactly"},
		{ds.Float(1e39), 0, "out of the range of a FLOAT"},
		{ds.Float(1e-50), 0, "out of the range of a FLOAT"},
		{ds.String("3.14159265"), 0, "float32 cannot hold it exactly"},
		{ds.Int(16777217), 0, "float32 cannot hold it exactly"},
		{ds.Float32(float32(math.NaN())), 0, "MySQL has no NaN or infinity"},
		{ds.Float32(float32(math.Inf(1))), 0, "MySQL has no NaN or infinity"},
		{ds.Float(math.Inf(-1)), 0, "MySQL has no NaN or infinity"},
		{ds.String("NaN"), 0, "MySQL has no NaN or infinity"},
	}
	var recs []ds.Record
	for i, c := range cases {
		recs = append(recs, ds.Record{ds.Int(int64(i + 1)), c.v})
	}
	for _, load := range []mysql.LoadData{mysql.LoadDataAuto, mysql.LoadDataOff} {
		t.Run("loadData="+string(load), func(t *testing.T) {
			e.exec("DELETE FROM dst")
			var dirty dirtyCollector
			run(t, source.FromRecords(schema, recs), e.sink(mysql.SinkConfig{Table: "dst", LoadData: load}), allowDirty(&dirty))
			reasons := map[int64]string{}
			for _, d := range dirty.recs {
				id, _ := d.Record[0].AsInt()
				reasons[id] = d.Err.Error()
			}
			got := e.floatBits("dst", "f")
			for i, c := range cases {
				id := int64(i + 1)
				if c.reason == "" {
					assert.Empty(t, reasons[id], "row %d (%v)", id, c.v)
					assert.Equal(t, math.Float32bits(c.want), got[id], "row %d (%v)", id, c.v)
				} else {
					assert.Contains(t, reasons[id], c.reason, "row %d (%v)", id, c.v)
					assert.NotContains(t, got, id, "row %d (%v)", id, c.v)
				}
			}
		})
	}
}
