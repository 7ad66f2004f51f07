package crossdb_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	_ "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/connector/oss"
	"github.com/datasync-go/datasync/connector/oss/osstest"
	"github.com/datasync-go/datasync/connector/postgres"
	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/internal/testdb"
)

// The common types, as MySQL and PostgreSQL spell them.
const mysqlTable = `(
	id bigint PRIMARY KEY,
	i int, si smallint, b bigint,
	d decimal(30,10), f double,
	vc varchar(100), tx text,
	bin varbinary(100),
	dt date, dtm datetime(6), ts timestamp(6) NULL,
	tm time(6),
	js json,
	flag tinyint(1)
) CHARACTER SET utf8mb4`

const postgresTable = `(
	id bigint PRIMARY KEY,
	i integer, si smallint, b bigint,
	d numeric(30,10), f double precision,
	vc varchar(100), tx text,
	bin bytea,
	dt date, dtm timestamp(6), ts timestamptz(6),
	tm time(6),
	js jsonb,
	flag boolean
)`

// rows are NULLs, the extremes, and awkward text.
var mysqlRows = []string{
	`(1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
	`(2, -2147483648, -32768, -9223372036854775808, -99999999999999999999.9999999999, -1.7976931348623157e308,
	  '', 'emoji 😀, 中文, and a NUL-free line', x'00ff00', '1000-01-01', '1000-01-01 00:00:00.000001',
	  '1970-01-01 00:00:01.000001', '00:00:00', '{"a": [1, 2.5, "x"]}', 1)`,
	`(3, 2147483647, 32767, 9223372036854775807, 99999999999999999999.9999999999, 2.2250738585072014e-308,
	  REPEAT('é', 100), 'line1\nline2\t"quoted" \\ back', x'', '9999-12-31', '9999-12-31 23:59:59.999999',
	  '2038-01-19 03:14:07.999999', '23:59:59.999999', '[]', 0)`,
	`(4, 0, 0, 0, 0.0000000001, 0.1, 'x', '', x'7f', '2024-02-29', '2024-02-29 12:34:56.5', '2024-02-29 12:34:56.5',
	  '12:00:00.5', '{"nested": {"k": null}}', 1)`,
}

// rendered selects every column of a MySQL table as comparable text.
const rendered = `SELECT id, i, si, b, d, f, vc, tx, HEX(bin), dt, dtm, ts, tm, CAST(js AS CHAR), flag FROM %s ORDER BY id`

func mysqlDB(t *testing.T, dsn string) *sql.DB {
	db, err := sql.Open("mysql", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	_, err = db.Exec("SET time_zone = '+00:00'")
	require.NoError(t, err)
	return db
}

func exec(t *testing.T, db *sql.DB, stmts ...string) {
	for _, s := range stmts {
		_, err := db.Exec(s)
		require.NoError(t, err, s)
	}
}

func texts(t *testing.T, db *sql.DB, query string) [][]string {
	rows, err := db.Query(query)
	require.NoError(t, err)
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = "NULL"
			if v.Valid {
				row[i] = v.String
			}
		}
		out = append(out, row)
	}
	require.NoError(t, rows.Err())
	return out
}

func pgConn(t *testing.T, dsn string) *pgx.Conn {
	conn, err := pgx.Connect(context.Background(), dsn)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func move(t *testing.T, src datasync.Source, dst datasync.Sink) datasync.Result {
	t.Helper()
	p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(2))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	return res
}

func TestMySQLToPostgresAndBack(t *testing.T) {
	myDSN, pgDSN := testdb.MySQL(t), testdb.Postgres(t)
	my := mysqlDB(t, myDSN)
	exec(t, my, "CREATE TABLE src "+mysqlTable, "CREATE TABLE back "+mysqlTable,
		"INSERT INTO src VALUES "+strings.Join(mysqlRows, ", "))
	pg := pgConn(t, pgDSN)
	_, err := pg.Exec(context.Background(), "CREATE TABLE dst "+postgresTable)
	require.NoError(t, err)

	mySrc, err := mysql.NewSource(mysql.SourceConfig{DSN: myDSN, Table: "src", TinyIntAsBool: true})
	require.NoError(t, err)
	defer mySrc.Close()
	pgDst, err := postgres.NewSink(postgres.SinkConfig{DSN: pgDSN, Table: "dst"})
	require.NoError(t, err)
	defer pgDst.Close()
	assert.Equal(t, int64(len(mysqlRows)), move(t, mySrc, pgDst).RecordsWritten)

	// What PostgreSQL holds, checked on its own terms.
	var ts, dtm, tm, js, d, bin, tx string
	require.NoError(t, pg.QueryRow(context.Background(), `SELECT ts::text, dtm::text, tm::text, js::text, d::text,
		encode(bin, 'hex'), tx FROM dst WHERE id = 3`).Scan(&ts, &dtm, &tm, &js, &d, &bin, &tx))
	_, err = pg.Exec(context.Background(), "SET TimeZone = 'UTC'")
	require.NoError(t, err)
	require.NoError(t, pg.QueryRow(context.Background(), `SELECT ts::text FROM dst WHERE id = 3`).Scan(&ts))
	assert.Equal(t, "2038-01-19 03:14:07.999999+00", ts, "a MySQL TIMESTAMP is an instant")
	assert.Equal(t, "9999-12-31 23:59:59.999999", dtm, "a DATETIME is a wall-clock time")
	assert.Equal(t, "23:59:59.999999", tm)
	assert.Equal(t, "[]", js)
	assert.Equal(t, "99999999999999999999.9999999999", d)
	assert.Equal(t, "", bin)
	assert.Equal(t, "line1\nline2\t\"quoted\" \\ back", tx)

	pgSrc, err := postgres.NewSource(postgres.SourceConfig{DSN: pgDSN, Table: "dst"})
	require.NoError(t, err)
	defer pgSrc.Close()
	myDst, err := mysql.NewSink(mysql.SinkConfig{DSN: myDSN, Table: "back"})
	require.NoError(t, err)
	defer myDst.Close()
	assert.Equal(t, int64(len(mysqlRows)), move(t, pgSrc, myDst).RecordsWritten)

	want := texts(t, my, fmt.Sprintf(rendered, "src"))
	got := texts(t, my, fmt.Sprintf(rendered, "back"))
	assert.Equal(t, want, got, "MySQL -> PostgreSQL -> MySQL gives back every value")
}

func TestPostgresThroughOSSToMySQL(t *testing.T) {
	myDSN, pgDSN := testdb.MySQL(t), testdb.Postgres(t)
	pg := pgConn(t, pgDSN)
	ctx := context.Background()
	for _, q := range []string{
		"CREATE TABLE src " + postgresTable,
		`INSERT INTO src VALUES
		 (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
		 (2, -2147483648, -32768, -9223372036854775808, -99999999999999999999.9999999999, -1.7976931348623157e308,
		  '', 'emoji 😀, "quotes", commas, and
a newline', '\x00ff00', '1000-01-01', '1000-01-01 00:00:00.000001', '1970-01-01 00:00:01.000001+00', '00:00:00',
		  '{"a": [1, 2.5, "x"]}', true),
		 (3, 7, 7, 7, 0.5, 0.1, 'plain', '\N is not NULL here', '\x', '2024-02-29', '2024-02-29 12:34:56.5',
		  '2024-02-29 12:34:56.5+08', '12:00:00.5', '[]', false)`,
	} {
		_, err := pg.Exec(ctx, q)
		require.NoError(t, err, q)
	}
	srv := osstest.NewServer(osstest.WithBuckets("lake"))
	defer srv.Close()
	conn := oss.SourceConfig{Endpoint: srv.Endpoint, Bucket: "lake", AccessID: srv.AccessKeyID, AccessKey: srv.AccessKeySecret}

	pgSrc, err := postgres.NewSource(postgres.SourceConfig{DSN: pgDSN, Table: "src"})
	require.NoError(t, err)
	defer pgSrc.Close()
	ossDst, err := oss.NewSink(oss.SinkConfig{Endpoint: conn.Endpoint, Bucket: conn.Bucket, AccessID: conn.AccessID,
		AccessKey: conn.AccessKey, Object: "export/orders", WriteOptions: text.WriteOptions{WriteHeader: true}})
	require.NoError(t, err)
	move(t, pgSrc, ossDst)
	require.NotEmpty(t, srv.Keys("lake", "export/"))

	schema, err := pgSrc.Schema(ctx)
	require.NoError(t, err)
	var columns []text.ColumnSpec
	for _, c := range schema {
		columns = append(columns, text.ColumnNamed(c.Name, c.Kind))
	}
	conn.Object = []string{"export/orders*"}
	conn.ReadOptions = text.ReadOptions{SkipHeader: true, Column: columns}
	ossSrc, err := oss.NewSource(conn)
	require.NoError(t, err)
	my := mysqlDB(t, myDSN)
	exec(t, my, "CREATE TABLE dst "+mysqlTable)
	myDst, err := mysql.NewSink(mysql.SinkConfig{DSN: myDSN, Table: "dst"})
	require.NoError(t, err)
	defer myDst.Close()
	assert.Equal(t, int64(3), move(t, ossSrc, myDst).RecordsWritten)

	got := texts(t, my, fmt.Sprintf(rendered, "dst"))
	assert.Equal(t, [][]string{
		{"1", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"},
		{"2", "-2147483648", "-32768", "-9223372036854775808", "-99999999999999999999.9999999999", "-1.7976931348623157e+308",
			"", "emoji 😀, \"quotes\", commas, and\na newline", "00FF00", "1000-01-01", "1000-01-01 00:00:00.000001",
			"1970-01-01 00:00:01.000001", "00:00:00.000000", `{"a": [1, 2.5, "x"]}`, "1"},
		{"3", "7", "7", "7", "0.5000000000", "0.1", "plain", `\N is not NULL here`, "", "2024-02-29", "2024-02-29 12:34:56.500000",
			"2024-02-29 04:34:56.500000", "12:00:00.500000", "[]", "0"},
	}, got, "PostgreSQL -> OSS (CSV) -> MySQL keeps every value, NULL apart from the empty string")
}
