package mysql

import (
	"strings"

	"github.com/datasync-go/datasync"
)

// MappedColumns returns the sink's column list, which takes the source's
// columns by position (datasync.ColumnMapper); nil when it matches them by
// name (no list) or lists ["*"] (the table's columns, known only once
// read).
func (s *Sink) MappedColumns(datasync.Schema) ([]string, error) {
	if len(s.cfg.Column) == 0 || isStar(s.cfg.Column) {
		return nil, nil
	}
	out := make([]string, len(s.cfg.Column))
	for i, c := range s.cfg.Column {
		out[i] = unquoteIdent(strings.TrimSpace(c))
	}
	return out, nil
}
