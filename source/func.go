package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/datasync-go/datasync"
)

// Func returns a Source of one split whose records fn produces, pushing them
// to an Emitter: the natural shape for wrapping an iterator, a channel or an
// API client. A retried split calls fn again and skips what was already
// delivered, so fn must produce the same records in the same order each time
// it is called (or the pipeline should run WithRetry(0, 0)).
func Func(schema datasync.Schema, fn func(ctx context.Context, out *Emitter) error) datasync.Source {
	return &funcSource{schema: schema, fn: fn}
}

// Emitter receives the records of a Func source.
type Emitter struct {
	yield func(emitted) bool
	count int64 // records and dirty rows emitted so far
}

type emitted struct {
	rec   datasync.Record
	dirty *datasync.RowError
}

// errStopped tells fn to return: the reader no longer wants records.
var errStopped = errors.New("source: the reader is closed")

// Record emits a record. Its values are copied, so r may be reused. It
// returns an error when the reader has stopped; fn should then return it.
func (e *Emitter) Record(r datasync.Record) error {
	e.count++
	if !e.yield(emitted{rec: r}) {
		return errStopped
	}
	return nil
}

// Dirty reports a row that could not be produced (such as an input line that
// does not parse) as dirty data, and goes on. err.Row defaults to the row's
// position, from 1, among those emitted.
func (e *Emitter) Dirty(err *datasync.RowError) error {
	e.count++
	if err.Row == 0 {
		err.Row = e.count
	}
	if !e.yield(emitted{dirty: err}) {
		return errStopped
	}
	return nil
}

type funcSource struct {
	schema datasync.Schema
	fn     func(context.Context, *Emitter) error
}

func (s *funcSource) Schema(context.Context) (datasync.Schema, error) { return s.schema, nil }

func (s *funcSource) Plan(context.Context, datasync.PlanHint) ([]datasync.Split, error) {
	return []datasync.Split{{ID: "func"}}, nil
}

func (s *funcSource) Open(_ context.Context, sp datasync.Split, from datasync.Checkpoint) (datasync.Reader, error) {
	skip := int64(0)
	if from != nil {
		pos, err := decodePosition(from)
		if err != nil {
			return nil, fmt.Errorf("split %q: %w", sp.ID, err)
		}
		skip = pos
	}
	return &funcReader{src: s, skip: skip, pos: skip}, nil
}

// funcReader pulls from fn's pushes with iter.Pull, a coroutine switch per
// record rather than a goroutine and a channel.
type funcReader struct {
	src   *funcSource
	next  func() (emitted, bool)
	stop  func()
	fnErr error
	skip  int64 // items to pass over on a resumed split
	pos   int64 // items consumed, the checkpoint
}

func (r *funcReader) start(ctx context.Context) {
	seq := func(yield func(emitted) bool) {
		err := r.src.fn(ctx, &Emitter{yield: yield})
		if !errors.Is(err, errStopped) {
			r.fnErr = err
		}
	}
	r.next, r.stop = iter.Pull(iter.Seq[emitted](seq))
	for range r.skip {
		if _, ok := r.next(); !ok {
			return
		}
	}
}

func (r *funcReader) Read(ctx context.Context, b *datasync.Batch) error {
	if r.next == nil {
		r.start(ctx)
	}
	var dirty []*datasync.RowError
	for !b.Full() {
		item, ok := r.next()
		if !ok {
			if r.fnErr != nil {
				return r.fnErr
			}
			if len(dirty) > 0 {
				return &datasync.RowErrors{Errors: dirty}
			}
			return io.EOF
		}
		r.pos++
		if item.dirty != nil {
			dirty = append(dirty, item.dirty)
			continue
		}
		if err := checkWidth(item.rec, r.src.schema, r.pos); err != nil {
			return err
		}
		b.AppendRecord(item.rec)
	}
	if len(dirty) > 0 {
		return &datasync.RowErrors{Errors: dirty}
	}
	return ctx.Err()
}

func (r *funcReader) Checkpoint() datasync.Checkpoint { return encodePosition(r.pos) }

func (r *funcReader) Close() error {
	if r.stop != nil {
		r.stop()
	}
	return nil
}
