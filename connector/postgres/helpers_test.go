package postgres

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/internal/testtls"
)

// testDB is a fresh database for one test, with a connection to set it up.
type testDB struct {
	t    testing.TB
	dsn  string
	conn *pgx.Conn
}

func newDB(t testing.TB) *testDB {
	t.Helper()
	dsn := testdb.Postgres(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close(context.Background()) })
	return &testDB{t: t, dsn: dsn, conn: conn}
}

// exec runs SQL statements, failing the test on error.
func (d *testDB) exec(sqls ...string) {
	d.t.Helper()
	for _, sql := range sqls {
		_, err := d.conn.Exec(context.Background(), sql)
		require.NoError(d.t, err, sql)
	}
}

// strings returns the rows of a query as text, each row's columns joined by |.
func (d *testDB) rows(sql string) []string {
	d.t.Helper()
	rows, err := d.conn.Query(context.Background(), sql, pgx.QueryExecModeSimpleProtocol)
	require.NoError(d.t, err, sql)
	defer rows.Close()
	var out []string
	for rows.Next() {
		vals := rows.RawValues()
		line := ""
		for i, v := range vals {
			if i > 0 {
				line += "|"
			}
			if v == nil {
				line += "<NULL>"
			} else {
				line += string(v)
			}
		}
		out = append(out, line)
	}
	require.NoError(d.t, rows.Err())
	return out
}

func (d *testDB) count(table string) int64 {
	d.t.Helper()
	var n int64
	require.NoError(d.t, d.conn.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n))
	return n
}

func newSource(t testing.TB, cfg SourceConfig) *Source {
	t.Helper()
	s, err := NewSource(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func newSink(t testing.TB, cfg SinkConfig) *Sink {
	t.Helper()
	s, err := NewSink(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// run runs a pipeline and returns its result.
func run(t testing.TB, src datasync.Source, dst datasync.Sink, opts ...datasync.Option) (datasync.Result, error) {
	t.Helper()
	p, err := datasync.NewPipeline(src, dst, opts...)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return p.Run(ctx)
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// TestMain fails the package when a test leaves a goroutine behind: a pool,
// a connection or a COPY not closed. It stops the private TLS servers of
// tls_test.go first.
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
