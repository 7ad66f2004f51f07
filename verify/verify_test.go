package verify_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	filesource "github.com/datasync-go/datasync/connector/file"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/connector/postgres"
	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/verify"
)

// TestComparePostgresWithMySQL compares a PostgreSQL table with a MySQL
// one holding the same values in other types (numeric(12,4) and
// decimal(12,2), timestamptz and datetime(6), bytea and varbinary, NULL
// beside ”): they verify equal. Then one changed value, one missing row
// and one extra row are each found, with their key range.
func TestComparePostgresWithMySQL(t *testing.T) {
	ctx := context.Background()
	pgDSN, myDSN := testdb.Postgres(t), testdb.MySQL(t)
	pg, err := pgx.Connect(ctx, pgDSN)
	require.NoError(t, err)
	defer pg.Close(ctx)
	my, err := sql.Open("mysql", myDSN)
	require.NoError(t, err)
	defer my.Close()
	for _, q := range []string{
		`CREATE TABLE t (id int PRIMARY KEY, amount numeric(12,4), at timestamptz, raw bytea, note text, ratio float8)`,
		`INSERT INTO t SELECT i, i * 1.25, '2026-01-01 00:00:00+08'::timestamptz + i * interval '1 minute',
			decode(lpad(to_hex(i), 4, '0'), 'hex'), CASE WHEN i % 3 = 0 THEN NULL WHEN i % 3 = 1 THEN '' ELSE 'n' || i END, i / 10.0
			FROM generate_series(1, 100) i`,
	} {
		_, err := pg.Exec(ctx, q)
		require.NoError(t, err, q)
	}
	for _, q := range []string{
		"CREATE TABLE t (id BIGINT PRIMARY KEY, amount DECIMAL(12,2), at DATETIME(6), raw VARBINARY(10), note VARCHAR(20), ratio DOUBLE)",
		`INSERT INTO t WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
			SELECT i, i * 1.25, TIMESTAMP('2025-12-31 16:00:00') + INTERVAL i MINUTE, UNHEX(LPAD(HEX(i), 4, '0')),
			CASE WHEN i % 3 = 0 THEN NULL WHEN i % 3 = 1 THEN '' ELSE CONCAT('n', i) END, i / 10e0 FROM n`,
	} {
		_, err := my.Exec(q)
		require.NoError(t, err, q)
	}
	src, err := postgres.NewSource(postgres.SourceConfig{DSN: pgDSN, Table: "t"})
	require.NoError(t, err)
	defer src.Close()
	dst, err := mysql.NewSource(mysql.SourceConfig{DSN: myDSN, Table: "t"})
	require.NoError(t, err)
	defer dst.Close()
	o := verify.Options{RangeRows: 10}

	rep, err := verify.Compare(ctx, src, dst, o)
	require.NoError(t, err)
	assert.True(t, rep.Equal(), "%+v", rep.Diffs)
	assert.EqualValues(t, 100, rep.SourceRows)
	assert.Equal(t, 10, rep.Ranges)

	for _, q := range []string{
		"UPDATE t SET note = NULL WHERE id = 13", // '' became NULL
		"DELETE FROM t WHERE id = 57",
		"INSERT INTO t VALUES (1000, 1, NULL, NULL, NULL, NULL)",
	} {
		_, err := my.Exec(q)
		require.NoError(t, err, q)
	}
	rep, err = verify.Compare(ctx, src, dst, o)
	require.NoError(t, err)
	require.False(t, rep.Equal())
	require.Len(t, rep.Diffs, 3, "%v", rep.Diffs)
	assert.Equal(t, verify.RangeDiff{From: "11", To: "20", SourceRows: 10, TargetRows: 10, Changed: 1, ChangedKeys: []string{"13"}}, rep.Diffs[0])
	assert.Equal(t, verify.RangeDiff{From: "51", To: "60", SourceRows: 10, TargetRows: 9, Missing: 1, MissingKeys: []string{"57"}}, rep.Diffs[1])
	// Ranges cut the keys of both sides: 101 of them, the last alone.
	assert.Equal(t, verify.RangeDiff{From: "1000", To: "1000", SourceRows: 0, TargetRows: 1, Extra: 1, ExtraKeys: []string{"1000"}}, rep.Diffs[2])
	assert.Contains(t, rep.Diffs[1].String(), "keys [51 .. 60]: source 10 rows, target 9 rows; 1 missing in the target (57)")

	// Spilled to temporary files (7 rows a run) and merged: the same report.
	dir := t.TempDir()
	spilled, err := verify.Compare(ctx, src, dst, verify.Options{RangeRows: 10, MemoryRows: 7, TempDir: dir})
	require.NoError(t, err)
	assert.Equal(t, rep, spilled)
	left, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, left, "the runs are removed")

	// A key that is not unique is refused.
	_, err = verify.Compare(ctx, src, dst, verify.Options{Key: []string{"ratio"}})
	require.NoError(t, err, "ratio is unique")
	_, err = verify.Compare(ctx, src, dst, verify.Options{Key: []string{"note"}})
	require.ErrorContains(t, err, "several rows with the key")
}

// TestCompareFileWithPostgres compares a CSV file, read as text, with a
// PostgreSQL table: the file's "12.50" equals numeric 12.5, its wall-clock
// UTC time equals a timestamptz, its quoted "" is the empty string and its
// \N is NULL, and a file row whose NULL became an empty string is found.
func TestCompareFileWithPostgres(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.Postgres(t)
	pg, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer pg.Close(ctx)
	_, err = pg.Exec(ctx, `CREATE TABLE t (id bigint PRIMARY KEY, amount numeric(10,3), at timestamptz, note text, ok boolean);
		INSERT INTO t VALUES (1, 12.5, '2026-01-01 08:00:00+08', '', true), (2, -0.001, NULL, NULL, false), (10, 3, '2026-06-01 12:30:00.25+00', 'x,y', NULL)`)
	require.NoError(t, err)
	dir := t.TempDir()
	write := func(body string) string {
		p := filepath.Join(dir, "t.csv")
		require.NoError(t, os.WriteFile(p, []byte("id,amount,at,note,ok\n"+body), 0o600))
		return p
	}
	path := write("10,3.000,2026-06-01 12:30:00.250000,\"x,y\",\\N\n1,12.50,2026-01-01 00:00:00,\"\",t\n2,-0.0010,\\N,\\N,false\n")
	file, err := filesource.NewSource(filesource.SourceConfig{Path: []string{path}, ReadOptions: text.ReadOptions{SkipHeader: true, Column: []text.ColumnSpec{{Name: "*"}}}})
	require.NoError(t, err)
	table, err := postgres.NewSource(postgres.SourceConfig{DSN: dsn, Table: "t"})
	require.NoError(t, err)
	defer table.Close()
	rep, err := verify.Compare(ctx, file, table, verify.Options{Key: []string{"id"}})
	require.NoError(t, err)
	assert.True(t, rep.Equal(), "%v", rep.Diffs)

	write("10,3.000,2026-06-01 12:30:00.250000,\"x,y\",\\N\n1,12.50,2026-01-01 00:00:00,\"\",t\n2,-0.0010,\\N,\"\",false\n")
	rep, err = verify.Compare(ctx, file, table, verify.Options{Key: []string{"id"}})
	require.NoError(t, err)
	require.Len(t, rep.Diffs, 1)
	assert.Equal(t, []string{"2"}, rep.Diffs[0].ChangedKeys, "NULL and '' differ")
	assert.Equal(t, "1", rep.Diffs[0].From)
	assert.Equal(t, "10", rep.Diffs[0].To, "numeric keys in numeric order")
}

// TestCompareSinkReadsBackFiles copies a PostgreSQL table to CSV files and
// verifies them through the file sink's ReadBack: equal, then a file line
// removed is found.
func TestCompareSinkReadsBackFiles(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.Postgres(t)
	pg, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer pg.Close(ctx)
	_, err = pg.Exec(ctx, `CREATE TABLE t (id bigint PRIMARY KEY, amount numeric(10,3), at timestamptz, day date, raw bytea, note text);
		INSERT INTO t SELECT i, i / 3.0, '2026-01-01 00:00:00+00'::timestamptz + i * interval '1 hour', '2026-01-01'::date + i,
			decode(md5(i::text), 'hex'), CASE WHEN i % 2 = 0 THEN '' END FROM generate_series(1, 200) i`)
	require.NoError(t, err)
	src, err := postgres.NewSource(postgres.SourceConfig{DSN: dsn, Table: "t", Splits: 3})
	require.NoError(t, err)
	defer src.Close()
	dir := t.TempDir()
	sink, err := filesource.NewSink(filesource.SinkConfig{Path: dir, FileName: "t", WriteOptions: text.WriteOptions{
		WriteHeader: true, DateFormat: "yyyy/MM/dd", Format: text.Format{BytesFormat: text.BytesHex}}})
	require.NoError(t, err)
	p, err := datasync.NewPipeline(src, sink)
	require.NoError(t, err)
	_, err = p.Run(ctx)
	require.NoError(t, err)

	rep, err := verify.CompareSink(ctx, src, sink, verify.Options{RangeRows: 50})
	require.NoError(t, err)
	assert.True(t, rep.Equal(), "%v", rep.Diffs)
	assert.EqualValues(t, 200, rep.TargetRows)

	files, err := filepath.Glob(filepath.Join(dir, "t_*"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	data, err := os.ReadFile(files[0])
	require.NoError(t, err)
	lines := strings.SplitAfter(string(data), "\n")
	require.NoError(t, os.WriteFile(files[0], []byte(strings.Join(append(lines[:2:2], lines[3:]...), "")), 0o600))
	rep, err = verify.CompareSink(ctx, src, sink, verify.Options{RangeRows: 50})
	require.NoError(t, err)
	require.Len(t, rep.Diffs, 1)
	assert.Equal(t, 1, rep.Diffs[0].Missing)
}
