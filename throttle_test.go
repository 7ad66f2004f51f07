package datasync_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
)

// A rate-limited job whose context has a deadline it cannot make runs until
// the deadline and returns ctx's error, not the rate package's "would exceed
// context deadline" wrapped in a SplitError long before it.
func TestRateLimitRunsUntilTheDeadline(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func(ctx context.Context, p *ds.Pipeline) error
	}{
		{"Run", func(ctx context.Context, p *ds.Pipeline) error {
			_, err := p.Run(ctx)
			return err
		}},
		{"RunSplit", func(ctx context.Context, p *ds.Pipeline) error {
			splits, err := p.Plan(ctx)
			if err != nil {
				return err
			}
			_, err = p.RunSplit(ctx, splits[0], nil, nil)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// 100,000 records at 10,000/s take 10 s: far past the deadline.
			p, err := ds.NewPipeline(numbered(100_000), sink.Discard(), ds.WithParallelism(2),
				ds.WithRateLimit(ds.Rate{RecordsPerSec: 10_000}))
			require.NoError(t, err)
			deadline := time.Now().Add(500 * time.Millisecond)
			ctx, cancel := context.WithDeadline(context.Background(), deadline)
			defer cancel()

			err = tc.run(ctx, p)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			var splitErr *ds.SplitError
			assert.False(t, errors.As(err, &splitErr), "ctx's error, not a split's: %v", err)
			assert.NotContains(t, err.Error(), "rate:")
			assert.False(t, time.Now().Before(deadline), "returned before the deadline")
		})
	}
}
