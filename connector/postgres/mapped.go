package postgres

import "github.com/datasync-go/datasync"

// MappedColumns returns the sink's column list, which takes the source's
// columns by position (datasync.ColumnMapper); nil when it matches them by
// name (no list) or lists ["*"] (the table's columns, known only once
// read).
func (s *Sink) MappedColumns(datasync.Schema) ([]string, error) {
	if s.set.allColumns || len(s.set.columns) == 0 {
		return nil, nil
	}
	out := make([]string, len(s.set.columns))
	for i, c := range s.set.columns {
		out[i] = c.ident.parts[0]
	}
	return out, nil
}
