package source

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/datasync-go/datasync"
)

// Generate returns a Source of n records made by fn, planned into about four
// splits per unit of parallelism (see Splits). fn fills record i, which
// arrives with every value NULL; it may be called from several goroutines at
// once (for different i) and must give the same record for the same i, so
// that retried splits resume exactly. Values fn sets must not refer to memory
// that fn later reuses: strings, and byte slices it does not change, are fine.
//
// When fn returns a *datasync.RowError, record i is dirty data (the source
// could not produce it) and the split goes on; any other error fails the
// split. This makes Generate convenient for testing dirty-data policies.
func Generate(schema datasync.Schema, n int64, fn func(i int64, r datasync.Record) error, opts ...Option) datasync.Source {
	return &generator{schema: schema, n: max(n, 0), fn: fn, opts: newOptions(opts)}
}

type generator struct {
	schema datasync.Schema
	n      int64
	fn     func(int64, datasync.Record) error
	opts   options
}

func (g *generator) Schema(context.Context) (datasync.Schema, error) { return g.schema, nil }

func (g *generator) Plan(_ context.Context, hint datasync.PlanHint) ([]datasync.Split, error) {
	return planRanges("generate", g.n, hint, g.opts)
}

func (g *generator) Open(_ context.Context, sp datasync.Split, from datasync.Checkpoint) (datasync.Reader, error) {
	r, next, err := openRange(sp, from, g.n)
	if err != nil {
		return nil, err
	}
	return &generatorReader{g: g, split: sp.ID, next: next, end: r.End}, nil
}

type generatorReader struct {
	g         *generator
	split     string
	next, end int64
}

func (r *generatorReader) Read(ctx context.Context, b *datasync.Batch) error {
	var dirty []*datasync.RowError
	for r.next < r.end && !b.Full() {
		rec := b.Append()
		if err := r.g.fn(r.next, rec); err != nil {
			var rowErr *datasync.RowError
			if !errors.As(err, &rowErr) {
				return fmt.Errorf("generate record %d: %w", r.next, err)
			}
			b.RemoveLast()
			if rowErr.Row == 0 {
				rowErr.Row = r.next
			}
			dirty = append(dirty, rowErr)
		}
		r.next++
	}
	if len(dirty) > 0 {
		return &datasync.RowErrors{Errors: dirty}
	}
	if r.next == r.end {
		return io.EOF
	}
	return ctx.Err()
}

func (r *generatorReader) Checkpoint() datasync.Checkpoint { return encodePosition(r.next) }
func (r *generatorReader) Close() error                    { return nil }
