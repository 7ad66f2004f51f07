package temporal

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

// written records what the workers of a factory job wrote, and when.
type written struct {
	mu          sync.Mutex
	ids         map[int64]int
	first, last time.Time
	byWorker    map[int]int // pipelines built for splits, by worker
}

func (w *written) add(id int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := time.Now()
	if w.first.IsZero() {
		w.first = now
	}
	w.last = now
	w.ids[id]++
}

type rateArgs struct {
	Records int64 `json:"records"`
	Splits  int   `json:"splits"`
	Rate    float64
}

// rateFactory builds a generated source of args.Records records in
// args.Splits splits into a sink that notes each record.
func rateFactory(w *written, worker int) Factory {
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt, Key: 1}, {Name: "pad", Kind: datasync.KindString}}
	return func(ctx context.Context, raw json.RawMessage) (*Pipelines, error) {
		var args rateArgs
		if err := json.Unmarshal(raw, &args); err != nil {
			return nil, err
		}
		w.mu.Lock()
		w.byWorker[worker]++
		w.mu.Unlock()
		src := source.Generate(schema, args.Records, func(i int64, r datasync.Record) error {
			r[0], r[1] = datasync.Int(i), datasync.String("0123456789abcdef")
			return nil
		}, source.Splits(args.Splits))
		dst := sink.Func(func(_ context.Context, r datasync.Record) error {
			id, err := r[0].AsInt()
			if err != nil {
				return err
			}
			w.add(id)
			return nil
		})
		p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(4),
			datasync.WithRateLimit(datasync.Rate{RecordsPerSec: args.Rate}))
		if err != nil {
			return nil, err
		}
		return &Pipelines{Tasks: []*datasync.Pipeline{p}}, nil
	}
}

// The job's rate limit holds for the whole cluster: 4 splits at a time on
// 3 workers move 4000 records/s, not 4000 per worker or per split. The rate
// is measured from the first record written to the last, over the whole
// run (8 splits of 2.5 s each, two at a time on some worker).
func TestRateLimitHeldAcrossWorkers(t *testing.T) {
	w := &written{ids: map[int64]int{}, byWorker: map[int]int{}}
	c := newCluster(t, 3, func(i int) *Worker {
		return &Worker{Factories: map[string]Factory{"generated": rateFactory(w, i)}}
	})
	const limit, records = 4000.0, 20_000
	args, err := json.Marshal(rateArgs{Records: records, Splits: 8, Rate: limit})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := Wait(ctx, c.start(ctx, testInput(JobSpec{Factory: "generated", Args: args})))
	require.NoError(t, err)
	require.Equal(t, 8, res.SplitsDone)
	assert.Equal(t, int64(records), res.RecordsWritten)

	w.mu.Lock()
	defer w.mu.Unlock()
	assert.Len(t, w.ids, records)
	for id, n := range w.ids {
		if n != 1 {
			t.Fatalf("record %d written %d times", id, n)
		}
	}
	rate := float64(records) / w.last.Sub(w.first).Seconds()
	t.Logf("%d records in %s across the workers: %.0f records/s for a limit of %.0f", records, w.last.Sub(w.first), rate, limit)
	assert.InDelta(t, limit, rate, 0.1*limit, "the rate over the run is within 10%% of the job's limit")
	workers := 0
	for _, n := range w.byWorker {
		if n > 0 {
			workers++
		}
	}
	assert.GreaterOrEqual(t, workers, 2, "the splits ran on several workers")
}
