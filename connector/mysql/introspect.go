package mysql

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/datasync-go/datasync"
)

var _ datasync.Introspector = (*Source)(nil)

// systemSchemas are the server's own databases, which Schemas leaves out.
var systemSchemas = map[string]bool{"information_schema": true, "mysql": true, "performance_schema": true, "sys": true}

// Schemas lists the databases the user can see, the server's own
// (information_schema, mysql, performance_schema, sys) left out, sorted.
// It implements datasync.Introspector.
func (s *Source) Schemas(ctx context.Context) ([]string, error) {
	c, err := s.pool.acquire(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("mysql source: %w", err)
	}
	defer c.release()
	rs, err := c.QueryContext(ctx, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME")
	if err != nil {
		return nil, classify(fmt.Errorf("mysql source: list databases: %w", err))
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var name string
		if err := rs.Scan(&name); err != nil {
			return nil, fmt.Errorf("mysql source: list databases: %w", err)
		}
		if !systemSchemas[strings.ToLower(name)] {
			out = append(out, name)
		}
	}
	if err := rs.Err(); err != nil {
		return nil, classify(fmt.Errorf("mysql source: list databases: %w", err))
	}
	slices.Sort(out)
	return out, nil
}

// Tables lists the tables and views of database schema ("" for the
// connection's default database), sorted by name, with the server's
// estimate of their rows. It implements datasync.Introspector.
func (s *Source) Tables(ctx context.Context, schema string) ([]datasync.TableInfo, error) {
	c, err := s.pool.acquire(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("mysql source: %w", err)
	}
	defer c.release()
	if schema == "" {
		info, err := s.pool.serverInfo(ctx, c)
		if err != nil {
			return nil, fmt.Errorf("mysql source: %w", err)
		}
		if info.database == "" {
			return nil, fmt.Errorf("mysql source: list tables: the connection has no default database; name one")
		}
		schema = info.database
	}
	rs, err := c.QueryContext(ctx, "SELECT TABLE_NAME, TABLE_TYPE, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = "+
		quoteString(schema)+" ORDER BY TABLE_NAME")
	if err != nil {
		return nil, classify(fmt.Errorf("mysql source: list the tables of %s: %w", quoteIdent(schema), err))
	}
	defer rs.Close()
	var out []datasync.TableInfo
	for rs.Next() {
		var name, typ string
		var rows *int64
		if err := rs.Scan(&name, &typ, &rows); err != nil {
			return nil, fmt.Errorf("mysql source: list the tables of %s: %w", quoteIdent(schema), err)
		}
		t := datasync.TableInfo{Schema: schema, Name: name, Type: datasync.TableTypeTable}
		if typ == "VIEW" || typ == "SYSTEM VIEW" {
			t.Type = datasync.TableTypeView
		}
		if rows != nil {
			t.Rows = *rows
		}
		out = append(out, t)
	}
	if err := rs.Err(); err != nil {
		return nil, classify(fmt.Errorf("mysql source: list the tables of %s: %w", quoteIdent(schema), err))
	}
	// Byte order, as PostgreSQL's: the server's collation may ignore case.
	slices.SortFunc(out, func(a, b datasync.TableInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Columns describes the columns of table in database schema ("" for the
// connection's default database) as a Source reading it would: kinds as
// the package doc maps them, native types, nullability and the primary
// key. It implements datasync.Introspector.
func (s *Source) Columns(ctx context.Context, schema, table string) (datasync.Schema, error) {
	if table == "" {
		return nil, fmt.Errorf("mysql source: columns: no table named")
	}
	cfg := s.cfg
	cfg.Table, cfg.Column, cfg.QuerySQL, cfg.Where, cfg.SplitPK = "", nil, "", "", ""
	// The same pool, another table: the description is read as Schema
	// reads it, without a second pool.
	sub := &Source{cfg: cfg, pool: s.pool, table: tableName{db: schema, table: table}}
	return sub.Schema(ctx)
}
