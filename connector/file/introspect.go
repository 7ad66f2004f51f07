package file

import (
	"context"
	"fmt"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/textcodec"
)

var _ datasync.Introspector = (*Source)(nil)

// Schemas returns the one schema of files, "". It implements
// datasync.Introspector.
func (s *Source) Schemas(context.Context) ([]string, error) { return []string{""}, nil }

// Tables lists the files the source's paths match now (listed afresh,
// sorted), with their sizes. schema must be "". It implements
// datasync.Introspector.
func (s *Source) Tables(ctx context.Context, schema string) ([]datasync.TableInfo, error) {
	if schema != "" {
		return nil, fmt.Errorf("file: files have no schema %q", schema)
	}
	files, err := expand(s.cfg.Path)
	if err != nil {
		return nil, err
	}
	out := make([]datasync.TableInfo, len(files))
	for i, f := range files {
		out[i] = datasync.TableInfo{Name: f.path, Type: datasync.TableTypeObject, Bytes: f.size}
	}
	return out, nil
}

// Columns samples the start of file table, one the source's paths match,
// and returns its fields as String columns named by its header (with
// SkipHeader; col0, col1... otherwise), or by the keys of the first object
// of a jsonl file. The source's format settings apply; its column list does
// not. It implements datasync.Introspector.
func (s *Source) Columns(ctx context.Context, schema, table string) (datasync.Schema, error) {
	tables, err := s.Tables(ctx, schema)
	if err != nil {
		return nil, err
	}
	found := false
	for _, t := range tables {
		found = found || t.Name == table
	}
	if !found {
		return nil, fmt.Errorf("file: %q is not among the files the source's paths match", table)
	}
	opts := s.cfg.ReadOptions
	opts.Column = nil // every field
	spec, err := textcodec.CompileRead(opts)
	if err != nil {
		return nil, fmt.Errorf("file: %w", err)
	}
	sample := &Source{cfg: s.cfg, spec: spec}
	p, err := sample.probe(table)
	if err != nil {
		return nil, err
	}
	cols, err := spec.Resolve(p)
	if err != nil {
		return nil, fmt.Errorf("file: %s: %w", table, err)
	}
	return cols, nil
}
