package mysql

import (
	"context"

	"github.com/datasync-go/datasync"
)

// ReadBack returns a Source reading what the sink writes for records of
// schema: the table's columns that receive schema's columns, in schema's
// order (Column, or schema's names, or every column for ["*"]). Package
// verify compares it with the job's source. It shares the sink's
// connection settings (DSN, TLS and Session, or DB); the caller closes it.
func (s *Sink) ReadBack(_ context.Context, schema datasync.Schema) (datasync.Source, error) {
	cols := s.cfg.Column
	if len(cols) == 0 {
		for _, c := range schema {
			cols = append(cols, quoteIdent(c.Name))
		}
	}
	return NewSource(SourceConfig{DSN: s.cfg.DSN, TLS: s.cfg.TLS, DB: s.cfg.DB, Session: s.cfg.Session, Table: s.cfg.Table, Column: cols})
}
