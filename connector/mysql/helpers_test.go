package mysql_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/internal/testtls"
	"github.com/datasync-go/datasync/sink"
)

// TestMain stops the private TLS servers (see tls_test.go), and fails the
// package if any test leaves a goroutine behind.
func TestMain(m *testing.M) {
	code := m.Run()
	testtls.Stop()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

// env is a fresh test database: its DSN, and a one-connection pool in UTC
// for the test's own statements.
type env struct {
	t   *testing.T
	dsn string
	db  *sql.DB
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dsn := testdb.MySQL(t)
	db, err := sql.Open("mysql", dsn)
	require.NoError(t, err)
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	e := &env{t: t, dsn: dsn, db: db}
	e.exec("SET time_zone = '+00:00'")
	return e
}

func (e *env) exec(stmts ...string) {
	e.t.Helper()
	for _, s := range stmts {
		_, err := e.db.Exec(s)
		require.NoError(e.t, err, "%s", s)
	}
}

func (e *env) count(table string) int64 {
	e.t.Helper()
	var n int64
	require.NoError(e.t, e.db.QueryRow("SELECT COUNT(*) FROM "+table).Scan(&n))
	return n
}

// ints returns the values of an integer expression, sorted.
func (e *env) ints(q string) []int64 {
	e.t.Helper()
	rows, err := e.db.Query(q)
	require.NoError(e.t, err)
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		require.NoError(e.t, rows.Scan(&n))
		out = append(out, n)
	}
	require.NoError(e.t, rows.Err())
	slices.Sort(out)
	return out
}

// fingerprint returns every row of table as exact text, sorted: each
// column through an expression that shows all of its value.
func (e *env) fingerprint(table string) []string {
	e.t.Helper()
	rows, err := e.db.Query("SELECT COLUMN_NAME, LOWER(DATA_TYPE) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION", table)
	require.NoError(e.t, err)
	var exprs []string
	for rows.Next() {
		var name, typ string
		require.NoError(e.t, rows.Scan(&name, &typ))
		col := "`" + name + "`"
		var expr string
		switch typ {
		case "float":
			expr = col + " + 0e0"
		case "bit", "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "geometry", "point", "polygon", "linestring":
			expr = "HEX(" + col + ")"
		default:
			expr = "HEX(CAST(" + col + " AS CHAR))"
		}
		exprs = append(exprs, "IFNULL("+expr+", '<NULL>')")
	}
	require.NoError(e.t, rows.Err())
	rows.Close()
	rows, err = e.db.Query("SELECT CONCAT_WS('|', " + strings.Join(exprs, ", ") + ") FROM `" + table + "`")
	require.NoError(e.t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		require.NoError(e.t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(e.t, rows.Err())
	slices.Sort(out)
	return out
}

// sameTable checks that tables a and b hold the same rows, value for value,
// and reports the first differences briefly (their values can be long).
func (e *env) sameTable(a, b string) bool {
	e.t.Helper()
	fa, fb := e.fingerprint(a), e.fingerprint(b)
	if slices.Equal(fa, fb) {
		return true
	}
	short := func(s string) string {
		if len(s) > 60 {
			return s[:60] + fmt.Sprintf("...(%d)", len(s))
		}
		return s
	}
	reported := 0
	for i := 0; i < min(len(fa), len(fb)) && reported < 10; i++ {
		ca, cb := strings.Split(fa[i], "|"), strings.Split(fb[i], "|")
		for j := range min(len(ca), len(cb)) {
			if ca[j] != cb[j] && reported < 10 {
				e.t.Errorf("%s and %s differ: sorted row %d, column %d: %s != %s", a, b, i, j+1, short(ca[j]), short(cb[j]))
				reported++
			}
		}
	}
	if len(fa) != len(fb) {
		e.t.Errorf("%s has %d rows, %s %d", a, len(fa), b, len(fb))
	}
	return false
}

func (e *env) source(cfg mysql.SourceConfig) *mysql.Source {
	e.t.Helper()
	if cfg.DSN == "" && cfg.DB == nil {
		cfg.DSN = e.dsn
	}
	s, err := mysql.NewSource(cfg)
	require.NoError(e.t, err)
	e.t.Cleanup(func() { s.Close() })
	return s
}

func (e *env) sink(cfg mysql.SinkConfig) *mysql.Sink {
	e.t.Helper()
	if cfg.DSN == "" && cfg.DB == nil {
		cfg.DSN = e.dsn
	}
	s, err := mysql.NewSink(cfg)
	require.NoError(e.t, err)
	e.t.Cleanup(func() { s.Close() })
	return s
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

// run runs a pipeline and fails the test on error.
func run(t *testing.T, src datasync.Source, dst datasync.Sink, opts ...datasync.Option) datasync.Result {
	t.Helper()
	p, err := datasync.NewPipeline(src, dst, opts...)
	require.NoError(t, err)
	res, err := p.Run(ctx(t))
	require.NoError(t, err)
	return res
}

// collect reads src completely into memory.
func collect(t *testing.T, src datasync.Source, opts ...datasync.Option) []datasync.Record {
	t.Helper()
	c := sink.Collect()
	run(t, src, c, opts...)
	return c.Records()
}

// dirtyCollector keeps dirty records.
type dirtyCollector struct{ recs []datasync.DirtyRecord }

func (d *dirtyCollector) Collect(_ context.Context, r datasync.DirtyRecord) error {
	d.recs = append(d.recs, r)
	return nil
}
func (d *dirtyCollector) Flush(context.Context) error { return nil }

func (d *dirtyCollector) reasons() []string {
	var out []string
	for _, r := range d.recs {
		out = append(out, fmt.Sprintf("%s/%s: %v", r.Stage, r.Column, r.Err))
	}
	return out
}

func allowDirty(c *dirtyCollector) datasync.Option {
	return datasync.WithDirtyPolicy(datasync.DirtyPolicy{MaxRecords: -1, Collector: c})
}
