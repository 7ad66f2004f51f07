package source

import (
	"context"
	"io"

	"github.com/datasync-go/datasync"
)

// FromRecords returns a Source that reads records, planned into about four
// splits per unit of parallelism (see Splits). The records are not copied up
// front: they must not change while a pipeline reads them.
func FromRecords(schema datasync.Schema, records []datasync.Record, opts ...Option) datasync.Source {
	return &recordsSource{schema: schema, records: records, opts: newOptions(opts)}
}

type recordsSource struct {
	schema  datasync.Schema
	records []datasync.Record
	opts    options
}

func (s *recordsSource) Schema(context.Context) (datasync.Schema, error) { return s.schema, nil }

func (s *recordsSource) Plan(_ context.Context, hint datasync.PlanHint) ([]datasync.Split, error) {
	return planRanges("records", int64(len(s.records)), hint, s.opts)
}

func (s *recordsSource) Open(_ context.Context, sp datasync.Split, from datasync.Checkpoint) (datasync.Reader, error) {
	r, next, err := openRange(sp, from, int64(len(s.records)))
	if err != nil {
		return nil, err
	}
	return &recordsReader{src: s, next: next, end: r.End}, nil
}

type recordsReader struct {
	src       *recordsSource
	next, end int64
}

func (r *recordsReader) Read(ctx context.Context, b *datasync.Batch) error {
	for r.next < r.end && !b.Full() {
		rec := r.src.records[r.next]
		if err := checkWidth(rec, r.src.schema, r.next); err != nil {
			return err
		}
		b.AppendRecord(rec)
		r.next++
	}
	if r.next == r.end {
		return io.EOF
	}
	return ctx.Err()
}

func (r *recordsReader) Checkpoint() datasync.Checkpoint { return encodePosition(r.next) }
func (r *recordsReader) Close() error                    { return nil }
