package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/incremental"
)

var _ datasync.IncrementalSource = (*Source)(nil)

// Incremental returns SourceConfig.Incremental.
func (s *Source) Incremental() datasync.Incremental { return s.cfg.Incremental }

// incrementalColumn returns the incremental column, checked against the
// table and the settings.
func (s *Source) incrementalColumn(ctx context.Context) (*resolved, datasync.Column, error) {
	inc := s.cfg.Incremental
	if inc.Column == "" {
		return nil, datasync.Column{}, fmt.Errorf("mysql source: the source has no incremental column")
	}
	r, err := s.resolve(ctx)
	if err != nil {
		return nil, datasync.Column{}, err
	}
	if r.meta == nil {
		return nil, datasync.Column{}, fmt.Errorf("mysql source: incremental needs a table, not a query")
	}
	col, err := incremental.Column(r.schema, inc.Column)
	if err == nil {
		err = incremental.Check(inc, col)
	}
	if err == nil && r.meta.find(col.Name) < 0 {
		err = fmt.Errorf("incremental column %q is not a column of %s", col.Name, r.meta.name)
	}
	if err != nil {
		return nil, datasync.Column{}, fmt.Errorf("mysql source: %w", err)
	}
	return r, col, nil
}

// HighWater returns the greatest value of the incremental column among the
// rows the source reads, as MySQL's text of it (in UTC for TIMESTAMP
// columns, as the source's sessions run in UTC).
func (s *Source) HighWater(ctx context.Context) (string, bool, error) {
	r, col, err := s.incrementalColumn(ctx)
	if err != nil {
		return "", false, err
	}
	q := "SELECT CAST(MAX(" + quoteIdent(col.Name) + ") AS CHAR) FROM " + r.meta.name.quoted()
	if s.cfg.Where != "" {
		q += " WHERE (" + s.cfg.Where + ")"
	}
	c, err := s.pool.acquire(ctx, 0)
	if err != nil {
		return "", false, fmt.Errorf("mysql source: %w", err)
	}
	defer c.release()
	var mark sql.NullString
	if err := c.QueryRowContext(ctx, q).Scan(&mark); err != nil {
		return "", false, classify(fmt.Errorf("mysql source: read the high-water mark of %s.%s: %w", r.meta.name, col.Name, err))
	}
	return mark.String, mark.Valid, nil
}

// markNumber is a mark of a numeric column, written as a number literal
// (a quoted one would compare as a double, inexactly past 2^53).
var markNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// markLiteral returns mark as an SQL literal for col.
func markLiteral(col datasync.Column, mark string) (string, error) {
	if col.Kind == datasync.KindInt || col.Kind == datasync.KindDecimal {
		if !markNumber.MatchString(mark) {
			return "", fmt.Errorf("mysql source: incremental column %q: mark %q is not a number", col.Name, mark)
		}
		return mark, nil
	}
	return quoteString(mark), nil
}

// Since returns a source that reads the rows whose incremental column is
// past after (less the lookback) and at most upTo: this source's settings
// with the range added to its where condition. It shares this source's
// connections, and its Close leaves them open.
func (s *Source) Since(ctx context.Context, after string, hasAfter bool, upTo string) (datasync.Source, error) {
	_, col, err := s.incrementalColumn(ctx)
	if err != nil {
		return nil, err
	}
	ident := quoteIdent(col.Name)
	hi, err := markLiteral(col, upTo)
	if err != nil {
		return nil, err
	}
	cond := ident + " <= " + hi
	if hasAfter {
		from, err := incremental.Back(after, col, s.cfg.Incremental)
		if err != nil {
			return nil, fmt.Errorf("mysql source: %w", err)
		}
		lo, err := markLiteral(col, from)
		if err != nil {
			return nil, err
		}
		cond = ident + " > " + lo + " AND " + cond
	}
	cfg := s.cfg
	cfg.Incremental = datasync.Incremental{}
	if cfg.Where != "" {
		cond = "(" + cfg.Where + ") AND " + cond
	}
	cfg.Where = cond
	derived := &Source{cfg: cfg, pool: s.pool, table: s.table}
	return sharedSource{derived}, nil
}

// sharedSource is a Source whose connections belong to another: its Close
// leaves them open.
type sharedSource struct{ *Source }

// Close does nothing: the pool belongs to the source Since was called on.
func (sharedSource) Close() error { return nil }
