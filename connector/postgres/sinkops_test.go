package postgres

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/source"
)

func TestPreSQLPostSQLAndTruncate(t *testing.T) {
	db := newDB(t)
	db.exec(`CREATE TABLE "Target" (id int PRIMARY KEY, v text)`, `INSERT INTO "Target" VALUES (-1, 'old')`,
		`CREATE TABLE log (what text, n bigint)`)
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "v", Kind: datasync.KindString}}
	recs := []datasync.Record{{datasync.Int(1), datasync.String("a")}, {datasync.Int(2), datasync.String("b")}}
	k := newSink(t, SinkConfig{DSN: db.dsn, Table: `"Target"`, Truncate: true,
		PreSQL:  []string{`INSERT INTO log SELECT 'pre', count(*) FROM @table`},
		PostSQL: []string{`INSERT INTO log SELECT 'post', count(*) FROM @table`}})
	_, err := run(t, source.FromRecords(schema, recs), k)
	require.NoError(t, err)
	assert.Equal(t, []string{"1|a", "2|b"}, db.rows(`SELECT * FROM "Target" ORDER BY id`), "truncated, then loaded")
	assert.Equal(t, []string{"pre|1", "post|2"}, db.rows(`SELECT * FROM log`))

	// A failed job runs no post-SQL.
	db.exec(`TRUNCATE log`)
	bad := append(recs, datasync.Record{datasync.Int(3), datasync.Null()}, datasync.Record{datasync.Int(3), datasync.String("dup")})
	k = newSink(t, SinkConfig{DSN: db.dsn, Table: `"Target"`, PostSQL: []string{`INSERT INTO log VALUES ('post', 0)`}})
	_, err = run(t, source.FromRecords(schema, bad[2:]), k)
	require.ErrorIs(t, err, datasync.ErrDirtyLimit)
	assert.Empty(t, db.rows(`SELECT * FROM log`))
}

// TestCreateTable creates the target from the schemas of a PostgreSQL
// source and of a MySQL-like one, with types that hold the values.
func TestCreateTable(t *testing.T) {
	src, dst := newDB(t), newDB(t)
	createAllTypes(src, "t")
	fillAllTypes(src, "t")
	s := newSource(t, SourceConfig{DSN: src.dsn, Table: "t"})
	k := newSink(t, SinkConfig{DSN: dst.dsn, Table: "copy", CreateTable: true})
	_, err := run(t, s, k)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"id|integer|NO", "i2|smallint|YES", "i4|integer|YES", "i8|bigint|YES", "f4|real|YES", "f8|double precision|YES",
		"num|numeric|YES", "nump|numeric(30,10)|YES", "b|boolean|YES", "ch|character(5)|YES", "vc|character varying(20)|YES",
		"tx|text|YES", "by|bytea|YES", "d|date|YES", "t|time without time zone|YES", "ttz|time with time zone|YES",
		"ts|timestamp without time zone|YES", "tstz|timestamp with time zone|YES", "t3|timestamp(3) without time zone|YES",
		"iv|interval|YES", "u|uuid|YES", "j|json|YES", "jb|jsonb|YES", "ip|inet|YES", "cd|cidr|YES", "mac|macaddr|YES",
		"mac8|macaddr8|YES", "e|text|YES", "m|numeric|YES", "bt|bit(4)|YES", "vb|bit varying(10)|YES",
		"ai|integer[]|YES", "atx|text[]|YES", "an|numeric[]|YES", "ad|date[]|YES", "ats|timestamp with time zone[]|YES",
		"ab|boolean[]|YES", "ae|json|YES", "ai2|integer[]|YES", "ajb|jsonb[]|YES", "af|double precision[]|YES",
		"aby|bytea[]|YES", "aiv|interval[]|YES", "au|uuid[]|YES",
	}, dst.rows(`SELECT a.attname, format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END
		FROM pg_attribute a WHERE a.attrelid = 'copy'::regclass AND a.attnum > 0 ORDER BY a.attnum`))
	assert.Equal(t, []string{"copy_pkey"}, dst.rows(`SELECT conname FROM pg_constraint WHERE conrelid = 'copy'::regclass AND contype = 'p'`))
	q := "SELECT id, i2, i8, f8, num, nump, b, ch, vc, md5(tx), by, d, t, ts, tstz, iv, u, j, ip, m::numeric FROM %s ORDER BY id"
	assert.Equal(t, src.rows(sprintf(q, "t")), dst.rows(sprintf(q, "copy")))

	mysqlLike := datasync.Schema{
		{Name: "id", Kind: datasync.KindInt, Native: "int unsigned", Key: 1},
		{Name: "flag", Kind: datasync.KindInt, Native: "tinyint(4)", Nullable: true},
		{Name: "name", Kind: datasync.KindString, Native: "varchar(64)", Length: 64, Nullable: true},
		{Name: "price", Kind: datasync.KindDecimal, Native: "decimal(10,2)", Precision: 10, Scale: 2},
		{Name: "at", Kind: datasync.KindTimestamp, Native: "datetime(3)", Precision: 3},
		{Name: "stamp", Kind: datasync.KindTimestamp, Native: "timestamp", Nullable: true},
		{Name: "doc", Kind: datasync.KindJSON, Native: "json", Nullable: true},
		{Name: "raw", Kind: datasync.KindBytes, Native: "blob", Nullable: true},
		{Name: "ratio", Kind: datasync.KindFloat, Native: "float", Nullable: true},
	}
	k = newSink(t, SinkConfig{DSN: dst.dsn, Table: "from_mysql", CreateTable: true})
	require.NoError(t, k.Check(context.Background(), mysqlLike), "Check accepts a table it may create")
	require.NoError(t, k.Prepare(context.Background(), mysqlLike))
	assert.Equal(t, []string{"id|bigint", "flag|smallint", "name|character varying(64)", "price|numeric(10,2)",
		"at|timestamp(3) without time zone", "stamp|timestamp with time zone", "doc|json", "raw|bytea", "ratio|real"},
		dst.rows(`SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = 'from_mysql'::regclass AND a.attnum > 0 ORDER BY a.attnum`))
}
