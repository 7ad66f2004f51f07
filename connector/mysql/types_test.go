package mysql_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
)

// allTypes has a column of every type the issue lists.
const allTypes = `(
  id int PRIMARY KEY,
  ti tinyint, tiu tinyint unsigned, si smallint, siu smallint unsigned, mi mediumint, miu mediumint unsigned,
  i int, iu int unsigned, bi bigint, biu bigint unsigned,
  tb tinyint(1), b1 bit(1), b10 bit(10), b64 bit(64),
  d65 decimal(65,30), d18 decimal(18,4), du decimal(10,2) unsigned,
  f float, dbl double,
  c char(10), vc varchar(100), tt tinytext, tx text, mt mediumtext, lt longtext,
  bn binary(4), vb varbinary(20), tbl tinyblob, bl blob, mbl mediumblob, lbl longblob,
  dt date, dtm0 datetime, dtm3 datetime(3), dtm6 datetime(6), ts0 timestamp NULL DEFAULT NULL, ts6 timestamp(6) NULL DEFAULT NULL,
  tm0 time, tm6 time(6), yr year,
  en enum('a','b c','ü😀'), st set('x','y','z'),
  js json, geo geometry, pt point
) CHARACTER SET utf8mb4`

var allTypesRows = []string{
	// every column NULL
	`(1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	  NULL, NULL, NULL, NULL, NULL)`,
	// minimums
	`(2, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0,
	  0, b'0', b'0', b'0',
	  -99999999999999999999999999999999999.999999999999999999999999999999, -99999999999999.9999, 0.00,
	  -3.40282e38, -1.7976931348623157e308,
	  '', '', '', '', '', '',
	  0x00000000, '', '', '', '', '',
	  '1000-01-01', '1000-01-01 00:00:00', '1000-01-01 00:00:00.000', '1000-01-01 00:00:00.000000',
	  '1970-01-01 00:00:01', '1970-01-01 00:00:01.000000',
	  '-838:59:59', '-838:59:58.999999', 1901,
	  'a', '', '[]', ST_GeomFromText('POINT(0 0)'), ST_GeomFromText('POINT(-180 -90)'))`,
	// maximums
	`(3, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615,
	  1, b'1', b'1111111111', 0xFFFFFFFFFFFFFFFF,
	  99999999999999999999999999999999999.999999999999999999999999999999, 99999999999999.9999, 99999999.99,
	  3.40282e38, 1.7976931348623157e308,
	  'üüüüüüüüüü', REPEAT('😀', 100), REPEAT('x', 255), REPEAT('é', 30000), REPEAT('m', 70000), REPEAT('l', 100000),
	  0xFFFFFFFF, REPEAT(0xFF, 20), REPEAT(0x00, 255), REPEAT(0xAB, 65535), REPEAT(0xCD, 70000), REPEAT(0xEF, 100000),
	  '9999-12-31', '9999-12-31 23:59:59', '9999-12-31 23:59:59.999', '9999-12-31 23:59:59.999999',
	  '2038-01-19 03:14:07', '2038-01-19 03:14:07.999999',
	  '838:59:59', '838:59:58.999999', 2155,
	  'ü😀', 'x,y,z', '{"a":[1,2,{"b":null}],"s":"\\u00e9😀","n":-1.5e300}',
	  ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,3 2,3 3,2 2))', 4326), ST_GeomFromText('POINT(180 90)'))`,
	// typical values, and the characters escaping must survive
	`(4, -1, 1, -2, 2, -3, 3, -4, 4, -5, 9223372036854775808,
	  -5, b'1', b'1010101010', 0x8000000000000001,
	  0.000000000000000000000000000001, -0.0001, 12.50,
	  3.1415927, 0.30000000000000004,
	  'ab', 'tab\there\nnewline\\back\\N ''q'' "dq" \0nul \Z \r', '\\N', 'NULL', 'x\ty', '😀 emoji',
	  0x0A090D5C, 0x005C4E0A09, 0x5C, 0x00, 0x0D0A, 0x1A00FF,
	  '2024-02-29', '2024-02-29 23:59:59', '2024-02-29 12:00:00.5', '1999-12-31 23:59:59.000001',
	  '2000-01-01 00:00:00', '2024-03-10 02:30:00.123456',
	  '00:00:00', '-00:00:00.000001', 0,
	  'b c', 'x,z', 'null', ST_GeomFromText('MULTIPOINT((1 2),(3 4))', 3857), ST_GeomFromText('POINT(1.5 -2.25)', 4326))`,
	`(5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	  NULL, NULL, NULL, NULL,
	  0, 0, 0,
	  1.17549e-38, 5e-324,
	  ' ', 'trailing space ', '"str"', '', '', '',
	  NULL, NULL, NULL, NULL, NULL, NULL,
	  '0001-01-01', '0001-01-01 00:00:00', NULL, NULL, NULL, NULL,
	  '24:00:00', '100:00:00.5', 2000,
	  NULL, 'y', '"str"', ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,1 1))'), NULL)`,
}

// TestTypeRoundTrip copies a row of every type, with NULLs and the types'
// extremes, MySQL to MySQL through LOAD DATA and through INSERT, and checks
// that the target holds the same values, byte for byte, and reads back as
// equal records.
func TestTypeRoundTrip(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE src "+allTypes, "INSERT INTO src VALUES "+strings.Join(allTypesRows, ",\n"))
	// Random doubles and floats check every bit of the shortest text.
	e.exec("CREATE TABLE fl (id int PRIMARY KEY, f float, d double)")
	rng := rand.New(rand.NewPCG(1, 2))
	var vals []string
	for i := range 500 {
		d := math.Float64frombits(rng.Uint64())
		for math.IsNaN(d) || math.IsInf(d, 0) {
			d = math.Float64frombits(rng.Uint64())
		}
		f := math.Float32frombits(rng.Uint32())
		for math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
			f = math.Float32frombits(rng.Uint32())
		}
		vals = append(vals, fmt.Sprintf("(%d, %v, %v)", i, f, d))
	}
	e.exec("INSERT INTO fl VALUES " + strings.Join(vals, ","))

	want := e.fingerprint("src")
	require.Len(t, want, len(allTypesRows))
	src := e.source(mysql.SourceConfig{Table: "src"})
	schema, err := src.Schema(ctx(t))
	require.NoError(t, err)
	kinds := map[string]ds.Kind{}
	for _, c := range schema {
		kinds[c.Name] = c.Kind
	}
	assert.Equal(t, ds.KindInt, kinds["biu"])
	assert.Equal(t, ds.KindBool, kinds["b1"])
	assert.Equal(t, ds.KindBytes, kinds["b10"])
	assert.Equal(t, ds.KindDecimal, kinds["d65"])
	assert.Equal(t, ds.KindJSON, kinds["js"])
	assert.Equal(t, ds.KindTime, kinds["tm6"])
	assert.Equal(t, ds.KindBytes, kinds["geo"])
	assert.Equal(t, ds.KindInt, kinds["tb"])
	recs := collect(t, src)
	require.Len(t, recs, len(allTypesRows))

	byID := map[int64]ds.Record{}
	for _, r := range recs {
		id, _ := r[0].AsInt()
		byID[id] = r
	}
	col := func(id int64, name string) ds.Value { return byID[id][schema.Index(name)] }
	for i := range schema {
		assert.True(t, byID[1][i].IsNull() || i == 0, "column %s of the NULL row", schema[i].Name)
	}
	assert.Equal(t, ds.Int(math.MinInt64), col(2, "bi"))
	assert.Equal(t, "18446744073709551615", col(3, "biu").String())
	assert.Equal(t, ds.KindDecimal, col(3, "biu").Kind())
	assert.Equal(t, ds.KindDecimal, col(4, "biu").Kind())
	assert.Equal(t, ds.Int(1), col(5, "biu"))
	assert.Equal(t, "99999999999999999999999999999999999.999999999999999999999999999999", col(3, "d65").String())
	assert.Equal(t, "0.000000000000000000000000000001", col(4, "d65").String())
	assert.Equal(t, ds.Float32(3.1415927), col(4, "f"))
	assert.Equal(t, "3.1415927", col(4, "f").String())
	assert.Equal(t, ds.Float32(3.40282e38), col(3, "f"))
	assert.Equal(t, ds.Float(0.30000000000000004), col(4, "dbl"))
	assert.Equal(t, ds.Float(5e-324), col(5, "dbl"))
	assert.Equal(t, ds.Bool(true), col(3, "b1"))
	assert.Equal(t, []byte{0x03, 0xff}, col(3, "b10").Raw())
	assert.Equal(t, strings.Repeat("😀", 100), col(3, "vc").String())
	assert.Equal(t, "tab\there\nnewline\\back\\N 'q' \"dq\" \x00nul \x1a \r", col(4, "vc").String())
	assert.Equal(t, "9999-12-31 23:59:59.999999", col(3, "dtm6").String())
	assert.Equal(t, "2038-01-19 03:14:07.999999Z", col(3, "ts6").String())
	assert.Equal(t, "-838:59:59", col(2, "tm0").String())
	assert.Equal(t, "-00:00:00.000001", col(4, "tm6").String())
	assert.Equal(t, "100:00:00.5", col(5, "tm6").String())
	assert.Equal(t, ds.Int(0), col(4, "yr"))
	assert.Equal(t, "ü😀", col(3, "en").String())
	assert.Equal(t, "null", col(4, "js").String())
	assert.Equal(t, ds.KindJSON, col(4, "js").Kind())
	// A point with an SRID reads as EWKB.
	assert.Equal(t, []byte{1, 1, 0, 0, 0x20, 0xe6, 0x10, 0, 0}, col(4, "pt").Raw()[:9])

	// Three ways to write: LOAD DATA of the rows as MySQL sent them (the
	// pass-through, since the types are the same on both sides), LOAD DATA
	// of values (a wrapper hides the pass-through), and INSERT.
	for _, way := range []string{"pass-through", "values", "insert"} {
		t.Run(way, func(t *testing.T) {
			e.exec("DROP TABLE IF EXISTS dst", "CREATE TABLE dst "+allTypes, "DROP TABLE IF EXISTS fl2", "CREATE TABLE fl2 LIKE fl")
			cfg := mysql.SinkConfig{Table: "dst"}
			if way == "insert" {
				cfg.LoadData = mysql.LoadDataOff
			}
			dst := e.sink(cfg)
			var sink ds.Sink = dst
			if way == "values" {
				sink = &hookSink{Sink: dst, before: func() {}}
			}
			res := run(t, e.source(mysql.SourceConfig{Table: "src"}), sink)
			assert.Equal(t, int64(len(allTypesRows)), res.RecordsWritten)
			loads, undone, inserts, narrowed := mysql.Stats(dst)
			switch way {
			case "insert":
				assert.Equal(t, [4]int64{0, 0, 1, 0}, [4]int64{loads, undone, inserts, narrowed}, "one INSERT, kept")
			default:
				assert.Equal(t, [4]int64{1, 0, 0, 0}, [4]int64{loads, undone, inserts, narrowed}, "one LOAD DATA, kept")
			}
			if way == "pass-through" {
				assert.Equal(t, int64(1), mysql.EncodedLoads(dst))
			} else {
				assert.Zero(t, mysql.EncodedLoads(dst))
			}
			e.sameTable("src", "dst")
			back := collect(t, e.source(mysql.SourceConfig{Table: "dst"}))
			assert.ElementsMatch(t, recs, back)

			run(t, e.source(mysql.SourceConfig{Table: "fl"}), e.sink(mysql.SinkConfig{Table: "fl2", LoadData: cfg.LoadData}))
			e.sameTable("fl", "fl2")
		})
	}
}

// TestTinyIntAsBool reads tinyint(1) as Bool when asked, and a value other
// than 0 and 1 is dirty rather than guessed.
func TestTinyIntAsBool(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE t (id int PRIMARY KEY, b tinyint(1))", "INSERT INTO t VALUES (1, 0), (2, 1), (3, NULL), (4, 2)")
	var dirty dirtyCollector
	recs := collect(t, e.source(mysql.SourceConfig{Table: "t", TinyIntAsBool: true}), allowDirty(&dirty))
	require.Len(t, recs, 3)
	got := map[int64]ds.Value{}
	for _, r := range recs {
		id, _ := r[0].AsInt()
		got[id] = r[1]
	}
	assert.Equal(t, map[int64]ds.Value{1: ds.Bool(false), 2: ds.Bool(true), 3: ds.Null()}, got)
	require.Len(t, dirty.recs, 1)
	assert.Equal(t, "b", dirty.recs[0].Column)
	assert.Contains(t, dirty.recs[0].Err.Error(), "id=4")
}

// TestZeroDates reads zero and impossible dates as NULL by default and as
// dirty rows when asked, never crashing.
func TestZeroDates(t *testing.T) {
	e := newEnv(t)
	e.exec("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'",
		"CREATE TABLE t (id int PRIMARY KEY, d date, dt datetime, ts timestamp NULL DEFAULT NULL)",
		"INSERT INTO t VALUES (1, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00'), (2, '2024-00-10', '2024-02-30 10:00:00', NULL), "+
			"(3, '2024-01-10', '2024-01-10 10:00:00', '2024-01-10 10:00:00')")
	recs := collect(t, e.source(mysql.SourceConfig{Table: "t"}))
	require.Len(t, recs, 3)
	nulls := 0
	for _, r := range recs {
		for _, v := range r[1:] {
			if v.IsNull() {
				nulls++
			}
		}
	}
	assert.Equal(t, 6, nulls)

	var dirty dirtyCollector
	recs = collect(t, e.source(mysql.SourceConfig{Table: "t", ZeroDate: "dirty"}), allowDirty(&dirty))
	require.Len(t, recs, 1)
	assert.Equal(t, ds.Int(3), recs[0][0])
	assert.Len(t, dirty.recs, 2, "%v", dirty.reasons())
	for _, d := range dirty.recs {
		assert.Equal(t, ds.StageRead, d.Stage)
		assert.Contains(t, d.Err.Error(), "zero or invalid date")
	}
}

// TestPassThroughMatchesValues writes the same rows through the
// pass-through and through values, into tables where one row collides with
// an existing key and others hold zero dates: the tables end the same, and
// the rejected row's dirty record, decoded back from its LOAD DATA line, is
// the record the value path rejects.
func TestPassThroughMatchesValues(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE src "+allTypes, "INSERT INTO src VALUES "+strings.Join(allTypesRows, ",\n"))
	e.exec("SET SESSION sql_mode = ''", "ALTER TABLE src ADD z date NULL, ADD zt datetime NULL",
		"UPDATE src SET z = '0000-00-00', zt = '2024-00-01 00:00:00' WHERE id IN (2, 3)", "UPDATE src SET z = '2024-01-31' WHERE id = 5")
	for _, zero := range []mysql.ZeroDate{mysql.ZeroDateNull, mysql.ZeroDateDirty} {
		t.Run("zeroDate="+string(zero), func(t *testing.T) {
			var dirty [2]dirtyCollector
			for k, way := range []string{"pass", "values"} {
				table := "dst_" + way
				e.exec("DROP TABLE IF EXISTS "+table, "CREATE TABLE "+table+" LIKE src", "INSERT INTO "+table+" (id, vc) VALUES (4, 'taken')")
				dst := e.sink(mysql.SinkConfig{Table: table})
				var sink ds.Sink = dst
				if way == "values" {
					sink = &hookSink{Sink: dst, before: func() {}}
				}
				run(t, e.source(mysql.SourceConfig{Table: "src", ZeroDate: zero}), sink, allowDirty(&dirty[k]))
				loads, undone, _, narrowed := mysql.Stats(dst)
				assert.Equal(t, int64(0), loads, "the one batch has a duplicate key")
				assert.Equal(t, int64(1), undone)
				assert.Positive(t, narrowed)
				assert.Zero(t, mysql.EncodedLoads(dst))
			}
			e.sameTable("dst_pass", "dst_values")
			require.Equal(t, len(dirty[1].recs), len(dirty[0].recs), "%v\n%v", dirty[0].reasons(), dirty[1].reasons())
			for i := range dirty[0].recs {
				p, v := dirty[0].recs[i], dirty[1].recs[i]
				assert.Equal(t, v.Stage, p.Stage)
				assert.Equal(t, v.Column, p.Column)
				assert.Equal(t, v.Record, p.Record)
			}
			wantDirty := 1
			if zero == mysql.ZeroDateDirty {
				wantDirty = 3
			}
			assert.Len(t, dirty[0].recs, wantDirty, "%v", dirty[0].reasons())
		})
	}
	// Without a collision the pass-through's LOAD is kept.
	e.exec("CREATE TABLE dst LIKE src", "CREATE TABLE dst2 LIKE src")
	dst := e.sink(mysql.SinkConfig{Table: "dst"})
	run(t, e.source(mysql.SourceConfig{Table: "src"}), dst)
	assert.Equal(t, int64(1), mysql.EncodedLoads(dst))
	run(t, e.source(mysql.SourceConfig{Table: "src"}), &hookSink{Sink: e.sink(mysql.SinkConfig{Table: "dst2"}), before: func() {}})
	e.sameTable("dst", "dst2")
}
