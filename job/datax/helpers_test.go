package datax_test

import (
	"database/sql"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"
)

// openDB opens a database/sql handle, closed when the test ends.
func openDB(t *testing.T, driver, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// exec runs statements, failing the test on the first error.
func exec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		_, err := db.Exec(s)
		require.NoError(t, err, s)
	}
}

// queryOne returns the first column of the first row of query, as text.
func queryOne(t *testing.T, db *sql.DB, query string) string {
	t.Helper()
	var v string
	require.NoError(t, db.QueryRow(query).Scan(&v), query)
	return v
}

// mustDate parses a yyyy-mm-dd date, in the local time zone.
func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02", s, time.Local)
	require.NoError(t, err)
	return d
}
