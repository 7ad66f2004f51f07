package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// relation is what the catalog says of a table: its columns with their
// types, and its unique keys.
type relation struct {
	oid     uint32
	sql     string // quoted and schema-qualified, for statements
	display string // schema.name, for messages
	kind    byte   // relkind: r table, p partitioned, v view, m materialized view, f foreign
	pages   int64  // relpages: blocks at the last VACUUM or ANALYZE
	tuples  float64
	cols    []relColumn
	keys    [][]int // unique keys as column indexes; the primary key first when there is one
	hasPK   bool
	version int // server_version_num
}

type relColumn struct {
	name      string
	num       int16
	typ       *pgType
	notNull   bool
	generated bool // GENERATED ALWAYS AS (...) STORED: cannot be written
}

// noTableError is the error of a table that does not exist.
type noTableError struct{ table string }

func (e *noTableError) Error() string {
	return "postgres: table " + e.table + " does not exist (or the user cannot see it)"
}

func isNoTable(err error) bool {
	var e *noTableError
	return errors.As(err, &e)
}

// loadRelation reads the catalog entry of table n.
func loadRelation(ctx context.Context, conn *pgx.Conn, n name, ts *types) (*relation, error) {
	r := &relation{}
	if err := conn.QueryRow(ctx, `SELECT current_setting('server_version_num')::int`).Scan(&r.version); err != nil {
		return nil, classify(fmt.Errorf("postgres: read the server version: %w", err))
	}
	found, err := r.find(ctx, conn, n)
	if err == nil && !found && n.folds() {
		found, err = r.find(ctx, conn, n.asWritten())
	}
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, &noTableError{table: n.sql()}
	}
	if err := r.loadColumns(ctx, conn, ts); err != nil {
		return nil, err
	}
	if err := r.loadKeys(ctx, conn); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *relation) find(ctx context.Context, conn *pgx.Conn, n name) (bool, error) {
	var nsp, rel, kind string
	err := conn.QueryRow(ctx, `SELECT c.oid, n.nspname, c.relname, c.relkind::text, c.relpages, c.reltuples
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE c.oid = to_regclass($1)`, n.sql()).Scan(&r.oid, &nsp, &rel, &kind, &r.pages, &r.tuples)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, classify(fmt.Errorf("postgres: look up table %s: %w", n.sql(), err))
	}
	r.kind = kind[0]
	r.sql = quoteIdent(nsp) + "." + quoteIdent(rel)
	r.display = nsp + "." + rel
	return true, nil
}

func (r *relation) loadColumns(ctx context.Context, conn *pgx.Conn, ts *types) error {
	generated := "false"
	if r.version >= 120000 {
		generated = "a.attgenerated <> ''"
	}
	rows, err := conn.Query(ctx, `SELECT a.attname, a.attnum, a.atttypid, a.atttypmod, a.attnotnull, `+generated+`
		FROM pg_catalog.pg_attribute a WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, r.oid)
	if err != nil {
		return classify(fmt.Errorf("postgres: read the columns of %s: %w", r.display, err))
	}
	var oids []uint32
	var mods []int32
	for rows.Next() {
		var c relColumn
		var oid uint32
		var mod int32
		if err := rows.Scan(&c.name, &c.num, &oid, &mod, &c.notNull, &c.generated); err != nil {
			rows.Close()
			return fmt.Errorf("postgres: read the columns of %s: %w", r.display, err)
		}
		r.cols = append(r.cols, c)
		oids, mods = append(oids, oid), append(mods, mod)
	}
	if err := rows.Err(); err != nil {
		return classify(fmt.Errorf("postgres: read the columns of %s: %w", r.display, err))
	}
	typs, err := ts.resolve(ctx, conn, oids, mods)
	if err != nil {
		return err
	}
	for i := range r.cols {
		r.cols[i].typ = typs[i]
	}
	return nil
}

func (r *relation) loadKeys(ctx context.Context, conn *pgx.Conn) error {
	keyAtts := ""
	if r.version >= 110000 {
		keyAtts = " AND k.o <= i.indnkeyatts" // not the INCLUDE columns
	}
	rows, err := conn.Query(ctx, `SELECT i.indisprimary, array_agg(k.n::int ORDER BY k.o)
		FROM pg_catalog.pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(n, o)
		WHERE i.indrelid = $1 AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL`+keyAtts+`
		GROUP BY i.indexrelid, i.indisprimary ORDER BY i.indisprimary DESC, i.indexrelid`, r.oid)
	if err != nil {
		return classify(fmt.Errorf("postgres: read the keys of %s: %w", r.display, err))
	}
	defer rows.Close()
	for rows.Next() {
		var primary bool
		var nums []int32
		if err := rows.Scan(&primary, &nums); err != nil {
			return fmt.Errorf("postgres: read the keys of %s: %w", r.display, err)
		}
		key := make([]int, 0, len(nums))
		for _, num := range nums {
			for i, c := range r.cols {
				if int32(c.num) == num {
					key = append(key, i)
				}
			}
		}
		if len(key) == len(nums) {
			if primary {
				r.hasPK = true
			}
			r.keys = append(r.keys, key)
		}
	}
	return rows.Err()
}

// names returns the column names in table order.
func (r *relation) names() []string {
	out := make([]string, len(r.cols))
	for i, c := range r.cols {
		out[i] = c.name
	}
	return out
}

// column returns the index of the column ref names, or an error naming the
// table and the columns it has.
func (r *relation) column(ref columnRef, what string) (int, error) {
	if i := ref.match(r.names()); i >= 0 {
		return i, nil
	}
	return -1, fmt.Errorf("postgres: %s %q: table %s has no such column (it has %s)", what, ref.text, r.display, strings.Join(r.names(), ", "))
}

// uniqueOn reports whether the columns idx (in any order) include a unique
// key of the table: then no two rows share their values, unless NULL.
func (r *relation) uniqueOn(idx []int) bool {
	for _, key := range r.keys {
		all := true
		for _, k := range key {
			found := false
			for _, i := range idx {
				found = found || i == k
			}
			all = all && found
		}
		if all {
			return true
		}
	}
	return false
}
