package postgres

import (
	"context"
	"fmt"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/incremental"
)

var _ datasync.IncrementalSource = (*Source)(nil)

// Incremental returns SourceConfig.Incremental.
func (s *Source) Incremental() datasync.Incremental { return s.cfg.Incremental }

// incrementalColumn returns the incremental column, checked against the
// table and the settings.
func (s *Source) incrementalColumn(ctx context.Context) (*sourceMeta, datasync.Column, error) {
	inc := s.cfg.Incremental
	if inc.Column == "" {
		return nil, datasync.Column{}, fmt.Errorf("postgres: the source has no incremental column")
	}
	m, err := s.metadata(ctx)
	if err != nil {
		return nil, datasync.Column{}, err
	}
	if m.rel == nil {
		return nil, datasync.Column{}, fmt.Errorf("postgres: incremental needs a table, not a query")
	}
	col, err := incremental.Column(m.schema, inc.Column)
	if err == nil {
		err = incremental.Check(inc, col)
	}
	if err == nil {
		found := false
		for _, c := range m.rel.cols {
			found = found || c.name == col.Name
		}
		if !found {
			err = fmt.Errorf("incremental column %q is not a column of %s", col.Name, m.rel.display)
		}
	}
	if err != nil {
		return nil, datasync.Column{}, fmt.Errorf("postgres: %w", err)
	}
	return m, col, nil
}

// HighWater returns the greatest value of the incremental column among the
// rows the source reads, in PostgreSQL's JSON form of it (ISO 8601 for
// times, with the offset for timestamptz), which PostgreSQL reads back as
// the same value whatever the session's settings.
func (s *Source) HighWater(ctx context.Context) (string, bool, error) {
	m, col, err := s.incrementalColumn(ctx)
	if err != nil {
		return "", false, err
	}
	q := "SELECT to_json(max(" + quoteIdent(col.Name) + ")) #>> '{}' FROM " + m.rel.sql
	if s.cfg.Where != "" {
		q += " WHERE (" + s.cfg.Where + ")"
	}
	conn, err := s.conns.acquire(ctx)
	if err != nil {
		return "", false, err
	}
	defer conn.Release()
	var mark *string
	if err := conn.QueryRow(ctx, q).Scan(&mark); err != nil {
		return "", false, classify(fmt.Errorf("postgres: read the high-water mark of %s.%s: %w", m.rel.display, col.Name, err))
	}
	if mark == nil {
		return "", false, nil
	}
	return *mark, true, nil
}

// Since returns a source that reads the rows whose incremental column is
// past after (less the lookback) and at most upTo: this source's settings
// with the range added to its where condition. It shares this source's
// connection pool, which it never closes; its Close releases its own
// snapshot in consistent mode.
func (s *Source) Since(ctx context.Context, after string, hasAfter bool, upTo string) (datasync.Source, error) {
	_, col, err := s.incrementalColumn(ctx)
	if err != nil {
		return nil, err
	}
	ident := quoteIdent(col.Name)
	cond := ident + " <= " + quoteLiteral(upTo)
	if hasAfter {
		from, err := incremental.Back(after, col, s.cfg.Incremental)
		if err != nil {
			return nil, fmt.Errorf("postgres: %w", err)
		}
		cond = ident + " > " + quoteLiteral(from) + " AND " + cond
	}
	pool, err := s.conns.get()
	if err != nil {
		return nil, err
	}
	cfg := s.cfg
	cfg.DSN, cfg.Pool = "", pool
	cfg.Incremental = datasync.Incremental{}
	if cfg.Where != "" {
		cond = "(" + cfg.Where + ") AND " + cond
	}
	cfg.Where = cond
	return NewSource(cfg)
}
