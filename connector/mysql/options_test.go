package mysql_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/source"
)

// TestCallersDB reads and writes through the caller's own pool, whose DSN
// asks for parseTime, a local time zone, latin1 and a session time zone:
// the values are still exact, and the connections go back to the pool with
// the caller's settings.
func TestCallersDB(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE src "+allTypes, "INSERT INTO src VALUES "+strings.Join(allTypesRows, ",\n"), "CREATE TABLE dst "+allTypes)
	db, err := sql.Open("mysql", e.dsn+"?parseTime=true&loc=Asia%2FShanghai&charset=latin1&time_zone=%27%2B08%3A00%27")
	require.NoError(t, err)
	defer db.Close()
	db.SetMaxOpenConns(3)
	run(t, e.source(mysql.SourceConfig{DB: db, Table: "src", Splits: 2}), e.sink(mysql.SinkConfig{DB: db, Table: "dst"}))
	e.sameTable("src", "dst")

	// The same settings in a DSN the package opens itself change nothing
	// either.
	e.exec("CREATE TABLE dst2 " + allTypes)
	odd := e.dsn + "?parseTime=true&loc=Asia%2FShanghai&charset=latin1&time_zone=%27%2B08%3A00%27"
	run(t, e.source(mysql.SourceConfig{DSN: odd, Table: "src"}), e.sink(mysql.SinkConfig{DSN: odd, Table: "dst2"}))
	e.sameTable("src", "dst2")
	for range 3 {
		var tz, cs string
		require.NoError(t, db.QueryRow("SELECT @@time_zone, @@character_set_client").Scan(&tz, &cs))
		assert.Equal(t, "+08:00", tz)
		assert.Equal(t, "latin1", cs)
	}
	require.NoError(t, db.Ping(), "the caller's pool is still open")

	// Session statements cannot be undone: those connections are closed.
	e.exec("DELETE FROM dst")
	run(t, e.source(mysql.SourceConfig{DB: db, Table: "src", Session: []string{"SET @ds_marker = 1"}}),
		e.sink(mysql.SinkConfig{DB: db, Table: "dst", Session: []string{"SET @ds_marker = 2"}}))
	for range 3 {
		var marker sql.NullInt64
		require.NoError(t, db.QueryRow("SELECT @ds_marker").Scan(&marker))
		assert.False(t, marker.Valid)
	}
	e.sameTable("src", "dst")
}

// TestSessionStatements run on the connections of a DSN pool.
func TestSessionStatements(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE t (id int PRIMARY KEY, s varchar(40))", "INSERT INTO t VALUES (1, 'x')")
	recs := collect(t, e.source(mysql.SourceConfig{QuerySQL: "SELECT id, @ds_marker AS s FROM t", Session: []string{"SET @ds_marker = 'from session'"}}))
	require.Len(t, recs, 1)
	assert.Equal(t, "from session", recs[0][1].String())
}

// TestCreateTable creates a missing target from a MySQL source's schema
// (keeping the native types the kinds cannot tell) and from a schema of
// kinds alone, and writes it.
func TestCreateTable(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE src "+allTypes, "INSERT INTO src VALUES "+strings.Join(allTypesRows, ",\n"))
	src := e.source(mysql.SourceConfig{Table: "src"})
	run(t, src, e.sink(mysql.SinkConfig{Table: "made", CreateTable: true}))
	want := collect(t, src)
	got := collect(t, e.source(mysql.SourceConfig{Table: "made"}))
	assert.ElementsMatch(t, want, got)
	var key string
	require.NoError(t, e.db.QueryRow("SELECT COLUMN_KEY FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'made' AND COLUMN_NAME = 'id'").Scan(&key))
	assert.Equal(t, "PRI", key)

	schema := ds.Schema{
		{Name: "id", Kind: ds.KindInt, Key: 1}, {Name: "ok", Kind: ds.KindBool, Nullable: true},
		{Name: "f", Kind: ds.KindFloat, Nullable: true}, {Name: "d", Kind: ds.KindDecimal, Precision: 40, Scale: 10, Nullable: true},
		{Name: "big", Kind: ds.KindDecimal, Nullable: true}, {Name: "s", Kind: ds.KindString, Length: 20, Nullable: true},
		{Name: "long", Kind: ds.KindString, Nullable: true}, {Name: "b", Kind: ds.KindBytes, Nullable: true},
		{Name: "day", Kind: ds.KindDate, Nullable: true}, {Name: "t", Kind: ds.KindTime, Precision: 3, Nullable: true},
		{Name: "at", Kind: ds.KindTimestamp, Precision: 6, Nullable: true}, {Name: "j", Kind: ds.KindJSON, Nullable: true},
	}
	dec := func(s string) ds.Value { v, _ := ds.Decimal(s); return v }
	tod, _ := ds.ParseTimeOfDay("-12:34:56.789")
	at, _ := ds.ParseTimestamp("2024-05-06 07:08:09.123456Z")
	rec := ds.Record{ds.Int(1), ds.Bool(true), ds.Float(0.1), dec("123456789012345678901234567890.0123456789"), dec("-1.5"),
		ds.String("twenty characters..."), ds.String(strings.Repeat("é", 300)), ds.Bytes([]byte{0, 1, 2}),
		ds.DateValue(ds.DateOf(2024, 2, 29)), ds.TimeValue(tod), ds.TimestampValue(at), ds.JSON(`{"k":[1,2]}`)}
	run(t, source.FromRecords(schema, []ds.Record{rec}), e.sink(mysql.SinkConfig{Table: "kinds", CreateTable: true}))
	got = collect(t, e.source(mysql.SourceConfig{Table: "kinds"}))
	require.Len(t, got, 1)
	wantBack := rec.Clone()
	wantBack[1] = ds.Int(1)                                // tinyint(1) reads as Int unless TinyIntAsBool
	wantBack[4] = dec("-1.500000000000000000000000000000") // decimal(65,30) when the precision is unknown
	wantBack[10] = ds.TimestampValue(at.AsWallClock())     // datetime: the instant's UTC reading
	assert.Equal(t, wantBack, got[0])
}

// TestPreAndPostSQL runs truncate, preSql and postSql once per job, with
// @table replaced.
func TestPreAndPostSQL(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE src (id int PRIMARY KEY)", "INSERT INTO src VALUES (1), (2), (3)",
		"CREATE TABLE dst (id int PRIMARY KEY)", "INSERT INTO dst VALUES (100)", "CREATE TABLE log (msg varchar(20))")
	run(t, e.source(mysql.SourceConfig{Table: "src", Splits: 3}), e.sink(mysql.SinkConfig{
		Table:    "dst",
		Truncate: true,
		PreSQL:   []string{"INSERT INTO @table VALUES (0)", "INSERT INTO log VALUES ('pre')"},
		PostSQL:  []string{"UPDATE @table SET id = id + 10 WHERE id = 0", "INSERT INTO log VALUES ('post')"},
	}), ds.WithParallelism(3))
	assert.Equal(t, []int64{1, 2, 3, 10}, e.ints("SELECT id FROM dst"))
	assert.Equal(t, int64(1), e.count("log WHERE msg = 'pre'"))
	assert.Equal(t, int64(1), e.count("log WHERE msg = 'post'"))
}

// TestBatchSizeBoundsStatements makes INSERT statements of BatchSize rows.
func TestBatchSizeBoundsStatements(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE src (id int PRIMARY KEY)", "CREATE TABLE dst (id int PRIMARY KEY)")
	insertRows(e, "src", 1000, func(i int) string { return fmt.Sprintf("(%d)", i) })
	dst := e.sink(mysql.SinkConfig{Table: "dst", LoadData: mysql.LoadDataOff, BatchSize: 100})
	run(t, e.source(mysql.SourceConfig{Table: "src"}), dst, ds.WithBatchSize(1000, 1<<20))
	assert.Equal(t, int64(1000), e.count("dst"))
	_, _, inserts, _ := mysql.Stats(dst)
	assert.Equal(t, int64(10), inserts)
}

// TestQualifiedTable reads and writes tables of another database than the
// DSN's, named db.table.
func TestQualifiedTable(t *testing.T) {
	e, other := newEnv(t), newEnv(t)
	cfg, err := gomysql.ParseDSN(other.dsn)
	require.NoError(t, err)
	other.exec("CREATE TABLE `src t` (id int PRIMARY KEY)", "INSERT INTO `src t` VALUES (1), (2)", "CREATE TABLE dst (id int PRIMARY KEY)")
	run(t, e.source(mysql.SourceConfig{Table: cfg.DBName + ".`src t`", Splits: 2}), e.sink(mysql.SinkConfig{Table: "`" + cfg.DBName + "`.dst"}))
	assert.Equal(t, []int64{1, 2}, other.ints("SELECT id FROM dst"))
}
