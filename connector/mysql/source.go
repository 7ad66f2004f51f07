package mysql

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/datasync-go/datasync"
)

// Source reads a MySQL table or query. It implements datasync.Source and
// datasync.SourceChecker, and is safe for concurrent use.
type Source struct {
	cfg   SourceConfig
	pool  *pool
	table tableName

	mu  sync.Mutex
	res *resolved // what the server said, once it was asked
}

// resolved is the source's view of its table or query.
type resolved struct {
	info   serverInfo
	meta   *tableMeta  // nil for a query
	cols   []srcColumn // the columns read, in order
	schema datasync.Schema
	split  []int  // the split key: positions in meta.columns; nil for none
	order  []int  // the unique order key: positions in meta.columns; nil for none
	query  string // for a query: the SELECT that reads it
}

var (
	_ datasync.Source        = (*Source)(nil)
	_ datasync.SourceChecker = (*Source)(nil)
)

// NewSource returns a Source for cfg. It checks the config but does no I/O:
// the table, its columns and the server are checked by Schema, Plan and
// Check.
func NewSource(cfg SourceConfig) (*Source, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg.Column = append([]string(nil), cfg.Column...)
	cfg.Session = append([]string(nil), cfg.Session...)
	p, err := newPool(cfg.DSN, cfg.TLS, cfg.DB, cfg.Session)
	if err != nil {
		return nil, fmt.Errorf("mysql source: %w", err)
	}
	s := &Source{cfg: cfg, pool: p}
	if cfg.Table != "" {
		s.table, _ = parseTableName(cfg.Table) // validated above
	}
	return s, nil
}

// Close closes the pool the source opened from its DSN; a caller's *sql.DB
// is left open.
func (s *Source) Close() error { return s.pool.close() }

// Schema returns the columns read, with their kinds (see the package doc).
func (s *Source) Schema(ctx context.Context) (datasync.Schema, error) {
	r, err := s.resolve(ctx)
	if err != nil {
		return nil, err
	}
	return r.schema, nil
}

// Check connects, and checks that the table and its columns (or the query)
// exist and can be read, the where condition included, without reading a
// row.
func (s *Source) Check(ctx context.Context) error {
	r, err := s.resolve(ctx)
	if err != nil {
		return err
	}
	c, err := s.pool.acquire(ctx, 0)
	if err != nil {
		return fmt.Errorf("mysql source: %w", err)
	}
	defer c.release()
	q := r.query
	if r.meta != nil {
		q = "SELECT " + selectList(r.cols) + " FROM " + r.meta.name.quoted()
		if s.cfg.Where != "" {
			q += " WHERE (" + s.cfg.Where + ")"
		}
	}
	rows, err := c.QueryContext(ctx, q+" LIMIT 0")
	if err != nil {
		return fmt.Errorf("mysql source: %s: cannot read: %w", s.what(), err)
	}
	return rows.Close()
}

// what names the source in messages.
func (s *Source) what() string {
	if s.cfg.QuerySQL != "" {
		return "querySql"
	}
	return "table " + s.table.String()
}

// resolve asks the server about the table or query, once.
func (s *Source) resolve(ctx context.Context) (*resolved, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.res != nil {
		return s.res, nil
	}
	c, err := s.pool.acquire(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("mysql source: %w", err)
	}
	defer c.release()
	info, err := s.pool.serverInfo(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("mysql source: %w", err)
	}
	var r *resolved
	if s.cfg.QuerySQL != "" {
		r, err = s.resolveQuery(ctx, c)
	} else {
		r, err = s.resolveTable(ctx, c, info)
	}
	if err != nil {
		return nil, fmt.Errorf("mysql source: %w", err)
	}
	r.info = info
	for _, sc := range r.cols {
		r.schema = append(r.schema, sc.col)
	}
	s.res = r
	return r, nil
}

func (s *Source) resolveTable(ctx context.Context, c *conn, info serverInfo) (*resolved, error) {
	m, err := loadTable(ctx, c, info, s.table)
	if err != nil {
		if errors.Is(err, errNoTable) {
			return nil, fmt.Errorf("table %s does not exist (or is not visible to this user)", s.table)
		}
		return nil, err
	}
	r := &resolved{meta: m}
	all := make([]srcColumn, len(m.columns))
	for i, col := range m.columns {
		all[i] = tableColumn(col, &s.cfg, s.pool.own)
	}
	if len(s.cfg.Column) == 0 || isStar(s.cfg.Column) {
		r.cols = all
	} else {
		seen := map[int]bool{}
		var exprs []int // positions in r.cols of expression columns
		for _, name := range s.cfg.Column {
			i := m.find(unquoteIdent(strings.TrimSpace(name)))
			if i < 0 && isExpression(name) {
				expr, exprName := splitAlias(name)
				exprs = append(exprs, len(r.cols))
				r.cols = append(r.cols, srcColumn{name: exprName, expr: expr})
				continue
			}
			if i < 0 {
				return nil, fmt.Errorf("column %q is not in table %s (it has %s; an expression, such as a constant or a function call, is read as one)", name, m.name, columnNames(m))
			}
			if seen[i] {
				return nil, fmt.Errorf("column %q is listed twice", name)
			}
			seen[i] = true
			r.cols = append(r.cols, all[i])
		}
		if len(exprs) > 0 {
			if err := describeExpressions(ctx, c, m, r.cols, exprs, s.pool.own); err != nil {
				return nil, err
			}
		}
	}
	// The order key: the first unique key, primary first, whose columns
	// are NOT NULL and comparable as literals.
	for _, ix := range m.unique {
		if !ix.usable || len(ix.cols) == 0 {
			continue
		}
		ok := true
		for _, p := range ix.cols {
			ok = ok && all[p].pageable
		}
		if ok {
			r.order = ix.cols
			break
		}
	}
	for k, p := range r.order {
		for i := range r.cols {
			if r.cols[i].table && r.cols[i].name == m.columns[p].name {
				r.cols[i].col.Key = k + 1
			}
		}
	}
	r.split = r.order
	if s.cfg.SplitPK != "" {
		r.split = nil
		for _, name := range strings.Split(s.cfg.SplitPK, ",") {
			name = unquoteIdent(strings.TrimSpace(name))
			i := m.find(name)
			if i < 0 {
				return nil, fmt.Errorf("splitPk column %q is not in table %s (it has %s)", name, m.name, columnNames(m))
			}
			if !all[i].pageable {
				return nil, fmt.Errorf("splitPk column %q is %s: split by an integer, decimal, char, varchar, binary, varbinary or temporal column",
					name, m.columns[i].columnType)
			}
			r.split = append(r.split, i)
		}
	}
	return r, nil
}

func (s *Source) resolveQuery(ctx context.Context, c *conn) (*resolved, error) {
	q := strings.TrimRight(strings.TrimSpace(s.cfg.QuerySQL), "; \t\n")
	rows, err := c.QueryContext(ctx, "SELECT * FROM ("+q+") AS ds_q LIMIT 0")
	if err != nil {
		return nil, fmt.Errorf("querySql: %w", classify(err))
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, fmt.Errorf("querySql: %w", err)
	}
	r := &resolved{}
	for _, ct := range types {
		r.cols = append(r.cols, queryColumn(ct, "ds_q."+quoteIdent(ct.Name()), s.pool.own))
	}
	r.query = "SELECT " + selectList(r.cols) + " FROM (" + q + ") AS ds_q"
	return r, nil
}

func selectList(cols []srcColumn) string {
	exprs := make([]string, len(cols))
	for i, c := range cols {
		exprs[i] = c.expr
	}
	return strings.Join(exprs, ", ")
}

func columnNames(m *tableMeta) string {
	names := make([]string, len(m.columns))
	for i, c := range m.columns {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

// unquoteIdent removes the backticks around a name given as `name`.
func unquoteIdent(s string) string {
	if len(s) >= 2 && s[0] == '`' && s[len(s)-1] == '`' {
		return strings.ReplaceAll(s[1:len(s)-1], "``", "`")
	}
	return s
}

// keyCols describes meta columns at positions for SQL conditions.
func (r *resolved) keyCols(positions []int, own bool, cfg *SourceConfig) []keyCol {
	out := make([]keyCol, len(positions))
	for i, p := range positions {
		c := r.meta.columns[p]
		sc := tableColumn(c, cfg, own)
		out[i] = keyCol{ident: quoteIdent(c.name), lit: sc.literal, nullable: c.nullable}
	}
	return out
}

// positions maps column names from a split spec to meta positions.
func (r *resolved) positions(names []string) ([]int, error) {
	out := make([]int, len(names))
	for i, n := range names {
		p := -1
		for j, c := range r.meta.columns {
			if c.name == n {
				p = j
			}
		}
		if p < 0 {
			return nil, fmt.Errorf("the split names column %q, which table %s no longer has", n, r.meta.name)
		}
		out[i] = p
	}
	return out, nil
}

func (r *resolved) names(positions []int) []string {
	out := make([]string, len(positions))
	for i, p := range positions {
		out[i] = r.meta.columns[p].name
	}
	return out
}
