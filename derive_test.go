package datasync_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

func TestSettingsAreTheOptions(t *testing.T) {
	collector := ds.DirtyFunc(func(context.Context, ds.DirtyRecord) error { return nil })
	p, err := ds.NewPipeline(numbered(10), sink.Discard(),
		ds.WithParallelism(3), ds.WithRateLimit(ds.Rate{RecordsPerSec: 500, BytesPerSec: 1 << 20}),
		ds.WithDirtyPolicy(ds.DirtyPolicy{MaxRecords: 7, MaxRatio: 0.5, Collector: collector}))
	require.NoError(t, err)
	s := p.Settings()
	assert.Equal(t, 3, s.Parallelism)
	assert.Equal(t, ds.Rate{RecordsPerSec: 500, BytesPerSec: 1 << 20}, s.Rate)
	assert.Equal(t, int64(7), s.Dirty.MaxRecords)
	assert.Equal(t, 0.5, s.Dirty.MaxRatio)
	assert.NotNil(t, s.Dirty.Collector)

	d, err := ds.NewPipeline(numbered(10), sink.Discard())
	require.NoError(t, err)
	assert.Equal(t, ds.Settings{Parallelism: ds.DefaultParallelism}, d.Settings())
}

func TestWithDerivesAPipelineWithItsOwnLimit(t *testing.T) {
	out := sink.Collect()
	p, err := ds.NewPipeline(numbered(300, source.Splits(1)), out, ds.WithParallelism(2), ds.WithRateLimit(ds.Rate{RecordsPerSec: 100_000}))
	require.NoError(t, err)
	q, err := p.With(ds.WithRateLimit(ds.Rate{RecordsPerSec: 1000}))
	require.NoError(t, err)
	assert.Equal(t, 2, q.Settings().Parallelism, "p's options stay")
	assert.Equal(t, 1000.0, q.Settings().Rate.RecordsPerSec)
	assert.Equal(t, 100_000.0, p.Settings().Rate.RecordsPerSec, "p is unchanged")

	ctx := context.Background()
	splits, err := q.Plan(ctx)
	require.NoError(t, err)
	require.Len(t, splits, 1)
	require.NoError(t, q.Prepare(ctx))
	start := time.Now()
	res, err := q.RunSplit(ctx, splits[0], nil, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(300), res.RecordsWritten)
	// 300 records at 1000/s from an empty bucket: at least 0.3 s (p's
	// limit would take 3 ms).
	assert.GreaterOrEqual(t, time.Since(start), 290*time.Millisecond)
	requireExactlyOnce(t, ids(t, out.Records()), 300, nil)

	_, err = p.With(ds.WithParallelism(0), nil)
	require.ErrorIs(t, err, ds.ErrInvalidOption)
	assert.ErrorContains(t, err, "WithParallelism")
	assert.ErrorContains(t, err, "nil option")
}
