package datasync_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

// abortCounter is a Collection that is also an Aborter.
type abortCounter struct {
	*sink.Collection
	aborts   atomic.Int32
	live     atomic.Bool // the context of Abort was not cancelled
	abortErr error
}

func (s *abortCounter) Abort(ctx context.Context) error {
	s.aborts.Add(1)
	s.live.Store(ctx.Err() == nil)
	return s.abortErr
}

func TestRunAbortsTheSinkOfAFailedOrCancelledJob(t *testing.T) {
	errAbort := errors.New("cannot clean up")
	for _, tc := range []struct {
		name       string
		fail       bool
		cancel     bool
		abortErr   error
		wantAborts int32
	}{
		{"success", false, false, nil, 0},
		{"a split fails", true, false, nil, 1},
		{"a split fails and so does the abort", true, false, errAbort, 1},
		{"cancelled", false, true, errAbort, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var opts []sink.CollectOption
			if tc.fail {
				opts = append(opts, sink.FailSplit(sink.Failure{Split: "generate-1", Times: 100}))
			}
			dst := &abortCounter{Collection: sink.Collect(opts...), abortErr: tc.abortErr}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			src := source.Generate(idName, 1000, func(i int64, r ds.Record) error {
				if tc.cancel && i == 500 {
					cancel()
				}
				r[0] = ds.Int(i)
				r[1] = ds.String("x")
				return nil
			}, source.Splits(2))
			p, err := ds.NewPipeline(src, dst, ds.WithRetry(1, time.Millisecond), ds.WithParallelism(1))
			require.NoError(t, err)
			_, err = p.Run(ctx)
			assert.Equal(t, tc.wantAborts, dst.aborts.Load())
			switch {
			case tc.cancel:
				assert.Equal(t, context.Canceled, err, "still ctx's error itself; the abort's is logged")
				assert.True(t, dst.live.Load(), "Abort gets a live context")
			case tc.fail:
				assert.ErrorIs(t, err, sink.ErrInjected)
				if tc.abortErr != nil {
					assert.ErrorIs(t, err, tc.abortErr)
					assert.ErrorContains(t, err, "abort the sink")
				}
			default:
				assert.NoError(t, err)
			}
		})
	}
}
