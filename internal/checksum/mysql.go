package checksum

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/datasync-go/datasync"
	_ "github.com/go-sql-driver/mysql" // the "mysql" database/sql driver
)

// MySQL returns the Sum of the columns of schema (by name) of every row of
// table in the MySQL database dsn (a go-sql-driver DSN), read through the
// text protocol as the mariadb client would show them.
func MySQL(ctx context.Context, dsn, table string, schema datasync.Schema) (Sum, error) {
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return Sum{}, err
	}
	defer db.Close()
	// A query without arguments runs unprepared: text protocol, values as
	// the server renders them.
	query := fmt.Sprintf("SELECT %s FROM `%s`", strings.Join(quoteAll(schema.Names(), "`"), ", "), table)
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return Sum{}, fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	raw := make([]sql.RawBytes, len(schema))
	dest := make([]any, len(schema))
	for i := range raw {
		dest[i] = &raw[i]
	}
	fields := make([][]byte, len(schema))
	h := NewHasher(schema)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return Sum{}, fmt.Errorf("read %s: %w", table, err)
		}
		for i, b := range raw {
			fields[i] = b // nil for NULL, non-nil (maybe empty) otherwise
		}
		if err := h.Add(fields); err != nil {
			return Sum{}, fmt.Errorf("%s: %w", table, err)
		}
	}
	if err := rows.Err(); err != nil {
		return Sum{}, fmt.Errorf("read %s: %w", table, err)
	}
	return h.Sum(), nil
}
