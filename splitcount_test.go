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

// TestACancelledJobCountsItsSplitsOneWay checks that the last progress
// snapshot and the result agree on the splits of a job cancelled mid-way:
// the complete ones (not the cancelled one), out of the planned total.
func TestACancelledJobCountsItsSplitsOneWay(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := source.Generate(idName, 400, func(i int64, r ds.Record) error {
		if i == 250 { // in the third of four splits
			cancel()
		}
		r[0] = ds.Int(i)
		r[1] = ds.String("x")
		return nil
	}, source.Splits(4))
	var last ds.Progress
	p, err := ds.NewPipeline(src, sink.Collect(), ds.WithParallelism(1),
		ds.WithProgress(func(p ds.Progress) { last = p }, time.Hour))
	require.NoError(t, err)
	res, err := p.Run(ctx)
	require.ErrorIs(t, err, context.Canceled)
	require.True(t, last.Done)
	assert.Equal(t, 4, res.SplitsPlanned)
	assert.Len(t, res.Splits, 3, "three splits ran")
	assert.Equal(t, 2, res.SplitsDone())
	assert.Equal(t, 2, last.SplitsDone, "the cancelled split is not done")
	assert.Equal(t, 4, last.SplitsTotal)
}
