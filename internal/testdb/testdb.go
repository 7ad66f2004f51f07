// Package testdb gives tests a real database, or skips them.
//
// Tests that need PostgreSQL or MySQL call Postgres(t) or MySQL(t), which
// create a fresh database for the test (dropped when it ends) on the server
// named by DATASYNC_TEST_POSTGRES_DSN or DATASYNC_TEST_MYSQL_DSN, and return
// its DSN. When the variable is unset the test is skipped, saying so; with
// DATASYNC_TEST_REQUIRE_DB=1 (as CI sets it) it fails instead, as it does
// when the server cannot be reached.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/datasync-go/datasync/internal/faultproxy"
	"github.com/datasync-go/datasync/internal/skipnotice"
)

// The environment variables.
const (
	PostgresEnv = "DATASYNC_TEST_POSTGRES_DSN"
	MySQLEnv    = "DATASYNC_TEST_MYSQL_DSN"
	RequireEnv  = "DATASYNC_TEST_REQUIRE_DB"
)

// Required reports whether missing databases fail tests rather than skip them.
func Required() bool { return os.Getenv(RequireEnv) == "1" }

// unavailable skips t, or fails it when databases are required.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if Required() {
		t.Fatalf("%s (%s=1)", msg, RequireEnv)
	}
	skipnotice.Note(msg, "set DATASYNC_TEST_POSTGRES_DSN and DATASYNC_TEST_MYSQL_DSN (README.md, \"Run the tests\")")
	t.Skip(msg)
}

// PostgresServer returns the DSN of DATASYNC_TEST_POSTGRES_DSN itself, or
// skips t. Most tests want Postgres instead.
func PostgresServer(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		unavailable(t, "%s is not set: skipping a test that needs PostgreSQL", PostgresEnv)
	}
	return dsn
}

// MySQLServer returns the DSN of DATASYNC_TEST_MYSQL_DSN itself, or skips t.
// Most tests want MySQL instead.
func MySQLServer(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(MySQLEnv)
	if dsn == "" {
		unavailable(t, "%s is not set: skipping a test that needs MySQL", MySQLEnv)
	}
	return dsn
}

// Postgres creates a database for t on the test server and returns a DSN
// that connects to it; the database is dropped when t ends.
func Postgres(t testing.TB) string {
	t.Helper()
	server := PostgresServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		unavailable(t, "cannot reach PostgreSQL at %s: %v", PostgresEnv, err)
	}
	defer conn.Close(ctx)
	name := "dstest_" + suffix()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("testdb: create PostgreSQL database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Errorf("testdb: drop %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		// Connections a test leaves open (a pool not yet closed) must not
		// keep the database alive.
		_, _ = conn.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name); err != nil {
			t.Errorf("testdb: drop %s: %v", name, err)
		}
	})
	dsn, err := withPostgresDatabase(server, name)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	return dsn
}

// withPostgresDatabase returns dsn (a URL or key=value string) pointing at
// database name.
func withPostgresDatabase(dsn, name string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("%s is not a valid URL: %w", PostgresEnv, err)
		}
		u.Path = "/" + name
		return u.String(), nil
	}
	return dsn + " dbname=" + name, nil // a later key wins
}

// MySQL creates a database for t on the test server and returns a DSN that
// connects to it; the database is dropped when t ends.
func MySQL(t testing.TB) string {
	t.Helper()
	server := MySQLServer(t)
	cfg, err := mysql.ParseDSN(server)
	if err != nil {
		t.Fatalf("testdb: %s: %v", MySQLEnv, err)
	}
	db, err := sql.Open("mysql", server)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		unavailable(t, "cannot reach MySQL at %s: %v", MySQLEnv, err)
	}
	name := "dstest_" + suffix()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4"); err != nil {
		t.Fatalf("testdb: create MySQL database %s: %v", name, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("mysql", server)
		if err != nil {
			t.Errorf("testdb: drop %s: %v", name, err)
			return
		}
		defer db.Close()
		if _, err := db.Exec("DROP DATABASE IF EXISTS " + name); err != nil {
			t.Errorf("testdb: drop %s: %v", name, err)
		}
	})
	cfg.DBName = name
	return cfg.FormatDSN()
}

func suffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// PostgresThrough starts a faultproxy in front of the server of dsn (as
// Postgres returns it) and returns a DSN that connects through the proxy,
// with the proxy, closed when t ends.
func PostgresThrough(t testing.TB, dsn string) (string, *faultproxy.Proxy) {
	t.Helper()
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	p := newProxy(t, net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))))
	host, port, _ := net.SplitHostPort(p.Addr())
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatalf("testdb: %v", err)
		}
		u.Host = p.Addr()
		return u.String(), p
	}
	return dsn + " host=" + host + " port=" + port, p // a later key wins
}

// MySQLThrough starts a faultproxy in front of the server of dsn (as MySQL
// returns it) and returns a DSN that connects through the proxy, with the
// proxy, closed when t ends.
func MySQLThrough(t testing.TB, dsn string) (string, *faultproxy.Proxy) {
	t.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	if cfg.Net != "tcp" {
		t.Fatalf("testdb: %s: a proxy needs a tcp address, not %s", MySQLEnv, cfg.Net)
	}
	p := newProxy(t, cfg.Addr)
	cfg.Addr = p.Addr()
	return cfg.FormatDSN(), p
}

func newProxy(t testing.TB, target string) *faultproxy.Proxy {
	t.Helper()
	p, err := faultproxy.New(target)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}
