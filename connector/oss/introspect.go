package oss

import (
	"context"
	"fmt"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/textcodec"
)

var _ datasync.Introspector = (*Source)(nil)

// Schemas returns the one schema of a bucket, "". It implements
// datasync.Introspector.
func (s *Source) Schemas(context.Context) ([]string, error) { return []string{""}, nil }

// Tables lists the objects the source's object patterns match now (listed
// afresh, sorted by key), with their sizes. schema must be "". It
// implements datasync.Introspector.
func (s *Source) Tables(ctx context.Context, schema string) ([]datasync.TableInfo, error) {
	if schema != "" {
		return nil, fmt.Errorf("oss: a bucket has no schema %q", schema)
	}
	objs, err := listObjects(ctx, s.st, s.cfg.Object)
	if err != nil {
		return nil, err
	}
	out := make([]datasync.TableInfo, len(objs))
	for i, o := range objs {
		out[i] = datasync.TableInfo{Name: o.Key, Type: datasync.TableTypeObject, Bytes: o.Size}
	}
	return out, nil
}

// Columns samples the start of object table, one the source's object
// patterns match, and returns its fields as String columns named by its
// header (with SkipHeader; col0, col1... otherwise), or by the keys of the
// first object of a jsonl file. The source's format settings apply; its
// column list does not. It implements datasync.Introspector.
func (s *Source) Columns(ctx context.Context, schema, table string) (datasync.Schema, error) {
	if schema != "" {
		return nil, fmt.Errorf("oss: a bucket has no schema %q", schema)
	}
	objs, err := listObjects(ctx, s.st, s.cfg.Object)
	if err != nil {
		return nil, err
	}
	var obj *objectInfo
	for i := range objs {
		if objs[i].Key == table {
			obj = &objs[i]
		}
	}
	if obj == nil {
		return nil, fmt.Errorf("oss: object %q is not among those the source's patterns match", table)
	}
	opts := s.cfg.ReadOptions
	opts.Column = nil // every field
	spec, err := textcodec.CompileRead(opts)
	if err != nil {
		return nil, fmt.Errorf("oss: %w", err)
	}
	sample := &Source{cfg: s.cfg, spec: spec, st: s.st}
	p, err := sample.probe(ctx, *obj)
	if err != nil {
		return nil, err
	}
	cols, err := spec.Resolve(p)
	if err != nil {
		return nil, fmt.Errorf("oss: %s: %w", table, err)
	}
	return cols, nil
}
