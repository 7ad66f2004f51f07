package cli

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/internal/testdb"
)

// TestIncrementalRunAndVerify runs an incremental DataX job twice with
// rows inserted and updated between the runs (the second with --verify),
// then verifies the target after rows of it were changed, removed and
// added: each difference is reported with its key range.
func TestIncrementalRunAndVerify(t *testing.T) {
	t.Setenv("DATASYNC_STATE_DIR", t.TempDir())
	dsn := testdb.Postgres(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer conn.Close(ctx)
	exec := func(stmts ...string) {
		t.Helper()
		for _, s := range stmts {
			_, err := conn.Exec(ctx, s)
			require.NoError(t, err, s)
		}
	}
	exec(`CREATE TABLE src (id int PRIMARY KEY, v text, amount numeric(10,2), version int NOT NULL)`,
		`CREATE TABLE dst (id int PRIMARY KEY, v text, amount numeric(10,3), version int NOT NULL)`,
		`INSERT INTO src SELECT i, 'v' || i, i / 8.0, i FROM generate_series(1, 40) i`)
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	jdbc := fmt.Sprintf("jdbc:postgresql://%s%s?sslmode=disable", u.Host, u.Path)
	path := writeJob(t, fmt.Sprintf(`{"job": {"content": [{
		"reader": {"name": "postgresqlreader", "parameter": {"username": %q, "password": "",
			"column": ["id", "v", "amount", "version"], "incrementalColumn": "version", "incrementalLookback": "2",
			"connection": [{"jdbcUrl": [%q], "table": ["src"]}]}},
		"writer": {"name": "postgresqlwriter", "parameter": {"username": %q, "password": "", "writeMode": "update",
			"column": ["id", "v", "amount", "version"], "connection": [{"jdbcUrl": %q, "table": ["dst"]}]}}
	}]}}`, u.User.Username(), jdbc, u.User.Username(), jdbc))

	r := runIn(t, "run", "--quiet", path)
	require.Equal(t, ExitOK, r.code, r.stderr)
	r = runIn(t, "verify", path)
	require.Equal(t, ExitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "verified: source and target hold the same 40 rows")

	exec(`INSERT INTO src SELECT i, 'v' || i, i / 8.0, i FROM generate_series(41, 45) i`,
		`UPDATE src SET v = 'changed', version = 46 WHERE id = 3`)
	r = runIn(t, "run", "-v", "--verify", path)
	require.Equal(t, ExitOK, r.code, r.stderr)
	assert.Contains(t, r.stderr, "incremental: rows with version past 40, up to 46")
	assert.Contains(t, r.stderr, "verified: source and target hold the same 45 rows")
	var copied int
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM dst WHERE v = 'changed'`).Scan(&copied))
	assert.Equal(t, 1, copied)

	exec(`UPDATE dst SET amount = amount + 0.001 WHERE id = 7`, `DELETE FROM dst WHERE id = 22`,
		`INSERT INTO dst VALUES (99, 'extra', 0, 99)`)
	r = runIn(t, "verify", "--range-rows", "10", path)
	require.Equal(t, ExitFailed, r.code, r.stderr)
	assert.Contains(t, r.stdout, "DIFFERENT: source 45 rows, target 45 rows; 3 of 5 key ranges differ")
	assert.Contains(t, r.stdout, "keys [1 .. 10]: source 10 rows, target 10 rows; 1 changed (7)")
	assert.Contains(t, r.stdout, "keys [21 .. 30]: source 10 rows, target 9 rows; 1 missing in the target (22)")
	assert.Contains(t, r.stdout, "keys [41 .. 99]: source 5 rows, target 6 rows; 1 extra in the target (99)")
}
