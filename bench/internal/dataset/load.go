package dataset

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
)

// A loaded table carries its Spec's fingerprint as its table comment, set in
// the same transaction as the rows (PostgreSQL) or after the last row
// (MySQL), so that an interrupted load is never mistaken for a complete one.

// PostgresFingerprint returns the fingerprint of table, "" when the table
// does not exist or has none.
func PostgresFingerprint(ctx context.Context, conn *pgx.Conn, table string) (string, error) {
	var fp *string
	err := conn.QueryRow(ctx, "SELECT obj_description(to_regclass($1), 'pg_class')", table).Scan(&fp)
	if err != nil || fp == nil {
		return "", err
	}
	return *fp, nil
}

// LoadPostgres drops and recreates table and fills it with g's rows through
// COPY FROM STDIN, in one transaction.
func LoadPostgres(ctx context.Context, conn *pgx.Conn, table string, g *Generator) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	for _, stmt := range []string{"DROP TABLE IF EXISTS " + table, PostgresDDL(table)} {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", firstLine(stmt), err)
		}
	}
	copySQL := fmt.Sprintf("COPY %s (%s) FROM STDIN", table, ColumnList())
	if _, err := conn.PgConn().CopyFrom(ctx, NewReader(g, nil, AppendText), copySQL); err != nil {
		return fmt.Errorf("COPY into %s: %w", table, err)
	}
	if _, err := tx.Exec(ctx, fmt.Sprintf("COMMENT ON TABLE %s IS %s", table, quotePG(g.Spec().Fingerprint()))); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	// Set the hint bits and the visibility map now, so that the first run
	// that reads the table does not pay for writing them.
	_, err = conn.Exec(ctx, "VACUUM (FREEZE, ANALYZE) "+table)
	return err
}

// MySQLFingerprint returns the fingerprint of table in db's current
// database, "" when the table does not exist or has none.
func MySQLFingerprint(ctx context.Context, db *sql.DB, table string) (string, error) {
	var fp string
	err := db.QueryRowContext(ctx,
		"SELECT table_comment FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?", table).Scan(&fp)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return fp, err
}

// readerSeq numbers the LOAD DATA reader handlers, which are process-global.
var readerSeq atomic.Int64

// LoadMySQL drops and recreates table and fills it with g's rows: through
// LOAD DATA LOCAL INFILE when loadData is true (the server has local_infile
// on), with multi-row INSERTs otherwise.
func LoadMySQL(ctx context.Context, db *sql.DB, table string, g *Generator, loadData bool) error {
	for _, stmt := range []string{"DROP TABLE IF EXISTS `" + table + "`", MySQLDDL(table)} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", firstLine(stmt), err)
		}
	}
	var err error
	if loadData {
		name := fmt.Sprintf("datasync-bench-%d", readerSeq.Add(1))
		mysql.RegisterReaderHandler(name, func() io.Reader { return NewReader(g, nil, AppendText) })
		defer mysql.DeregisterReaderHandler(name)
		_, err = db.ExecContext(ctx, fmt.Sprintf(
			"LOAD DATA LOCAL INFILE 'Reader::%s' INTO TABLE `%s` CHARACTER SET utf8mb4 (%s)", name, table, ColumnList()))
	} else {
		err = insertMySQL(ctx, db, table, g)
	}
	if err != nil {
		return fmt.Errorf("load %s: %w", table, err)
	}
	if _, err := db.ExecContext(ctx, "ANALYZE TABLE `"+table+"`"); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, fmt.Sprintf("ALTER TABLE `%s` COMMENT = '%s'", table, g.Spec().Fingerprint()))
	return err
}

// CSVFingerprint returns the fingerprint stored beside the CSV file at path,
// "" when there is none.
func CSVFingerprint(path string) (string, error) {
	b, err := os.ReadFile(path + ".fingerprint")
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	return strings.TrimSpace(string(b)), err
}

// WriteCSV writes g's rows as a CSV file at path (see AppendCSV), through a
// temporary file renamed into place, then the fingerprint file beside it.
func WriteCSV(path string, g *Generator) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	_ = os.Remove(path + ".fingerprint")
	tmp, err := os.CreateTemp(filepath.Dir(path), ".bench-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) //nolint:errcheck // gone after the rename
	if _, err := io.Copy(tmp, NewReader(g, AppendCSVHeader(nil), AppendCSV)); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// Readable like any exported file (CreateTemp makes it private), so that
	// a tool running as another user (a server-side COPY) can read it too.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return os.WriteFile(path+".fingerprint", []byte(g.Spec().Fingerprint()+"\n"), 0o644)
}

func quotePG(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
