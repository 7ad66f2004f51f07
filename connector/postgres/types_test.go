package postgres

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
)

// allTypes is a table with a column of every type the connector maps.
const allTypes = `CREATE TABLE %s (
	id int PRIMARY KEY,
	i2 smallint, i4 integer, i8 bigint, f4 real, f8 double precision,
	num numeric, nump numeric(30,10), b boolean,
	ch char(5), vc varchar(20), tx text, by bytea,
	d date, t time, ttz timetz, ts timestamp, tstz timestamptz, t3 timestamp(3), iv interval,
	u uuid, j json, jb jsonb, ip inet, cd cidr, mac macaddr, mac8 macaddr8, e mood,
	m money, bt bit(4), vb varbit(10),
	ai int[], atx text[], an numeric[], ad date[], ats timestamptz[], ab bool[], ae mood[],
	ai2 int[][], ajb jsonb[], af float8[], aby bytea[], aiv interval[], au uuid[]
)`

// allTypesRows covers NULLs, the extremes of every type, microseconds,
// emoji, zero bytes and the infinities.
var allTypesRows = []string{
	`INSERT INTO %s (id) VALUES (1)`,
	`INSERT INTO %s VALUES (2, -32768, -2147483648, -9223372036854775808, '-Infinity', '-Infinity',
		'NaN', -99999999999999999999.9999999999, false,
		'', '', '', '\x',
		'-infinity', '00:00:00', '00:00:00+15:59', '-infinity', '-infinity', '-infinity', '-178000000 years',
		'00000000-0000-0000-0000-000000000000', '[]', '{}', '0.0.0.0', '0.0.0.0/0', '00:00:00:00:00:00', '00:00:00:00:00:00:00:00', 'sad',
		'-92233720368547758.08', '0000', '',
		'{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}')`,
	`INSERT INTO %s VALUES (3, 32767, 2147483647, 9223372036854775807, 'Infinity', 'Infinity',
		'Infinity', 99999999999999999999.9999999999, true,
		'abcde', 'ąę😀 twenty chars 😀😀', 'emoji 😀 and 中文 and "quotes" \ back\slash	tab
newline', '\x00ff00',
		'infinity', '24:00:00', '23:59:59.999999-15:59', 'infinity', 'infinity', 'infinity', '178000000 years',
		'ffffffff-ffff-ffff-ffff-ffffffffffff', '{"a": [1, 2.5, "x"], "b": {"c": null}}', '{"z": 1, "a": [true, false]}',
		'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ffff:ffff::/32', 'ff:ff:ff:ff:ff:ff', 'ff:ff:ff:ff:ff:ff:ff:ff', 'happy',
		'92233720368547758.07', '1111', '1010101010',
		'{2147483647,NULL,-2147483648}', '{"a b","c,d","e\"f","g\\h",NULL,""}', '{NaN,1.5,-0.000001}', '{2024-02-29,infinity,0044-03-15 BC}',
		'{"2024-06-30 12:00:00.123456+05:30",-infinity}', '{t,f,NULL}', '{sad,happy}', '{{1,2},{3,4}}', '{"{\"k\": 1}",null}',
		'{NaN,Infinity,-Infinity,0.1}', '{"\\x00ff",NULL}', '{"1 day","-00:00:01"}', '{ffffffff-ffff-ffff-ffff-ffffffffffff}')`,
	`INSERT INTO %s VALUES (4, 0, 0, 0, 0.1, 0.1,
		'1234567890123456789012345678901234567890123456789012345678901234567890.123456789012345678901234567890',
		-0.0000000001, NULL,
		'a', 'b', 'x', '\x0000000000',
		'0001-01-01', '12:34:56.789012', '12:34:56.789012+05:30', '0001-01-01 00:00:00', '2024-06-30 12:00:00.123456+05:30',
		'2024-06-30 12:00:00.123', '1 year 2 mons 3 days 04:05:06.789',
		'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '"just a string"', '[1, "two", null]', '192.168.1.5/24', '10.0.0.0/8',
		'08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05', 'ok',
		'0.01', '0101', '1',
		NULL, '{NULL}', '{0}', '{9999-12-31}', '{}', '{}', '{ok}', '{{NULL,2},{3,NULL}}', '{}', '{1e-300}', '{}', '{"-1 days +02:03:00"}', '{}')`,
	`INSERT INTO %s (id, d, ts, tstz, f8, num, iv, ip, ttz, t) VALUES (5, '9999-12-31', '9999-12-31 23:59:59.999999', '0044-03-15 12:00:00+00 BC',
		'NaN', '-0.5', '-1 days +02:03:00', '::ffff:1.2.3.4', '00:00:00.000001+00', '00:00:00.000001')`,
	`INSERT INTO %s (id, tx, by) VALUES (6, repeat('0123456789', 1048576), decode(repeat('00ff', 1000), 'hex'))`,
}

func createAllTypes(d *testDB, name string) {
	d.t.Helper()
	d.exec(`DO $$ BEGIN CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); EXCEPTION WHEN duplicate_object THEN NULL; END $$`)
	d.exec(strings.ReplaceAll(allTypes, "%s", name))
}

func fillAllTypes(d *testDB, name string) {
	d.t.Helper()
	for _, q := range allTypesRows {
		d.exec(strings.ReplaceAll(q, "%s", name))
	}
}

// TestTypesRoundTrip copies every type PG -> PG, with pass-through and with
// every value decoded and encoded again, under different session time zones
// on each side, and compares the tables value for value.
func TestTypesRoundTrip(t *testing.T) {
	src, dst := newDB(t), newDB(t)
	createAllTypes(src, "t")
	fillAllTypes(src, "t")
	createAllTypes(dst, "t")
	srcDSN := src.dsn + "&options=-c%20TimeZone%3DAsia%2FKathmandu"
	dstDSN := dst.dsn + "&options=-c%20TimeZone%3DAmerica%2FSt_Johns"
	s := newSource(t, SourceConfig{DSN: srcDSN, Table: "t"})
	schema, err := s.Schema(context.Background())
	require.NoError(t, err)
	// mood[] carries the OID of mood, which differs between the databases:
	// it cannot pass through.
	var builtin []string
	for _, c := range schema {
		if c.Name != "ae" {
			builtin = append(builtin, c.Name)
		}
	}
	// The types written with binary COPY when decoded.
	binaryCols := strings.Split("id,i2,i4,i8,f4,f8,num,nump,b,ch,vc,tx,by,d,t,ts,tstz,t3,u,j,jb,ip,cd,e,m", ",")
	for _, c := range []struct {
		name    string
		columns []string
		pass    bool
		passed  int64
		text    bool
	}{
		{"pass-through", builtin, true, int64(len(allTypesRows)), false},
		{"decoded, text COPY", builtin, false, 0, true},
		{"decoded, binary COPY", binaryCols, false, 0, false},
		{"user-defined array declines pass-through", nil, true, 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dst.exec("TRUNCATE t")
			s := newSource(t, SourceConfig{DSN: srcDSN, Table: "t", Column: c.columns})
			k := newSink(t, SinkConfig{DSN: dstDSN, Table: "t", Column: c.columns, DisablePassThrough: !c.pass})
			res, err := run(t, s, k, datasync.WithParallelism(2))
			require.NoError(t, err)
			assert.Equal(t, int64(len(allTypesRows)), res.RecordsWritten)
			q := "SELECT * FROM t ORDER BY id"
			if c.columns != nil {
				q = "SELECT " + strings.Join(c.columns, ", ") + " FROM t ORDER BY id"
			}
			want, got := src.rows(q), dst.rows(q)
			require.Len(t, got, len(want))
			for i := range want {
				if want[i] != got[i] {
					diffColumns(t, want[i], got[i])
				}
			}
			assert.Equal(t, c.passed, k.passedThrough.Load(), "rows passed through")
			assert.Equal(t, c.text, k.textRows.Load() > 0, "text COPY used")
		})
	}
}

func diffColumns(t *testing.T, want, got string) {
	t.Helper()
	w, g := strings.Split(want, "|"), strings.Split(got, "|")
	for i := range w {
		if i >= len(g) || w[i] != g[i] {
			gv := "<missing>"
			if i < len(g) {
				gv = g[i]
			}
			if len(w[i]) > 200 {
				t.Errorf("row %s column %d differs (long values: %d vs %d bytes)", w[0], i, len(w[i]), len(gv))
				continue
			}
			t.Errorf("row %s column %d: want %q, got %q", w[0], i, w[i], gv)
		}
	}
}

// TestTypesDecode checks the values the source produces, kind and payload.
func TestTypesDecode(t *testing.T) {
	src := newDB(t)
	createAllTypes(src, "t")
	fillAllTypes(src, "t")
	s := newSource(t, SourceConfig{DSN: src.dsn + "&options=-c%20TimeZone%3DPacific%2FChatham", Table: "t"})
	schema, err := s.Schema(context.Background())
	require.NoError(t, err)
	coll := sink.Collect()
	_, err = run(t, s, coll)
	require.NoError(t, err)
	byID := map[int64]datasync.Record{}
	for _, r := range coll.Records() {
		id, _ := r[0].AsInt()
		byID[id] = r
	}
	col := func(id int64, name string) datasync.Value {
		i := schema.Index(name)
		require.GreaterOrEqual(t, i, 0, name)
		return byID[id][i]
	}
	kinds := map[string]datasync.Kind{"i8": datasync.KindInt, "f4": datasync.KindFloat, "num": datasync.KindDecimal,
		"b": datasync.KindBool, "tx": datasync.KindString, "by": datasync.KindBytes, "d": datasync.KindDate, "t": datasync.KindTime,
		"ttz": datasync.KindString, "ts": datasync.KindTimestamp, "iv": datasync.KindString, "u": datasync.KindString,
		"j": datasync.KindJSON, "jb": datasync.KindJSON, "ip": datasync.KindString, "e": datasync.KindString, "m": datasync.KindDecimal,
		"bt": datasync.KindString, "ai": datasync.KindJSON}
	for name, k := range kinds {
		assert.Equal(t, k, schema[schema.Index(name)].Kind, name)
	}
	assert.Equal(t, "numeric(30,10)", schema[schema.Index("nump")].Native)
	assert.Equal(t, 30, schema[schema.Index("nump")].Precision)
	assert.Equal(t, 10, schema[schema.Index("nump")].Scale)
	assert.Equal(t, 20, schema[schema.Index("vc")].Length)
	assert.Equal(t, 1, schema[schema.Index("id")].Key)
	assert.False(t, schema[schema.Index("id")].Nullable)

	assert.True(t, col(1, "tx").IsNull())
	assert.Equal(t, datasync.Int(math.MinInt64), col(2, "i8"))
	assert.Equal(t, datasync.Int(math.MaxInt64), col(3, "i8"))
	assert.Equal(t, datasync.Float(math.Inf(-1)), col(2, "f8"))
	assert.Equal(t, "NaN", col(2, "num").String())
	assert.Equal(t, "Infinity", col(3, "num").String())
	assert.Equal(t, "1234567890123456789012345678901234567890123456789012345678901234567890.123456789012345678901234567890", col(4, "num").String())
	assert.Equal(t, "-0.0000000001", col(4, "nump").String())
	assert.Equal(t, "-99999999999999999999.9999999999", col(2, "nump").String())
	assert.Equal(t, datasync.String(""), col(2, "tx"), "empty text is not NULL")
	assert.Equal(t, datasync.String("     "), col(2, "ch"), "char(n) keeps its padding")
	assert.Equal(t, []byte{0, 0xff, 0}, col(3, "by").Raw())
	assert.Equal(t, datasync.KindBytes, col(2, "by").Kind(), "empty bytea is not NULL")
	assert.Equal(t, "emoji 😀 and 中文 and \"quotes\" \\ back\\slash\ttab\nnewline", col(3, "tx").String())
	assert.Equal(t, -1, mustDate(t, col(2, "d")).Infinite())
	assert.Equal(t, "0001-01-01", col(4, "d").String())
	assert.Equal(t, "9999-12-31", col(5, "d").String())
	assert.Equal(t, "24:00:00", col(3, "t").String())
	assert.Equal(t, "12:34:56.789012", col(4, "t").String())
	ts := mustTS(t, col(4, "tstz"))
	assert.True(t, ts.IsInstant())
	assert.Equal(t, "2024-06-30 06:30:00.123456Z", ts.String(), "an instant, whatever the session's TimeZone")
	assert.False(t, mustTS(t, col(4, "ts")).IsInstant())
	assert.Equal(t, "9999-12-31 23:59:59.999999", col(5, "ts").String())
	assert.Equal(t, 1, mustTS(t, col(3, "tstz")).Infinite())
	assert.Equal(t, "1 year 2 mons 3 days 04:05:06.789", col(4, "iv").String())
	assert.Equal(t, "-1 days +02:03:00", col(5, "iv").String())
	assert.Equal(t, "-178000000 years", col(2, "iv").String())
	assert.Equal(t, "12:34:56.789012+05:30", col(4, "ttz").String())
	assert.Equal(t, "00:00:00+15:59", col(2, "ttz").String())
	assert.Equal(t, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", col(4, "u").String())
	assert.Equal(t, "192.168.1.5/24", col(4, "ip").String())
	assert.Equal(t, "::ffff:1.2.3.4", col(5, "ip").String())
	assert.Equal(t, "10.0.0.0/8", col(4, "cd").String())
	assert.Equal(t, "08:00:2b:01:02:03", col(4, "mac").String())
	assert.Equal(t, "ok", col(4, "e").String())
	assert.Equal(t, "-92233720368547758.08", col(2, "m").String())
	assert.Equal(t, "0.01", col(4, "m").String())
	assert.Equal(t, "0101", col(4, "bt").String())
	assert.Equal(t, `{"a": [true, false], "z": 1}`, col(3, "jb").String(), "as jsonb stores it")
	assert.Equal(t, `[2147483647,null,-2147483648]`, col(3, "ai").String())
	assert.Equal(t, `["a b","c,d","e\"f","g\\h",null,""]`, col(3, "atx").String())
	assert.Equal(t, `["NaN",1.5,-0.000001]`, col(3, "an").String())
	assert.Equal(t, `["2024-02-29","infinity","0044-03-15 BC"]`, col(3, "ad").String())
	assert.Equal(t, `["2024-06-30 06:30:00.123456+00","-infinity"]`, col(3, "ats").String())
	assert.Equal(t, `[[1,2],[3,4]]`, col(3, "ai2").String())
	assert.Equal(t, `[{"k": 1},null]`, col(3, "ajb").String())
	assert.Equal(t, `["NaN","Infinity","-Infinity",0.1]`, col(3, "af").String())
	assert.Equal(t, `["\\x00ff",null]`, col(3, "aby").String())
	assert.Equal(t, `[]`, col(2, "ai").String())
	assert.Equal(t, 10<<20, len(col(6, "tx").Raw()))
	f4, _ := col(4, "f4").AsFloat()
	assert.Equal(t, float32(0.1), float32(f4))
}

func mustDate(t *testing.T, v datasync.Value) datasync.Date {
	d, err := v.AsDate()
	require.NoError(t, err)
	return d
}

func mustTS(t *testing.T, v datasync.Value) datasync.Timestamp {
	ts, err := v.AsTimestamp()
	require.NoError(t, err)
	return ts
}

// TestOtherTypes copies types outside the mapping table (extension types,
// domains, geometric and range types, composites, tsvector): they travel as
// the server's text, and arrive unchanged.
func TestOtherTypes(t *testing.T) {
	src, dst := newDB(t), newDB(t)
	for _, d := range []*testDB{src, dst} {
		d.exec(`CREATE EXTENSION citext`, `CREATE EXTENSION hstore`,
			`CREATE DOMAIN posint AS int CHECK (VALUE > 0)`, `CREATE TYPE pair AS (a int, b text)`,
			`CREATE TABLE t (id posint PRIMARY KEY, ci citext, hs hstore, p point, r int4range, c pair, tv tsvector, x xml, pg pg_lsn)`)
	}
	src.exec(`INSERT INTO t VALUES (1, 'MiXeD', 'a=>1, b=>NULL', '(1.5,-2)', '[1,10)', ROW(7, 'seven'), 'a fat cat', '<a>x</a>', '16/B374D848'),
		(2, NULL, NULL, NULL, 'empty', NULL, NULL, NULL, NULL)`)
	for _, pass := range []bool{true, false} {
		dst.exec("TRUNCATE t")
		k := newSink(t, SinkConfig{DSN: dst.dsn, Table: "t", DisablePassThrough: !pass})
		_, err := run(t, newSource(t, SourceConfig{DSN: src.dsn, Table: "t"}), k)
		require.NoError(t, err)
		assert.Equal(t, src.rows("SELECT * FROM t ORDER BY id"), dst.rows("SELECT * FROM t ORDER BY id"))
	}
	// A domain, an extension's text type and xml pass through.
	dst.exec("TRUNCATE t")
	cols := []string{"id", "ci", "x"}
	k := newSink(t, SinkConfig{DSN: dst.dsn, Table: "t", Column: cols})
	_, err := run(t, newSource(t, SourceConfig{DSN: src.dsn, Table: "t", Column: cols}), k)
	require.NoError(t, err)
	assert.Equal(t, int64(2), k.passedThrough.Load())
	assert.Equal(t, src.rows("SELECT id, ci, x FROM t ORDER BY id"), dst.rows("SELECT id, ci, x FROM t ORDER BY id"))

	s := newSource(t, SourceConfig{DSN: src.dsn, Table: "t"})
	schema, err := s.Schema(context.Background())
	require.NoError(t, err)
	assert.Equal(t, datasync.KindInt, schema[0].Kind, "a domain reads as its base type")
	assert.Equal(t, "posint", schema[0].Native)
	assert.Equal(t, datasync.KindString, schema[1].Kind)
}
