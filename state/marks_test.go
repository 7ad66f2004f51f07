package state_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/connector/postgres"
	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/state"
)

// incrementalDB is one database of a test, PostgreSQL or MySQL, as the
// few statements the tests need.
type incrementalDB interface {
	exec(t *testing.T, stmts ...string)
	rows(t *testing.T, q string) []string
}

type pgDB struct{ conn *pgx.Conn }

func (d pgDB) exec(t *testing.T, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		_, err := d.conn.Exec(context.Background(), s)
		require.NoError(t, err, s)
	}
}

func (d pgDB) rows(t *testing.T, q string) []string {
	t.Helper()
	rows, err := d.conn.Query(context.Background(), q)
	require.NoError(t, err, q)
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	return out
}

type myDB struct{ db *sql.DB }

func (d myDB) exec(t *testing.T, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		_, err := d.db.Exec(s)
		require.NoError(t, err, s)
	}
}

func (d myDB) rows(t *testing.T, q string) []string {
	t.Helper()
	rows, err := d.db.Query(q)
	require.NoError(t, err, q)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	return out
}

// TestIncrementalPostgres copies a PostgreSQL table by its updated_at
// column, with rows inserted and updated between runs: the target equals
// the source after each run, each run reads only the rows past the mark
// (with a lookback), and a failed run does not move the mark.
func TestIncrementalPostgres(t *testing.T) {
	dsn := testdb.Postgres(t)
	conn, err := pgx.Connect(context.Background(), dsn)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	db := pgDB{conn}
	db.exec(t, `CREATE TABLE src (id int PRIMARY KEY, v text, updated_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
		`CREATE TABLE dst (id int PRIMARY KEY, v text, updated_at timestamptz)`,
		`INSERT INTO src SELECT i, 'v' || i, '2026-01-01 00:00:00+00'::timestamptz + i * interval '1 second' FROM generate_series(1, 100) i`)
	same := func() {
		t.Helper()
		q := `SELECT id || '|' || coalesce(v, '<null>') || '|' || updated_at FROM %s ORDER BY id`
		assert.Equal(t, db.rows(t, strings.Replace(q, "%s", "src", 1)), db.rows(t, strings.Replace(q, "%s", "dst", 1)))
	}
	store, err := state.Open(t.TempDir())
	require.NoError(t, err)
	src, err := postgres.NewSource(postgres.SourceConfig{DSN: dsn, Table: "src",
		Incremental: datasync.Incremental{Column: "updated_at", Lookback: 1500 * time.Millisecond}})
	require.NoError(t, err)
	defer src.Close()
	dst, err := postgres.NewSink(postgres.SinkConfig{DSN: dsn, Table: "dst", WriteMode: postgres.WriteUpsert})
	require.NoError(t, err)
	defer dst.Close()
	ctx := context.Background()
	run := func() datasync.Result {
		t.Helper()
		res, err := state.RunIncremental(ctx, store, "job", "task0", src, dst, datasync.WithParallelism(2))
		require.NoError(t, err)
		return res
	}

	res := run()
	assert.EqualValues(t, 100, res.RecordsRead, "the first run copies everything")
	same()
	m, ok, err := store.Mark("job", "task0")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "updated_at", m.Column)

	res = run()
	assert.EqualValues(t, 2, res.RecordsRead, "nothing changed: the lookback's rows (the last 1.5 s) are read again")

	db.exec(t, `INSERT INTO src SELECT i, 'v' || i, '2026-01-01 00:00:00+00'::timestamptz + i * interval '1 second' FROM generate_series(101, 110) i`,
		`UPDATE src SET v = 'changed', updated_at = '2026-01-01 01:00:00+00' WHERE id IN (3, 50)`)
	res = run()
	assert.EqualValues(t, 2+10+2, res.RecordsRead, "the lookback's rows, the new ones and the updated ones")
	same()

	// A failed run copies nothing durable and leaves the mark.
	before, _, err := store.Mark("job", "task0")
	require.NoError(t, err)
	db.exec(t, `UPDATE src SET v = NULL, updated_at = '2026-01-01 02:00:00+00' WHERE id = 7`)
	broken := sink.Func(func(context.Context, datasync.Record) error { return errors.New("the target broke") })
	_, err = state.RunIncremental(ctx, store, "job", "task0", src, broken, datasync.WithRetry(0, 0))
	require.Error(t, err)
	after, _, err := store.Mark("job", "task0")
	require.NoError(t, err)
	assert.Equal(t, before, after, "a failed run does not move the mark")
	res = run()
	assert.EqualValues(t, 3, res.RecordsRead, "the failed run's row, and the two at the mark (lookback)")
	same()

	// A sink that replaces its table each run is refused.
	refresh, err := postgres.NewSink(postgres.SinkConfig{DSN: dsn, Table: "dst", AtomicRefresh: true})
	require.NoError(t, err)
	defer refresh.Close()
	_, err = state.RunIncremental(ctx, store, "job", "task0", src, refresh)
	require.ErrorContains(t, err, "empties or replaces its table")

	// The mark is of one column: another column refuses until cleared.
	other, err := postgres.NewSource(postgres.SourceConfig{DSN: dsn, Table: "src", Incremental: datasync.Incremental{Column: "id"}})
	require.NoError(t, err)
	defer other.Close()
	_, err = store.BeginIncremental(ctx, "job", "task0", other)
	require.ErrorContains(t, err, "clear the job's marks")
	require.NoError(t, store.ClearMarks("job"))
	_, ok, err = store.Mark("job", "task0")
	require.NoError(t, err)
	assert.False(t, ok)
}

// TestIncrementalMySQL copies a MySQL table by its growing id, with a
// lookback of ids, into a MySQL table in replace mode, with rows inserted
// between runs and a run that fails.
func TestIncrementalMySQL(t *testing.T) {
	dsn := testdb.MySQL(t)
	sqlDB, err := sql.Open("mysql", dsn)
	require.NoError(t, err)
	defer sqlDB.Close()
	db := myDB{sqlDB}
	db.exec(t, "CREATE TABLE src (id BIGINT PRIMARY KEY, v VARCHAR(20), amount DECIMAL(12,2)) ENGINE=InnoDB",
		"CREATE TABLE dst (id BIGINT PRIMARY KEY, v VARCHAR(20), amount DECIMAL(12,2)) ENGINE=InnoDB",
		"INSERT INTO src WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) SELECT i, CONCAT('v', i), i / 4 FROM n")
	same := func() {
		t.Helper()
		q := "SELECT CONCAT_WS('|', id, IFNULL(v, '<null>'), amount) FROM %s ORDER BY id"
		a, b := db.rows(t, strings.Replace(q, "%s", "src", 1)), db.rows(t, strings.Replace(q, "%s", "dst", 1))
		assert.True(t, slices.Equal(a, b), "source %d rows, target %d rows", len(a), len(b))
	}
	store, err := state.Open(t.TempDir())
	require.NoError(t, err)
	src, err := mysql.NewSource(mysql.SourceConfig{DSN: dsn, Table: "src", Incremental: datasync.Incremental{Column: "id", LookbackUnits: 5}})
	require.NoError(t, err)
	defer src.Close()
	dst, err := mysql.NewSink(mysql.SinkConfig{DSN: dsn, Table: "dst", WriteMode: mysql.WriteReplace})
	require.NoError(t, err)
	defer dst.Close()
	ctx := context.Background()
	run := func() datasync.Result {
		t.Helper()
		res, err := state.RunIncremental(ctx, store, "job", "orders", src, dst)
		require.NoError(t, err)
		return res
	}
	assert.EqualValues(t, 50, run().RecordsRead)
	same()
	assert.EqualValues(t, 5, run().RecordsRead, "only the lookback's rows again")
	db.exec(t, "INSERT INTO src VALUES (51, 'new', 1.25), (60, NULL, NULL)", "UPDATE src SET v = 'late' WHERE id = 47")
	assert.EqualValues(t, 7, run().RecordsRead, "ids 46..50 again (47 changed), then 51 and 60")
	same()
	m, _, err := store.Mark("job", "orders")
	require.NoError(t, err)
	assert.Equal(t, "60", m.Value)

	db.exec(t, "INSERT INTO src VALUES (61, 'x', 0)")
	broken := sink.Func(func(context.Context, datasync.Record) error { return errors.New("the target broke") })
	_, err = state.RunIncremental(ctx, store, "job", "orders", src, broken, datasync.WithRetry(0, 0))
	require.Error(t, err)
	m, _, err = store.Mark("job", "orders")
	require.NoError(t, err)
	assert.Equal(t, "60", m.Value, "a failed run does not move the mark")
	db.exec(t, "INSERT INTO src VALUES (62, 'after the failure', 0)")
	assert.EqualValues(t, 2, run().RecordsRead, "the failed run's range again: ids past 60 - 5 up to 61, not 62")
	m, _, err = store.Mark("job", "orders")
	require.NoError(t, err)
	assert.Equal(t, "61", m.Value)
	assert.EqualValues(t, 3, run().RecordsRead, "ids past 61 - 5: 60, 61 and 62")
	same()
}

// TestIncrementalMySQLByTime copies a MySQL table by a DATETIME(6) column
// with a lookback of one second, into PostgreSQL by upsert.
func TestIncrementalMySQLByTime(t *testing.T) {
	myDSN, pgDSN := testdb.MySQL(t), testdb.Postgres(t)
	sqlDB, err := sql.Open("mysql", myDSN)
	require.NoError(t, err)
	defer sqlDB.Close()
	my := myDB{sqlDB}
	conn, err := pgx.Connect(context.Background(), pgDSN)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	pg := pgDB{conn}
	my.exec(t, "CREATE TABLE src (id INT PRIMARY KEY, v VARCHAR(20), changed DATETIME(6) NOT NULL) ENGINE=InnoDB",
		"INSERT INTO src WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30) SELECT i, CONCAT('v', i), TIMESTAMP('2026-01-01 00:00:00') + INTERVAL i SECOND FROM n")
	pg.exec(t, "CREATE TABLE dst (id int PRIMARY KEY, v text, changed timestamp)")
	same := func() {
		t.Helper()
		a := my.rows(t, "SELECT CONCAT_WS('|', id, v, DATE_FORMAT(changed, '%Y-%m-%d %H:%i:%s')) FROM src ORDER BY id")
		b := pg.rows(t, "SELECT concat_ws('|', id, v, to_char(changed, 'YYYY-MM-DD HH24:MI:SS')) FROM dst ORDER BY id")
		assert.Equal(t, a, b)
	}
	store, err := state.Open(t.TempDir())
	require.NoError(t, err)
	src, err := mysql.NewSource(mysql.SourceConfig{DSN: myDSN, Table: "src", Incremental: datasync.Incremental{Column: "changed", Lookback: time.Second}})
	require.NoError(t, err)
	defer src.Close()
	dst, err := postgres.NewSink(postgres.SinkConfig{DSN: pgDSN, Table: "dst", WriteMode: postgres.WriteUpsert})
	require.NoError(t, err)
	defer dst.Close()
	run := func() int64 {
		t.Helper()
		res, err := state.RunIncremental(context.Background(), store, "job", "t", src, dst)
		require.NoError(t, err)
		return res.RecordsRead
	}
	assert.EqualValues(t, 30, run())
	same()
	m, _, err := store.Mark("job", "t")
	require.NoError(t, err)
	assert.Equal(t, "2026-01-01 00:00:30.000000", m.Value)
	assert.EqualValues(t, 1, run(), "the row within the lookback (the mark's own second)")
	my.exec(t, "UPDATE src SET v = 'late', changed = '2026-01-01 00:00:30.5' WHERE id = 4", "INSERT INTO src VALUES (31, 'new', '2026-01-01 00:01:00')")
	assert.EqualValues(t, 3, run(), "ids 30 and 4 (within a second of the mark or past it) and 31")
	same()
}
