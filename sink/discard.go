package sink

import (
	"context"
	"sync/atomic"

	"github.com/datasync-go/datasync"
)

// Discard returns a Sink that drops every record and counts them: the sink
// for benchmarks and for dry runs of a source.
func Discard() *Discarder { return &Discarder{} }

// Discarder is the Sink made by Discard.
type Discarder struct {
	records atomic.Int64
	bytes   atomic.Int64
}

// Records returns how many records were written.
func (d *Discarder) Records() int64 { return d.records.Load() }

// Bytes returns the size (datasync.Value.Size) of the records written.
func (d *Discarder) Bytes() int64 { return d.bytes.Load() }

// Prepare does nothing.
func (d *Discarder) Prepare(context.Context, datasync.Schema) error { return nil }

// Open returns a writer that counts and drops.
func (d *Discarder) Open(context.Context, datasync.Split) (datasync.Writer, error) {
	return discardWriter{d}, nil
}

type discardWriter struct{ d *Discarder }

func (w discardWriter) Write(_ context.Context, b *datasync.Batch) error {
	w.d.records.Add(int64(b.Len()))
	w.d.bytes.Add(int64(b.Bytes()))
	return nil
}

func (discardWriter) Flush(context.Context) error { return nil }
func (discardWriter) Close() error                { return nil }
