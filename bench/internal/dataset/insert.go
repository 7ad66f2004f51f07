package dataset

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/datasync-go/datasync"
)

// insertRows is how many rows one INSERT carries: 10,000 placeholders, far
// below the protocol's 65,535.
const insertRows = 1000

// insertMySQL fills table with multi-row INSERTs in one transaction: the
// slow path for a server that refuses LOAD DATA LOCAL.
func insertMySQL(ctx context.Context, db *sql.DB, table string, g *Generator) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	width := len(Schema())
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", width), ",") + ")"
	var stmt *sql.Stmt
	args := make([]any, 0, insertRows*width)
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		n := len(args) / width
		var err error
		if n == insertRows && stmt != nil {
			_, err = stmt.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, insertSQL(table, row, n), args...)
		}
		args = args[:0]
		return err
	}
	if g.Rows() >= insertRows {
		if stmt, err = tx.PrepareContext(ctx, insertSQL(table, row, insertRows)); err != nil {
			return err
		}
		defer stmt.Close()
	}
	err = g.Each(func(_ int64, r datasync.Record) error {
		for _, v := range r {
			args = append(args, sqlArg(v))
		}
		if len(args) == cap(args) {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return err
	}
	return tx.Commit()
}

func insertSQL(table, row string, n int) string {
	return fmt.Sprintf("INSERT INTO `%s` (%s) VALUES %s", table, ColumnList(), strings.TrimSuffix(strings.Repeat(row+",", n), ","))
}

// sqlArg returns v as a database/sql argument that MySQL stores exactly.
func sqlArg(v datasync.Value) any {
	switch v.Kind() {
	case datasync.KindNull:
		return nil
	case datasync.KindInt:
		i, _ := v.AsInt()
		return i
	case datasync.KindFloat:
		f, _ := v.AsFloat()
		return f
	case datasync.KindBool:
		b, _ := v.AsBool()
		return b
	}
	return v.String() // strings, decimals, dates and timestamps as text
}
