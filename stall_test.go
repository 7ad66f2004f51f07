package datasync_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

// hangDetector bounds a test that would hang without the watchdog, so that it
// fails instead.
const hangDetector = 10 * time.Second

// hang blocks until ctx ends, as a call on a stalled connection does in a
// driver that honours ctx.
func hang(ctx context.Context) error {
	<-ctx.Done()
	return ctx.Err()
}

// stallingSink hangs the writes of split's first attempt once it has written
// after records.
type stallingSink struct {
	ds.Sink
	split  string
	after  int64
	opened atomic.Int64 // writers opened for split
}

func (s *stallingSink) Open(ctx context.Context, sp ds.Split) (ds.Writer, error) {
	w, err := s.Sink.Open(ctx, sp)
	if err != nil || sp.ID != s.split || s.opened.Add(1) > 1 {
		return w, err
	}
	return &stallingWriter{Writer: w, left: s.after}, nil
}

type stallingWriter struct {
	ds.Writer
	left int64
}

func (w *stallingWriter) Write(ctx context.Context, b *ds.Batch) error {
	if w.left < int64(b.Len()) {
		return hang(ctx)
	}
	w.left -= int64(b.Len())
	return w.Writer.Write(ctx, b)
}

// stallingSource hangs the reads of split's first attempt after its first
// reads batches.
type stallingSource struct {
	ds.Source
	split  string
	reads  int
	opened atomic.Int64
}

func (s *stallingSource) Open(ctx context.Context, sp ds.Split, from ds.Checkpoint) (ds.Reader, error) {
	r, err := s.Source.Open(ctx, sp, from)
	if err != nil || sp.ID != s.split || s.opened.Add(1) > 1 {
		return r, err
	}
	return &stallingReader{Reader: r, left: s.reads}, nil
}

type stallingReader struct {
	ds.Reader
	left int
}

func (r *stallingReader) Read(ctx context.Context, b *ds.Batch) error {
	if r.left == 0 {
		return hang(ctx)
	}
	r.left--
	return r.Reader.Read(ctx, b)
}

func TestAStalledSplitIsRetriedFromItsCheckpoint(t *testing.T) {
	const n = 4000
	for _, tc := range []struct {
		name string
		wrap func(ds.Source, ds.Sink) (ds.Source, ds.Sink)
	}{
		{"writer", func(src ds.Source, dst ds.Sink) (ds.Source, ds.Sink) {
			return src, &stallingSink{Sink: dst, split: "generate-1", after: 350}
		}},
		{"reader", func(src ds.Source, dst ds.Sink) (ds.Source, ds.Sink) {
			return &stallingSource{Source: src, split: "generate-1", reads: 3}, dst
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), hangDetector)
			defer cancel()
			dst := sink.Collect()
			tr := track(tc.wrap(numbered(n, source.Splits(4)), dst))
			var logs syncBuffer
			p, err := ds.NewPipeline(tr, tr.Sink(),
				ds.WithParallelism(4), ds.WithBatchSize(100, 1<<20),
				ds.WithFlushEvery(1, 0), // a checkpoint after every batch
				ds.WithRetry(1, time.Millisecond),
				ds.WithStallTimeout(200*time.Millisecond),
				ds.WithLogger(newTextLogger(&logs)))
			require.NoError(t, err)

			res, err := p.Run(ctx)
			require.NoError(t, err)
			requireExactlyOnce(t, ids(t, dst.Records()), n, nil)
			assert.Equal(t, 1, res.Retries)
			opens := tr.opensOf("generate-1")
			require.Len(t, opens, 2)
			assert.NotNil(t, opens[1], "the retry resumes from the checkpoint")
			assert.Contains(t, logs.String(), "stalled")
			tr.requireAllClosed(t)
		})
	}
}

func TestAStallThatOutlastsTheRetriesFailsTheSplitWithErrStalled(t *testing.T) {
	for _, tc := range []struct {
		name    string
		src     ds.Source
		dst     ds.Sink
		waiting string
	}{
		{"writer", numbered(1000, source.Splits(2)), &stallingSink{Sink: sink.Discard(), split: "generate-1", after: 100}, "Write"},
		{"reader", &stallingSource{Source: numbered(1000, source.Splits(2)), split: "generate-1", reads: 1}, sink.Discard(), "Read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), hangDetector)
			defer cancel()
			p, err := ds.NewPipeline(tc.src, tc.dst, ds.WithBatchSize(100, 1<<20),
				ds.WithRetry(0, 0), ds.WithStallTimeout(100*time.Millisecond))
			require.NoError(t, err)

			_, err = p.Run(ctx)
			require.ErrorIs(t, err, ds.ErrStalled)
			require.NoError(t, ctx.Err(), "the watchdog, not the test's deadline, ended the job")
			assert.True(t, ds.IsRetryable(err), "a stall is worth retrying")
			var splitErr *ds.SplitError
			require.ErrorAs(t, err, &splitErr)
			assert.Equal(t, "generate-1", splitErr.Split)
			var stall *ds.StallError
			require.ErrorAs(t, err, &stall)
			assert.Equal(t, "generate-1", stall.Split)
			assert.GreaterOrEqual(t, stall.Idle, 100*time.Millisecond)
			assert.Contains(t, stall.Waiting, tc.waiting)
			msg := err.Error()
			assert.Contains(t, msg, `"generate-1"`)
			assert.Contains(t, msg, tc.waiting)
			assert.Regexp(t, `stalled: nothing (read or written|moved) for \d`, msg)
		})
	}
}

// A split that moves slowly, but moves, is not stalled: not when its writer
// takes a while over each batch, and not when the rate limit holds it back
// for longer than the stall timeout.
func TestSlowSplitsAreNotStalled(t *testing.T) {
	slowWriter := sink.Func(func(ctx context.Context, r ds.Record) error {
		time.Sleep(60 * time.Millisecond)
		return nil
	})
	for _, tc := range []struct {
		name    string
		src     ds.Source
		dst     ds.Sink
		timeout time.Duration
		opts    []ds.Option
	}{
		// 20 writes of 60 ms: the split takes over twice the timeout, each
		// write far less (with room for a loaded machine's scheduling).
		{"slow writes", numbered(20, source.Splits(1)), slowWriter, 500 * time.Millisecond, []ds.Option{ds.WithBatchSize(1, 1<<20)}},
		// One record a batch, 10 a second for two workers: each waits about
		// 200 ms for its turn, longer than the 100 ms timeout.
		{"rate limit", numbered(8, source.Splits(2)), sink.Discard(), 100 * time.Millisecond,
			[]ds.Option{ds.WithParallelism(2), ds.WithRateLimit(ds.Rate{RecordsPerSec: 10})}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), hangDetector)
			defer cancel()
			opts := append(tc.opts, ds.WithRetry(0, 0), ds.WithStallTimeout(tc.timeout))
			p, err := ds.NewPipeline(tc.src, tc.dst, opts...)
			require.NoError(t, err)
			_, err = p.Run(ctx)
			require.NoError(t, err)
		})
	}
}

func TestRunSplitHasTheWatchdogToo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), hangDetector)
	defer cancel()
	src := &stallingSource{Source: numbered(1000, source.Splits(1)), split: "generate-0", reads: 1}
	p, err := ds.NewPipeline(src, sink.Discard(), ds.WithBatchSize(100, 1<<20),
		ds.WithRetry(0, 0), ds.WithStallTimeout(100*time.Millisecond))
	require.NoError(t, err)
	splits, err := p.Plan(ctx)
	require.NoError(t, err)
	_, err = p.RunSplit(ctx, splits[0], nil, nil)
	require.ErrorIs(t, err, ds.ErrStalled)
}

func TestStallTimeoutZeroDisablesTheWatchdog(t *testing.T) {
	// A stall longer than any timeout a test could wait for: with the
	// watchdog off, only ctx ends it.
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	src := &stallingSource{Source: numbered(1000, source.Splits(1)), split: "generate-0", reads: 1}
	p, err := ds.NewPipeline(src, sink.Discard(), ds.WithBatchSize(100, 1<<20),
		ds.WithRetry(0, 0), ds.WithStallTimeout(0))
	require.NoError(t, err)
	_, err = p.Run(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.False(t, errors.Is(err, ds.ErrStalled))
}

// syncBuffer is a strings.Builder safe for concurrent writes, for logs.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func newTextLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }
