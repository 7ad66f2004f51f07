package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"

	"github.com/datasync-go/datasync/bench/internal/report"
	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/internal/testsvc"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The whole harness against the test servers: every native tool of every
// scenario must move a small dataset and pass its check (or be reported
// unavailable when not installed), with the JSON output well formed.
func TestEndToEnd(t *testing.T) {
	pgServer, mysqlServer := testdb.PostgresServer(t), testdb.MySQLServer(t)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	db := "dstest_bench_" + hex.EncodeToString(b)
	t.Cleanup(func() { dropDatabases(t, pgServer, mysqlServer, db, db+"_target") })

	args := []string{"-rows", "300", "-runs", "1", "-json", "-db", db, "-dir", t.TempDir(),
		"-postgres", pgServer, "-mysql", mysqlServer}
	if addr := os.Getenv(testsvc.RedisEnv); addr != "" {
		args = append(args, "-redis", addr)
	} else if !testdb.Required() {
		args = append(args, "-only", "memory,*->pg,*->mysql,*->csv") // no Redis here
	}
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	require.Equal(t, exitOK, code, "stderr:\n%s", stderr.String())

	var rep report.Report
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &rep), stdout.String())
	assert.Equal(t, int64(300), rep.Dataset.Rows)
	assert.Len(t, rep.Dataset.Checksum, 32)
	natives := 0
	for _, r := range rep.Results {
		switch {
		case r.Native && r.Status == report.Unavailable:
			assert.Contains(t, r.Reason, "not installed", "%s %s", r.Scenario, r.Runner)
		case r.Native:
			natives++
			assert.Equal(t, report.OK, r.Status, "%s %s: %s", r.Scenario, r.Runner, r.Reason)
			assert.Positive(t, r.RowsPerSec)
			assert.Positive(t, r.PeakRSS)
		case libraryScenarios[r.Scenario] != nil:
			assert.Equal(t, report.OK, r.Status, "%s, parallelism %d: %s", r.Scenario, r.Parallelism, r.Reason)
		default:
			assert.Equal(t, report.NotWired, r.Status, r.Scenario)
		}
	}
	if hasTools("psql", "pg_dump", "mariadb", "mariadb-dump") {
		assert.GreaterOrEqual(t, natives, 10, "every tool but pgloader ran")
	}
}

// hasTools reports whether the harness would find every one of tools.
func hasTools(tools ...string) bool {
	e, err := newEnv(Config{Postgres: "postgres://localhost/x", MySQL: "root@tcp(localhost)/", Database: "x", Dir: "."})
	if err != nil {
		return false
	}
	for _, t := range tools {
		if e.tools[t] == "" {
			return false
		}
	}
	return true
}

func dropDatabases(t *testing.T, pgServer, mysqlServer string, names ...string) {
	ctx := context.Background()
	if conn, err := pgx.Connect(ctx, pgServer); err == nil {
		for _, n := range names {
			_, _ = conn.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", n)
			if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+n); err != nil {
				t.Errorf("drop %s: %v", n, err)
			}
		}
		conn.Close(ctx)
	}
	if db, err := sql.Open("mysql", mysqlServer); err == nil {
		for _, n := range names {
			if _, err := db.Exec("DROP DATABASE IF EXISTS " + n); err != nil {
				t.Errorf("drop %s: %v", n, err)
			}
		}
		db.Close()
	}
}
