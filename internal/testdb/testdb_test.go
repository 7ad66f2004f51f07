package testdb_test

import (
	"context"
	"database/sql"
	"testing"

	_ "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"

	"github.com/datasync-go/datasync/internal/testdb"
)

func TestPostgresGivesAFreshDatabase(t *testing.T) {
	dsn := testdb.Postgres(t)
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var name string
	if err := conn.QueryRow(context.Background(), "SELECT current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	if len(name) < 8 || name[:7] != "dstest_" {
		t.Fatalf("connected to %q, not a test database", name)
	}
}

func TestMySQLGivesAFreshDatabase(t *testing.T) {
	dsn := testdb.MySQL(t)
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var name string
	if err := db.QueryRow("SELECT DATABASE()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	if len(name) < 8 || name[:7] != "dstest_" {
		t.Fatalf("connected to %q, not a test database", name)
	}
}
