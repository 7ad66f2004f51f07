package datasync

import (
	"context"
	"fmt"
	"strings"
)

// ColumnMapper is an optional capability of a Sink whose columns can be
// matched to the source's by position (a DataX writer's column list): it
// says which destination column each source column goes to, so that Check
// can warn when the names differ.
type ColumnMapper interface {
	// MappedColumns returns, for each column of s by position, the name
	// of the destination column it is written to; nil when the sink
	// matches columns by name, or cannot tell without reading the
	// destination (a column list of ["*"]).
	MappedColumns(s Schema) ([]string, error)
}

// CheckWarnings returns what does not stop the job but looks like a
// mistake, for the command's check to print beside Check's errors: source
// columns written, by position, to destination columns of other names
// (amount -> customer). Names are compared ignoring case and quotes. It
// reads the source's schema; an error is returned only when that fails.
func (p *Pipeline) CheckWarnings(ctx context.Context) ([]string, error) {
	schema, err := p.sourceSchema(ctx)
	if err != nil {
		return nil, err
	}
	m, ok := p.dst.(ColumnMapper)
	if !ok {
		return nil, nil
	}
	mapped, err := m.MappedColumns(schema)
	if err != nil || len(mapped) != len(schema) {
		return nil, nil // Check reports a column list that does not fit
	}
	var warnings []string
	for i, c := range schema {
		if !sameColumnName(c.Name, mapped[i]) {
			warnings = append(warnings, fmt.Sprintf("source column %d %q is written to column %q: columns are matched by position, and the names differ",
				i+1, c.Name, mapped[i]))
		}
	}
	return warnings, nil
}

// sameColumnName compares column names ignoring case and identifier
// quotes ("Name", `name`, [name]).
func sameColumnName(a, b string) bool {
	unquote := func(s string) string {
		s = strings.TrimSpace(s)
		if len(s) >= 2 && strings.ContainsRune("\"`[", rune(s[0])) && strings.ContainsRune("\"`]", rune(s[len(s)-1])) {
			s = s[1 : len(s)-1]
		}
		return s
	}
	return strings.EqualFold(unquote(a), unquote(b))
}
