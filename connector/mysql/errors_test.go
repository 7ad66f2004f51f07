package mysql_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/internal/testdb"
)

func TestConfigErrors(t *testing.T) {
	for _, c := range []struct {
		cfg  mysql.SourceConfig
		want string
	}{
		{mysql.SourceConfig{Table: "t"}, "set dsn or DB"},
		{mysql.SourceConfig{DSN: "root@tcp(h)/db"}, "set table or querySql"},
		{mysql.SourceConfig{DSN: "root@tcp(h)/db", Table: "t", QuerySQL: "SELECT 1"}, "not both"},
		{mysql.SourceConfig{DSN: "root@tcp(h)/db", QuerySQL: "SELECT 1", Column: []string{"a"}}, "column cannot be used with querySql"},
		{mysql.SourceConfig{DSN: "root@tcp(h)/db", QuerySQL: "SELECT 1", SplitPK: "a"}, "splitPk cannot be used"},
		{mysql.SourceConfig{DSN: "root@tcp(h)/db", Table: "t", ZeroDate: "zero"}, `zeroDate "zero"`},
		{mysql.SourceConfig{DSN: "root@tcp(h)/db", Table: "a.b.c"}, "want table or db.table"},
		{mysql.SourceConfig{DSN: "root:sekrit@tcp(h/db", Table: "t"}, "dsn:"},
		{mysql.SourceConfig{DSN: "root@tcp(h)/db", Table: "t", FetchSize: -1}, "fetchSize -1"},
	} {
		_, err := mysql.NewSource(c.cfg)
		require.Error(t, err, "%+v", c.cfg)
		assert.Contains(t, err.Error(), c.want)
		assert.NotContains(t, err.Error(), "sekrit")
	}
	for _, c := range []struct {
		cfg  mysql.SinkConfig
		want string
	}{
		{mysql.SinkConfig{DSN: "root@tcp(h)/db"}, "set table"},
		{mysql.SinkConfig{DSN: "root@tcp(h)/db", Table: "t", WriteMode: "upsert"}, `writeMode "upsert"`},
		{mysql.SinkConfig{DSN: "root@tcp(h)/db", Table: "t", LoadData: "always"}, `loadData "always"`},
		{mysql.SinkConfig{DSN: "root@tcp(h)/db", Table: "t", BatchSize: -5}, "batchSize -5"},
		{mysql.SinkConfig{DSN: "root@tcp(h)/db", Table: "t", Column: []string{"a", " "}}, "column 2 is empty"},
	} {
		_, err := mysql.NewSink(c.cfg)
		require.Error(t, err, "%+v", c.cfg)
		assert.Contains(t, err.Error(), c.want)
	}
}

// TestNoPasswordInErrors connects with a wrong password.
func TestNoPasswordInErrors(t *testing.T) {
	dsn := testdb.MySQLServer(t)
	cfg := strings.Replace(dsn, "@", ":Sekrit-Passw0rd@", 1)
	if strings.Contains(dsn, ":") && strings.Index(dsn, ":") < strings.Index(dsn, "@") {
		cfg = dsn[:strings.Index(dsn, ":")] + ":Sekrit-Passw0rd" + dsn[strings.Index(dsn, "@"):]
	}
	src, err := mysql.NewSource(mysql.SourceConfig{DSN: cfg, Table: "t"})
	require.NoError(t, err)
	defer src.Close()
	_, err = src.Schema(ctx(t))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "Sekrit")
	assert.Contains(t, err.Error(), "Access denied")
}

// TestBadInputFailsBeforeAnyRowMoves: every mistake in the table, the
// columns or the types is reported by Check and by Run before the sink's
// table is touched: its truncate and preSql never run.
func TestBadInputFailsBeforeAnyRowMoves(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE src (id int PRIMARY KEY, name varchar(10), at datetime)", "INSERT INTO src VALUES (1, 'a', '2024-01-01')",
		"CREATE TABLE src_nokey (id int, name varchar(10), at datetime)",
		"CREATE TABLE dst (id int PRIMARY KEY, name varchar(10), at datetime, extra int NOT NULL)",
		"CREATE TABLE dst_ok (id int PRIMARY KEY, name varchar(10), at datetime)",
		"CREATE TABLE dst_int (id int PRIMARY KEY, name varchar(10), at int)",
		"CREATE TABLE dst_gen (id int PRIMARY KEY, name varchar(10), at datetime, g int AS (id + 1))",
		"CREATE TABLE dst_nokey (id int, name varchar(10), at datetime)",
		"CREATE TABLE dst_myisam (id int PRIMARY KEY, name varchar(10), at datetime) ENGINE=MyISAM")
	for _, table := range []string{"dst_ok", "dst_int", "dst_gen", "dst_nokey", "dst_myisam"} {
		if table == "dst_gen" {
			e.exec("INSERT INTO " + table + " (id, name, at) VALUES (99, 'sentinel', NULL)")
			continue
		}
		e.exec("INSERT INTO " + table + " (id, name) VALUES (99, 'sentinel')")
	}
	ok := mysql.SourceConfig{Table: "src"}
	cases := []struct {
		name string
		src  mysql.SourceConfig
		dst  mysql.SinkConfig
		want string
	}{
		{"missing source table", mysql.SourceConfig{Table: "nope"}, mysql.SinkConfig{Table: "dst_ok"}, "table nope does not exist"},
		{"missing source column", mysql.SourceConfig{Table: "src", Column: []string{"id", "nope"}}, mysql.SinkConfig{Table: "dst_ok"}, `column "nope" is not in table`},
		{"missing split column", mysql.SourceConfig{Table: "src", SplitPK: "nope"}, mysql.SinkConfig{Table: "dst_ok"}, `splitPk column "nope"`},
		{"bad where", mysql.SourceConfig{Table: "src", Where: "id ==== 1"}, mysql.SinkConfig{Table: "dst_ok"}, "syntax"},
		{"bad query", mysql.SourceConfig{QuerySQL: "SELECT nope FROM src"}, mysql.SinkConfig{Table: "dst_ok"}, "Unknown column"},
		{"missing sink table", ok, mysql.SinkConfig{Table: "nope"}, "table nope does not exist (set createTable"},
		{"sink column count", ok, mysql.SinkConfig{Table: "dst_ok", Column: []string{"id", "name"}}, "column lists 2 columns but the source has 3"},
		{"sink column missing", ok, mysql.SinkConfig{Table: "dst_ok", Column: []string{"id", "name", "nope"}}, `column "nope" does not exist`},
		{"source column not in sink", mysql.SourceConfig{QuerySQL: "SELECT id, name, at AS other FROM src"}, mysql.SinkConfig{Table: "dst_ok"}, `no column "other"`},
		{"incompatible type", ok, mysql.SinkConfig{Table: "dst_int"}, "cannot take the Timestamp values"},
		{"generated column", ok, mysql.SinkConfig{Table: "dst_gen", Column: []string{"id", "g", "at"}}, "generated"},
		{"NOT NULL column not written", ok, mysql.SinkConfig{Table: "dst"}, `"extra" is NOT NULL without a default`},
		{"update without a key", ok, mysql.SinkConfig{Table: "dst_nokey", WriteMode: "update"}, "needs a primary or unique key"},
		{"non-transactional", ok, mysql.SinkConfig{Table: "dst_myisam"}, "engine MyISAM cannot roll back"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dst := c.dst
			target := dst.Table
			dst.Truncate = true
			dst.PreSQL = []string{"DELETE FROM @table"}
			src, snk := e.source(c.src), e.sink(dst)
			p, err := ds.NewPipeline(src, snk)
			require.NoError(t, err)
			checkErr := p.Check(ctx(t))
			require.Error(t, checkErr)
			assert.Contains(t, checkErr.Error(), c.want)
			_, runErr := p.Run(ctx(t))
			require.Error(t, runErr)
			assert.Contains(t, runErr.Error(), c.want)
			if target != "nope" && target != "dst" {
				assert.Equal(t, int64(1), e.count(target+" WHERE id = 99"), "the target was not touched")
			}
		})
	}
	t.Run("good", func(t *testing.T) {
		p, err := ds.NewPipeline(e.source(ok), e.sink(mysql.SinkConfig{Table: "dst_ok"}))
		require.NoError(t, err)
		require.NoError(t, p.Check(ctx(t)))
		p, err = ds.NewPipeline(e.source(mysql.SourceConfig{Table: "src_nokey"}), e.sink(mysql.SinkConfig{Table: "dst_ok", WriteMode: "update"}))
		require.NoError(t, err)
		require.NoError(t, p.Check(ctx(t)))
		assert.Equal(t, int64(1), e.count("dst_ok"), "Check changes nothing")
	})
}
