package datasync_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/source"
)

// txSink is a transactional in-memory sink whose writers commit rows and
// the split's progress together (a CheckpointSink); failCommits makes the
// n-th commits (counted from 1) land and then report an error, as a commit
// whose reply is lost.
type txSink struct {
	mu          sync.Mutex
	rows        []int64
	progress    map[string]ds.SplitProgress
	commits     int
	failCommits map[int]bool
}

func newTxSink(fail ...int) *txSink {
	s := &txSink{progress: map[string]ds.SplitProgress{}, failCommits: map[int]bool{}}
	for _, n := range fail {
		s.failCommits[n] = true
	}
	return s
}

func (s *txSink) Prepare(context.Context, ds.Schema) error { return nil }

func (s *txSink) Open(_ context.Context, sp ds.Split) (ds.Writer, error) {
	return &txWriter{s: s, split: sp.ID}, nil
}

func (s *txSink) DurableCheckpoint(_ context.Context, split string) (ds.SplitProgress, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.progress[split]
	return p, ok, nil
}

func (s *txSink) ClearCheckpoints(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.progress)
	return nil
}

type txWriter struct {
	s       *txSink
	split   string
	pending []int64
}

func (w *txWriter) Write(_ context.Context, b *ds.Batch) error {
	for i := range b.Len() {
		n, err := b.Row(i)[0].AsInt()
		if err != nil {
			return err
		}
		w.pending = append(w.pending, n)
	}
	return nil
}

func (w *txWriter) Flush(context.Context) error {
	return errors.New("txWriter: Flush called: the pipeline must use FlushCheckpoint")
}

func (w *txWriter) FlushCheckpoint(_ context.Context, p ds.SplitProgress) error {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	w.s.rows = append(w.s.rows, w.pending...)
	w.pending = nil
	w.s.progress[w.split] = p
	w.s.commits++
	if w.s.failCommits[w.s.commits] {
		return ds.Retryable(errors.New("commit: connection reset"))
	}
	return nil
}

func (w *txWriter) Close() error { return nil }

// TestCheckpointSinkMakesLostCommitRepliesExact: with a CheckpointSink, a
// commit that lands but reports an error (a lost reply) is neither written
// again nor counted twice, in Run and in RunSplit alike; splits the sink
// has done are skipped by a later RunSplit.
func TestCheckpointSinkMakesLostCommitRepliesExact(t *testing.T) {
	ctx := context.Background()
	opts := []ds.Option{ds.WithParallelism(2), ds.WithBatchSize(10, 1<<20), ds.WithFlushEvery(1, time.Hour),
		ds.WithRetry(3, time.Millisecond)}
	for _, fail := range [][]int{{1}, {3, 7}, {10, 11, 12}} {
		dst := newTxSink(fail...)
		p, err := ds.NewPipeline(numbered(1000, source.Splits(4)), dst, opts...)
		require.NoError(t, err)
		res, err := p.Run(ctx)
		require.NoError(t, err)
		slices.Sort(dst.rows)
		requireExactlyOnce(t, dst.rows, 1000, nil)
		assert.Equal(t, int64(1000), res.RecordsWritten)
		assert.Equal(t, int64(1000), res.RecordsRead)
	}

	// RunSplit: the last commit of a split loses its reply; a second
	// RunSplit of the split finds it done.
	dst := newTxSink()
	p, err := ds.NewPipeline(numbered(100, source.Splits(1)), dst, opts...)
	require.NoError(t, err)
	splits, err := p.Plan(ctx)
	require.NoError(t, err)
	require.Len(t, splits, 1)
	dst.failCommits[10] = true // 100 rows in batches of 10: commit 10 writes the last rows, 11 marks the split done
	dst.failCommits[11] = true
	var cps []ds.Checkpoint
	res, err := p.RunSplit(ctx, splits[0], nil, func(cp ds.Checkpoint) error { cps = append(cps, cp); return nil })
	require.NoError(t, err)
	slices.Sort(dst.rows)
	requireExactlyOnce(t, dst.rows, 100, nil)
	assert.Equal(t, int64(100), res.RecordsWritten)
	assert.True(t, dst.progress[splits[0].ID].Done)

	res, err = p.RunSplit(ctx, splits[0], nil, nil)
	require.NoError(t, err)
	assert.True(t, res.Skipped)
	assert.Equal(t, int64(0), res.RecordsRead)
	assert.Len(t, dst.rows, 100)
}
