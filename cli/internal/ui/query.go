package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/datasync-go/datasync/job/datasource"
)

// orderQueryMapping puts a query source's mapping in the order of the
// query's columns, which a reader of a query reads all of, in order: the
// writer's column list must follow them. Every column of the query must
// be mapped, once. It reads the query's columns from the source (without
// reading a row); for a table source it does nothing.
func (s *Server) orderQueryMapping(ctx context.Context, cat *datasource.Catalog, m *Model) []*modelError {
	if m.Source.Query == "" {
		return nil
	}
	j, err := s.parse(cat, readerOnly(stepTypeOf(cat, m.Source.DataSource), m.readerParameter(cat)))
	if err != nil {
		return []*modelError{{Field: "source.query", Text: err.Error()}}
	}
	defer j.Close()
	schema, err := j.Tasks[0].Source.Schema(ctx)
	if err != nil {
		return []*modelError{{Field: "source.query", Text: j.Redact(err.Error())}}
	}
	var errs []*modelError
	ordered := make([]Pair, 0, len(schema))
	for _, c := range schema {
		i := slices.IndexFunc(m.Mapping, func(p Pair) bool { return p.From == c.Name })
		if i < 0 {
			errs = append(errs, &modelError{Field: "mapping", Text: fmt.Sprintf("column %q of the query is not mapped: map it, or leave it out of the query", c.Name)})
			continue
		}
		ordered = append(ordered, m.Mapping[i])
	}
	for _, p := range m.Mapping {
		if schema.Index(p.From) < 0 {
			errs = append(errs, &modelError{Field: "mapping." + p.To, Text: fmt.Sprintf("the query has no column %q (it has %s)", p.From, strings.Join(schema.Names(), ", "))})
		} else if n := countFrom(m.Mapping, p.From); n > 1 {
			errs = append(errs, &modelError{Field: "mapping." + p.To, Text: fmt.Sprintf("column %q of the query is mapped %d times: a query's column goes to one field", p.From, n)})
		}
	}
	if len(errs) == 0 {
		m.Mapping = ordered
	}
	return errs
}

func countFrom(pairs []Pair, from string) int {
	n := 0
	for _, p := range pairs {
		if p.From == from {
			n++
		}
	}
	return n
}
