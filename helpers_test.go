package datasync_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/source"
)

// TestMain fails the package if any test leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var idName = ds.Schema{{Name: "id", Kind: ds.KindInt, Key: 1}, {Name: "name", Kind: ds.KindString}}

// numbered is a source of n records (i, "name-i").
func numbered(n int64, opts ...source.Option) ds.Source {
	return source.Generate(idName, n, func(i int64, r ds.Record) error {
		r[0] = ds.Int(i)
		r[1] = ds.String(fmt.Sprintf("name-%d", i))
		return nil
	}, opts...)
}

// ids returns the first column of each record, sorted.
func ids(t *testing.T, recs []ds.Record) []int64 {
	t.Helper()
	out := make([]int64, len(recs))
	for i, r := range recs {
		n, err := r[0].AsInt()
		require.NoError(t, err)
		out[i] = n
	}
	slices.Sort(out)
	return out
}

// requireExactlyOnce checks that got holds each of 0..n-1 once, except skip.
func requireExactlyOnce(t *testing.T, got []int64, n int64, skip func(int64) bool) {
	t.Helper()
	var want []int64
	for i := range n {
		if skip == nil || !skip(i) {
			want = append(want, i)
		}
	}
	require.Equal(t, len(want), len(got), "record count")
	require.Equal(t, want, got)
}

// tracked wraps a Source and a Sink and counts what they open and close, and
// remembers the checkpoints readers were opened from.
type tracked struct {
	ds.Source
	sink ds.Sink

	readersOpen, readersClosed atomic.Int64
	writersOpen, writersClosed atomic.Int64
	mu                         sync.Mutex
	froms                      map[string][]ds.Checkpoint
}

func track(src ds.Source, dst ds.Sink) *tracked {
	return &tracked{Source: src, sink: dst, froms: map[string][]ds.Checkpoint{}}
}

func (t *tracked) Open(ctx context.Context, s ds.Split, from ds.Checkpoint) (ds.Reader, error) {
	r, err := t.Source.Open(ctx, s, from)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	t.froms[s.ID] = append(t.froms[s.ID], from)
	t.mu.Unlock()
	t.readersOpen.Add(1)
	return &trackedReader{Reader: r, t: t}, nil
}

func (t *tracked) Sink() ds.Sink { return trackedSink{t} }

func (t *tracked) opensOf(id string) []ds.Checkpoint {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.froms[id]
}

func (t *tracked) requireAllClosed(tb testing.TB) {
	tb.Helper()
	require.Equal(tb, t.readersOpen.Load(), t.readersClosed.Load(), "every reader closed")
	require.Equal(tb, t.writersOpen.Load(), t.writersClosed.Load(), "every writer closed")
}

type trackedReader struct {
	ds.Reader
	t *tracked
}

func (r *trackedReader) Close() error {
	r.t.readersClosed.Add(1)
	return r.Reader.Close()
}

type trackedSink struct{ t *tracked }

func (s trackedSink) Prepare(ctx context.Context, schema ds.Schema) error {
	return s.t.sink.Prepare(ctx, schema)
}

func (s trackedSink) Open(ctx context.Context, sp ds.Split) (ds.Writer, error) {
	w, err := s.t.sink.Open(ctx, sp)
	if err != nil {
		return nil, err
	}
	s.t.writersOpen.Add(1)
	tw := &trackedWriter{Writer: w, t: s.t}
	if c, ok := w.(ds.Committer); ok {
		// Keep the optional capability visible through the wrapper.
		return &trackedCommitter{trackedWriter: tw, c: c}, nil
	}
	return tw, nil
}

type trackedCommitter struct {
	*trackedWriter
	c ds.Committer
}

func (w *trackedCommitter) Commit(ctx context.Context) error { return w.c.Commit(ctx) }

func (s trackedSink) Finalize(ctx context.Context) error {
	if f, ok := s.t.sink.(ds.Finalizer); ok {
		return f.Finalize(ctx)
	}
	return nil
}

type trackedWriter struct {
	ds.Writer
	t *tracked
}

func (w *trackedWriter) Close() error {
	w.t.writersClosed.Add(1)
	return w.Writer.Close()
}
