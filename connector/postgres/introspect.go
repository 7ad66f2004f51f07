package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/datasync-go/datasync"
)

var _ datasync.Introspector = (*Source)(nil)

// Schemas lists the schemas the user can see, the server's own
// (pg_catalog, information_schema, pg_toast and the temporary ones) left
// out, sorted. It implements datasync.Introspector.
func (s *Source) Schemas(ctx context.Context) ([]string, error) {
	conn, err := s.conns.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	rows, err := conn.Query(ctx, `SELECT nspname FROM pg_namespace
		WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\_toast%'
		  AND nspname NOT LIKE 'pg\_temp\_%' AND has_schema_privilege(oid, 'USAGE')
		ORDER BY nspname`)
	if err != nil {
		return nil, classify(fmt.Errorf("postgres: list schemas: %w", err))
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, classify(fmt.Errorf("postgres: list schemas: %w", err))
	}
	return out, nil
}

// Tables lists the tables, partitioned tables, views, materialized views
// and foreign tables of schema ("" for the first schema of the search
// path), sorted by name, with the planner's estimate of their rows. It
// implements datasync.Introspector.
func (s *Source) Tables(ctx context.Context, schema string) ([]datasync.TableInfo, error) {
	conn, err := s.conns.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	if schema == "" {
		var current *string
		if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&current); err != nil {
			return nil, classify(fmt.Errorf("postgres: read the current schema: %w", err))
		}
		if current == nil {
			return nil, fmt.Errorf("postgres: list tables: the search path names no existing schema; name one")
		}
		schema = *current
	}
	rows, err := conn.Query(ctx, `SELECT c.relname, c.relkind, GREATEST(c.reltuples, 0)::bigint
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
		ORDER BY c.relname`, schema)
	if err != nil {
		return nil, classify(fmt.Errorf("postgres: list the tables of schema %s: %w", quoteIdent(schema), err))
	}
	var out []datasync.TableInfo
	var relname string
	var kind byte
	var estimate int64
	_, err = pgx.ForEachRow(rows, []any{&relname, &kind, &estimate}, func() error {
		t := datasync.TableInfo{Schema: schema, Name: relname, Type: datasync.TableTypeTable, Rows: estimate}
		if kind == 'v' || kind == 'm' {
			t.Type = datasync.TableTypeView
		}
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, classify(fmt.Errorf("postgres: list the tables of schema %s: %w", quoteIdent(schema), err))
	}
	return out, nil
}

// Columns describes the columns of table in schema ("" for the search
// path) as a Source reading it would: kinds as the package doc maps them,
// native types, nullability and the primary key. Names are exact (no case
// folding). It implements datasync.Introspector.
func (s *Source) Columns(ctx context.Context, schema, table string) (datasync.Schema, error) {
	if table == "" {
		return nil, fmt.Errorf("postgres: columns: no table named")
	}
	n := name{parts: []string{table}, quoted: []bool{true}, raw: []string{table}}
	if schema != "" {
		n = name{parts: []string{schema, table}, quoted: []bool{true, true}, raw: []string{schema, table}}
	}
	cfg := s.cfg
	cfg.Table, cfg.Column, cfg.QuerySQL, cfg.Where, cfg.SplitPK = "", nil, "", "", ""
	// The same pool, another table: described as Schema describes it.
	sub := &Source{cfg: cfg, table: n, conns: s.conns}
	return sub.Schema(ctx)
}
