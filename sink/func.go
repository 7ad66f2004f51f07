package sink

import (
	"context"
	"errors"
	"sync"

	"github.com/datasync-go/datasync"
)

// Func returns a Sink that calls fn for each record, one call at a time
// across all splits, so fn needs no locking of its own. r is valid only
// during the call: fn keeps r.Clone() if it keeps anything.
//
// When fn returns an error that is (or wraps) a *datasync.RowError, the
// record is dirty data and the batch goes on; any other error fails the
// split. Records reach fn as soon as they are written, not at a flush, so a
// retried split may give fn again the records written after its last flush.
func Func(fn func(ctx context.Context, r datasync.Record) error) datasync.Sink {
	return &funcSink{fn: fn}
}

type funcSink struct {
	mu sync.Mutex
	fn func(context.Context, datasync.Record) error
}

func (s *funcSink) Prepare(context.Context, datasync.Schema) error { return nil }

func (s *funcSink) Open(context.Context, datasync.Split) (datasync.Writer, error) {
	return funcWriter{s}, nil
}

type funcWriter struct{ s *funcSink }

func (w funcWriter) Write(ctx context.Context, b *datasync.Batch) error {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	var rejected []*datasync.RowError
	for i := range b.Len() {
		if err := w.s.fn(ctx, b.Row(i)); err != nil {
			var re *datasync.RowError
			if !errors.As(err, &re) {
				return err
			}
			rejected = append(rejected, rowError(int64(i), err))
		}
	}
	if len(rejected) > 0 {
		return &datasync.RowErrors{Errors: rejected}
	}
	return nil
}

func (funcWriter) Flush(context.Context) error { return nil }
func (funcWriter) Close() error                { return nil }
