package datasync_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
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

func TestManySplitsInParallelDeliverEveryRecordExactlyOnce(t *testing.T) {
	const n = 200_000
	dst := sink.Collect()
	tr := track(numbered(n, source.Splits(97)), dst)
	p, err := ds.NewPipeline(tr, tr.Sink(), ds.WithParallelism(8), ds.WithBatchSize(333, 1<<20))
	require.NoError(t, err)

	res, err := p.Run(context.Background())
	require.NoError(t, err)
	requireExactlyOnce(t, ids(t, dst.Records()), n, nil)
	assert.Equal(t, int64(n), res.RecordsRead)
	assert.Equal(t, int64(n), res.RecordsWritten)
	assert.Zero(t, res.RecordsDirty)
	assert.Len(t, res.Splits, 97)
	var perSplit int64
	for _, s := range res.Splits {
		perSplit += s.RecordsWritten
		assert.Equal(t, 1, s.Attempts)
		assert.NoError(t, s.Err)
	}
	assert.Equal(t, int64(n), perSplit)
	assert.Equal(t, 1, dst.Prepared())
	assert.Equal(t, 1, dst.Finalized())
	assert.Equal(t, idName, dst.Schema())
	tr.requireAllClosed(t)
	assert.Contains(t, res.String(), "200000 read, 200000 written, 0 dirty; 97 splits, 0 retries")
}

func TestMemoryIsBoundedByBatchesInFlight(t *testing.T) {
	// A reader that remembers every batch it was given: the pipeline must
	// recycle a few per worker, however many records pass.
	var mu sync.Mutex
	seen := map[*ds.Batch]bool{}
	src := source.Func(idName, func(ctx context.Context, out *source.Emitter) error {
		for i := range int64(50_000) {
			if err := out.Record(ds.Record{ds.Int(i), ds.String("x")}); err != nil {
				return err
			}
		}
		return nil
	})
	spy := batchSpy{Source: src, onRead: func(b *ds.Batch) { mu.Lock(); seen[b] = true; mu.Unlock() }}
	p, err := ds.NewPipeline(spy, sink.Discard(), ds.WithParallelism(1), ds.WithBatchSize(100, 1<<20))
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	assert.LessOrEqual(t, len(seen), 3, "batches in flight per worker")
}

type batchSpy struct {
	ds.Source
	onRead func(*ds.Batch)
}

func (s batchSpy) Open(ctx context.Context, sp ds.Split, from ds.Checkpoint) (ds.Reader, error) {
	r, err := s.Source.Open(ctx, sp, from)
	return spyReader{r, s.onRead}, err
}

type spyReader struct {
	ds.Reader
	onRead func(*ds.Batch)
}

func (r spyReader) Read(ctx context.Context, b *ds.Batch) error {
	r.onRead(b)
	return r.Reader.Read(ctx, b)
}

func TestCancellingMidRunReturnsPromptlyAndClosesEverything(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var written atomic.Int64
	dst := sink.Func(func(context.Context, ds.Record) error {
		if written.Add(1) == 5000 {
			cancel()
		}
		return nil
	})
	tr := track(numbered(100_000_000), dst)
	p, err := ds.NewPipeline(tr, tr.Sink(), ds.WithParallelism(4), ds.WithBatchSize(100, 1<<20))
	require.NoError(t, err)

	start := time.Now()
	res, err := p.Run(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, context.Canceled, err, "Run returns ctx's error itself")
	assert.Less(t, time.Since(start), 10*time.Second)
	assert.Less(t, res.RecordsRead, int64(100_000_000))
	tr.requireAllClosed(t)
	// goleak (TestMain) checks that no goroutine is left.
}

func TestWriterFailureIsRetriedFromTheCheckpoint(t *testing.T) {
	const n = 10_000
	dst := sink.Collect(sink.FailSplit(sink.Failure{Split: "generate-2", AfterRecords: 1550}))
	tr := track(numbered(n, source.Splits(4)), dst)
	p, err := ds.NewPipeline(tr, tr.Sink(),
		ds.WithParallelism(2), ds.WithBatchSize(100, 1<<20),
		ds.WithFlushEvery(1, 0), // flush, and checkpoint, after every batch
		ds.WithRetry(3, time.Millisecond))
	require.NoError(t, err)

	res, err := p.Run(context.Background())
	require.NoError(t, err)
	requireExactlyOnce(t, ids(t, dst.Records()), n, nil)
	assert.Equal(t, 1, res.Retries)
	assert.Equal(t, int64(n), res.RecordsRead, "the replayed window is counted once")
	assert.Equal(t, int64(n), res.RecordsWritten)

	froms := tr.opensOf("generate-2")
	require.Len(t, froms, 2, "opened, then reopened once")
	assert.Nil(t, froms[0])
	require.NotNil(t, froms[1], "the retry resumes from a checkpoint")
	again, err := tr.Source.Open(context.Background(), planned(t, tr, "generate-2"), froms[1])
	require.NoError(t, err)
	b := ds.NewBatch(idName, 1, 1<<20)
	_ = again.Read(context.Background(), b)
	first, _ := b.Row(0)[0].AsInt()
	assert.Equal(t, int64(5000+1500), first, "the checkpoint is the last flush before the failure (split 2 starts at 5000)")
	require.NoError(t, again.Close())
	for _, s := range res.Splits {
		if s.ID == "generate-2" {
			assert.Equal(t, 2, s.Attempts)
			assert.Equal(t, int64(2500), s.RecordsWritten)
		}
	}
	tr.requireAllClosed(t)
}

func planned(t *testing.T, src ds.Source, id string) ds.Split {
	t.Helper()
	splits, err := src.Plan(context.Background(), ds.PlanHint{Parallelism: 1})
	require.NoError(t, err)
	for _, s := range splits {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no split %q", id)
	return ds.Split{}
}

func TestRetryDuplicatesOnlyTheReplayedWindow(t *testing.T) {
	// A sink that writes at once (no transaction) keeps what a failed
	// attempt wrote after its last flush: those records, and only those,
	// arrive twice.
	const n = 4000
	var mu sync.Mutex
	var got []int64
	failed := false
	dst := sink.Func(func(_ context.Context, r ds.Record) error {
		id, _ := r[0].AsInt()
		mu.Lock()
		defer mu.Unlock()
		if id == 1234 && !failed {
			failed = true
			return ds.Retryable(errors.New("connection reset"))
		}
		got = append(got, id)
		return nil
	})
	p, err := ds.NewPipeline(numbered(n, source.Splits(1)), dst,
		ds.WithParallelism(1), ds.WithBatchSize(100, 1<<20), ds.WithFlushEvery(1, 0), ds.WithRetry(1, 0))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, res.Retries)

	counts := map[int64]int{}
	for _, id := range got {
		counts[id]++
	}
	for id := range int64(n) {
		want := 1
		if id >= 1200 && id < 1234 { // written by the failed batch after the last flush at 1200
			want = 2
		}
		require.Equal(t, want, counts[id], "record %d", id)
	}
}

func TestRetriesGiveUpAndNameTheSplit(t *testing.T) {
	dst := sink.Collect(sink.FailSplit(sink.Failure{Split: "generate-1", Times: 100}))
	tr := track(numbered(1000, source.Splits(3)), dst)
	p, err := ds.NewPipeline(tr, tr.Sink(), ds.WithRetry(2, time.Millisecond))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	var splitErr *ds.SplitError
	require.ErrorAs(t, err, &splitErr)
	assert.Equal(t, "generate-1", splitErr.Split)
	assert.Equal(t, 3, splitErr.Attempts)
	assert.ErrorIs(t, err, sink.ErrInjected)
	assert.Contains(t, err.Error(), `split "generate-1" failed after 3 attempts`)
	assert.Equal(t, 2, res.Retries)
	assert.Zero(t, dst.Finalized(), "no Finalize after a failure")
	tr.requireAllClosed(t)
}

func TestFatalErrorStopsTheOtherSplits(t *testing.T) {
	boom := errors.New("disk on fire")
	src := source.Generate(idName, 10_000_000, func(i int64, r ds.Record) error {
		if i == 5_000_123 {
			return boom
		}
		r[0] = ds.Int(i)
		return nil
	}, source.Splits(2))
	tr := track(src, sink.Discard())
	p, err := ds.NewPipeline(tr, tr.Sink(), ds.WithParallelism(2), ds.WithRetry(3, 0))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	var splitErr *ds.SplitError
	require.ErrorAs(t, err, &splitErr)
	assert.Equal(t, "generate-1", splitErr.Split)
	assert.Equal(t, 1, splitErr.Attempts, "not retryable: no retry")
	assert.ErrorIs(t, err, boom)
	assert.Zero(t, res.Retries)
	assert.Less(t, res.RecordsRead, int64(10_000_000), "the other split was stopped")
	tr.requireAllClosed(t)
}

// everyNthDirty is a source of n records where every nth cannot be decoded.
func everyNthDirty(n, nth int64, opts ...source.Option) ds.Source {
	return source.Generate(idName, n, func(i int64, r ds.Record) error {
		if i%nth == nth-1 {
			return &ds.RowError{Row: i, Value: fmt.Sprintf("garbage %d", i), Err: errors.New("cannot decode")}
		}
		r[0] = ds.Int(i)
		return nil
	}, opts...)
}

func TestDefaultPolicyAllowsNoDirtyRecord(t *testing.T) {
	dst := sink.Collect()
	p, err := ds.NewPipeline(everyNthDirty(1000, 100, source.Splits(1)), dst, ds.WithBatchSize(1000, 1<<20))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.ErrorIs(t, err, ds.ErrDirtyLimit)
	assert.Equal(t, int64(10), res.RecordsDirty, "every dirty record of the batch read is counted")
	assert.Equal(t, int64(1000), res.RecordsRead, "and what it read")
	assert.Zero(t, res.RecordsWritten, "but only what was committed as written")
	assert.Zero(t, dst.Len())
	var limit *ds.DirtyLimitError
	require.ErrorAs(t, err, &limit)
	assert.Equal(t, int64(10), limit.Dirty)
	assert.Contains(t, err.Error(), "cannot decode", "the error says why the record was dirty")
}

func TestDirtyLimitByCount(t *testing.T) {
	for _, c := range []struct {
		max     int64
		wantErr bool
	}{{99, true}, {100, false}, {-1, false}} {
		t.Run(fmt.Sprint(c.max), func(t *testing.T) {
			var collected atomic.Int64
			collector := ds.DirtyFunc(func(_ context.Context, d ds.DirtyRecord) error {
				collected.Add(1)
				assert.Equal(t, ds.StageRead, d.Stage)
				assert.Contains(t, d.Value, "garbage")
				return nil
			})
			dst := sink.Collect()
			p, err := ds.NewPipeline(everyNthDirty(10_000, 100), dst,
				ds.WithDirtyPolicy(ds.DirtyPolicy{MaxRecords: c.max, Collector: collector}))
			require.NoError(t, err)
			res, err := p.Run(context.Background())
			if c.wantErr {
				require.ErrorIs(t, err, ds.ErrDirtyLimit)
				assert.Equal(t, int64(100), collected.Load(), "the record over the limit is collected too")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, int64(100), res.RecordsDirty)
			assert.Equal(t, int64(100), collected.Load())
			assert.Equal(t, int64(9900), res.RecordsWritten)
			assert.Equal(t, int64(10_000), res.RecordsRead)
			assert.Equal(t, 9900, dst.Len())
		})
	}
}

func TestDirtyLimitByRatio(t *testing.T) {
	collector := ds.DirtyFunc(func(context.Context, ds.DirtyRecord) error { return nil })
	run := func(n, nth int64, ratio float64) (ds.Result, error) {
		p, err := ds.NewPipeline(everyNthDirty(n, nth), sink.Discard(),
			ds.WithDirtyPolicy(ds.DirtyPolicy{MaxRatio: ratio, Collector: collector}))
		require.NoError(t, err)
		return p.Run(context.Background())
	}
	_, err := run(100_000, 100, 0.005) // 1% dirty, 0.5% allowed
	var limit *ds.DirtyLimitError
	require.ErrorAs(t, err, &limit)
	assert.True(t, limit.ByRate)
	assert.Less(t, limit.Read, int64(100_000), "stopped as soon as the ratio was passed")

	res, err := run(100_000, 100, 0.02) // 1% dirty, 2% allowed
	require.NoError(t, err)
	assert.Equal(t, int64(1000), res.RecordsDirty)

	_, err = run(100, 10, 0.05) // 10% of a small job: judged exactly at its end
	require.ErrorAs(t, err, &limit)
	assert.True(t, limit.ByRate)
	assert.Equal(t, int64(100), limit.Read)
}

func TestRejectedRowsInTheMiddleOfABatch(t *testing.T) {
	const n = 1000
	tooBig := errors.New("value too long for column")
	dst := sink.Collect(sink.RejectIf(func(r ds.Record) error {
		id, _ := r[0].AsInt()
		switch {
		case id%100 == 37:
			return &ds.RowError{Column: "name", Err: tooBig}
		case id%100 == 38:
			_, err := ds.String("x").Convert(ds.KindInt)
			return &ds.RowError{Column: "name", Err: err}
		}
		return nil
	}))
	var mu sync.Mutex
	var dirty []ds.DirtyRecord
	p, err := ds.NewPipeline(numbered(n), dst, ds.WithBatchSize(100, 1<<20),
		ds.WithDirtyPolicy(ds.DirtyPolicy{MaxRecords: -1, Collector: ds.DirtyFunc(func(_ context.Context, d ds.DirtyRecord) error {
			mu.Lock()
			defer mu.Unlock()
			dirty = append(dirty, d)
			return nil
		})}))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	requireExactlyOnce(t, ids(t, dst.Records()), n, func(i int64) bool { return i%100 == 37 || i%100 == 38 })
	assert.Equal(t, int64(20), res.RecordsDirty)
	assert.Equal(t, int64(980), res.RecordsWritten)
	require.Len(t, dirty, 20)
	for _, d := range dirty {
		id, err := d.Record[0].AsInt()
		require.NoError(t, err)
		assert.Equal(t, "name", d.Column)
		assert.Equal(t, fmt.Sprintf("name-%d", id), d.Value, "the value of the column at fault")
		assert.Equal(t, idName, d.Schema)
		if id%100 == 37 {
			assert.Equal(t, ds.StageWrite, d.Stage)
			assert.ErrorIs(t, d.Err, tooBig)
		} else {
			assert.Equal(t, ds.StageConvert, d.Stage)
		}
	}
}

func TestDirtyRecordsAsJSONLines(t *testing.T) {
	var out strings.Builder
	p, err := ds.NewPipeline(everyNthDirty(300, 100), sink.Discard(),
		ds.WithDirtyPolicy(ds.DirtyPolicy{MaxRecords: 10, Collector: ds.DirtyToJSONLines(&out)}))
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 3)
	var first map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	assert.Equal(t, "read", first["stage"])
	assert.Equal(t, "cannot decode", first["reason"])
	assert.Contains(t, first["value"], "garbage")
	assert.Contains(t, first["split"], "generate-")
}

func TestDirtyRecordsIntoASink(t *testing.T) {
	dirtySink := sink.Collect()
	dst := sink.Collect(sink.RejectIf(func(r ds.Record) error {
		if id, _ := r[0].AsInt(); id == 7 {
			return errors.New("duplicate key")
		}
		return nil
	}))
	p, err := ds.NewPipeline(numbered(10), dst,
		ds.WithDirtyPolicy(ds.DirtyPolicy{MaxRecords: 1, Collector: ds.DirtyToSink(dirtySink)}))
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, ds.DirtySchema(idName), dirtySink.Schema())
	recs := dirtySink.Records()
	require.Len(t, recs, 1)
	assert.Equal(t, "write", recs[0][1].String())
	assert.Equal(t, "duplicate key", recs[0][5].String())
	assert.Equal(t, "7", recs[0][6].String(), "the record's own columns follow")
	assert.Equal(t, "name-7", recs[0][7].String())
}

func TestRateLimitIsJobWide(t *testing.T) {
	const n, perSec = 2000, 4000.0
	p, err := ds.NewPipeline(numbered(n), sink.Discard(), ds.WithParallelism(4),
		ds.WithRateLimit(ds.Rate{RecordsPerSec: perSec}))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, res.Elapsed, time.Duration(n/perSec*float64(time.Second)),
		"four workers share one limit")
	assert.Equal(t, int64(n), res.RecordsWritten)
}

func TestByteRateLimit(t *testing.T) {
	// Each record is 8 + len("name-NNNN") bytes, about 17: 1700 records are
	// about 29 kB, which at 50 kB/s take more than half a second.
	const n = 1700
	src := numbered(n)
	p, err := ds.NewPipeline(src, sink.Discard(), ds.WithParallelism(3),
		ds.WithRateLimit(ds.Rate{BytesPerSec: 50_000}))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, res.Elapsed.Seconds(), float64(res.BytesRead)/50_000)
}

func TestProgressIsReported(t *testing.T) {
	var mu sync.Mutex
	var reports []ds.Progress
	p, err := ds.NewPipeline(numbered(3000), sink.Discard(), ds.WithParallelism(2),
		ds.WithRateLimit(ds.Rate{RecordsPerSec: 10_000}),
		ds.WithProgress(func(p ds.Progress) {
			mu.Lock()
			defer mu.Unlock()
			reports = append(reports, p)
		}, 20*time.Millisecond))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	require.Greater(t, len(reports), 5)
	for i := 1; i < len(reports); i++ {
		assert.GreaterOrEqual(t, reports[i].RecordsRead, reports[i-1].RecordsRead)
	}
	last := reports[len(reports)-1]
	assert.True(t, last.Done)
	assert.Equal(t, res.RecordsWritten, last.RecordsWritten)
	assert.Equal(t, int64(3000), last.EstimatedRecords)
	assert.Equal(t, last.SplitsTotal, last.SplitsDone)
	mid := reports[len(reports)/2]
	assert.False(t, mid.Done)
	assert.Greater(t, mid.RecordsPerSec, 0.0)
	_, ok := mid.Remaining()
	assert.True(t, ok)
}

func TestInvalidOptions(t *testing.T) {
	cases := map[string]ds.Option{
		"WithParallelism":  ds.WithParallelism(0),
		"WithRateLimit":    ds.WithRateLimit(ds.Rate{RecordsPerSec: -1}),
		"WithDirtyPolicy":  ds.WithDirtyPolicy(ds.DirtyPolicy{MaxRatio: 1.5}),
		"WithBatchSize":    ds.WithBatchSize(0, 100),
		"WithRetry":        ds.WithRetry(-1, 0),
		"WithProgress":     ds.WithProgress(nil, time.Second),
		"WithLogger":       ds.WithLogger(nil),
		"WithFlushEvery":   ds.WithFlushEvery(-1, 0),
		"no dirty sink":    ds.WithDirtyPolicy(ds.DirtyPolicy{MaxRecords: 10}),
		"zero interval":    ds.WithProgress(func(ds.Progress) {}, 0),
		"NaN records/sec":  ds.WithRateLimit(ds.Rate{BytesPerSec: math.NaN()}),
		"negative backoff": ds.WithRetry(1, -time.Second),
		"WithStallTimeout": ds.WithStallTimeout(-time.Second),
	}
	for name, opt := range cases {
		p, err := ds.NewPipeline(numbered(1), sink.Discard(), opt)
		assert.Nil(t, p, name)
		assert.ErrorIs(t, err, ds.ErrInvalidOption, name)
	}
	_, err := ds.NewPipeline(numbered(1), sink.Discard(), ds.WithParallelism(0), ds.WithBatchSize(1, 0))
	assert.ErrorContains(t, err, "WithParallelism", "all invalid options are reported")
	assert.ErrorContains(t, err, "WithBatchSize")
	_, err = ds.NewPipeline(nil, nil)
	assert.ErrorContains(t, err, "source is nil")
	assert.ErrorContains(t, err, "sink is nil")
}

func TestSplitJSONRoundTrip(t *testing.T) {
	s, err := ds.NewSplit("orders-3", map[string]any{"lo": 100, "hi": "z\u00e9"}, 42)
	require.NoError(t, err)
	raw, err := json.Marshal(s)
	require.NoError(t, err)
	var back ds.Split
	require.NoError(t, json.Unmarshal(raw, &back))
	assert.Equal(t, s, back)
	var spec struct {
		Lo int    `json:"lo"`
		Hi string `json:"hi"`
	}
	require.NoError(t, back.DecodeSpec(&spec))
	assert.Equal(t, 100, spec.Lo)
	assert.Equal(t, "zé", spec.Hi)

	// A plan made here runs elsewhere: split -> JSON -> RunSplit.
	src := numbered(1000)
	splits, err := src.Plan(context.Background(), ds.PlanHint{Parallelism: 2})
	require.NoError(t, err)
	raw, err = json.Marshal(splits)
	require.NoError(t, err)
	var decoded []ds.Split
	require.NoError(t, json.Unmarshal(raw, &decoded))
	assert.Equal(t, splits, decoded)
	dst := sink.Collect()
	p, err := ds.NewPipeline(numbered(1000), dst)
	require.NoError(t, err)
	for _, s := range decoded {
		_, err := p.RunSplit(context.Background(), s, nil, nil)
		require.NoError(t, err)
	}
	requireExactlyOnce(t, ids(t, dst.Records()), 1000, nil)
}

func TestRunSplitResumesFromACheckpoint(t *testing.T) {
	src := numbered(1000, source.Splits(1))
	split := planned(t, src, "generate-0")
	var checkpoints []ds.Checkpoint
	first := sink.Collect(sink.FailSplit(sink.Failure{Split: "generate-0", AfterRecords: 650, Err: errors.New("machine lost")}))
	p, err := ds.NewPipeline(src, first, ds.WithBatchSize(100, 1<<20), ds.WithFlushEvery(1, 0))
	require.NoError(t, err)
	res, err := p.RunSplit(context.Background(), split, nil, func(cp ds.Checkpoint) error {
		checkpoints = append(checkpoints, cp)
		return nil
	})
	require.Error(t, err)
	assert.Equal(t, res.Err, err)
	require.Len(t, checkpoints, 6, "one per flushed batch")
	assert.Equal(t, 600, first.Len())

	// Another machine picks up from the last checkpoint the engine stored.
	second := sink.Collect()
	p2, err := ds.NewPipeline(numbered(1000, source.Splits(1)), second)
	require.NoError(t, err)
	res, err = p2.RunSplit(context.Background(), split, checkpoints[len(checkpoints)-1], nil)
	require.NoError(t, err)
	assert.Equal(t, int64(400), res.RecordsWritten)
	got := append(ids(t, first.Records()), ids(t, second.Records())...)
	requireExactlyOnce(t, got, 1000, nil)
}

// fileLikeSink's writers are Committers: output exists only once committed,
// as a file renamed into place.
type fileLikeSink struct {
	mu        sync.Mutex
	committed map[string][]int64
	failOnce  atomic.Bool
}

func (s *fileLikeSink) Prepare(context.Context, ds.Schema) error { return nil }
func (s *fileLikeSink) Open(_ context.Context, sp ds.Split) (ds.Writer, error) {
	return &fileLikeWriter{s: s, split: sp.ID}, nil
}

type fileLikeWriter struct {
	s     *fileLikeSink
	split string
	temp  []int64
}

func (w *fileLikeWriter) Write(_ context.Context, b *ds.Batch) error {
	if len(w.temp) >= 250 && w.s.failOnce.CompareAndSwap(false, true) {
		return ds.Retryable(errors.New("network dropped"))
	}
	for i := range b.Len() {
		id, _ := b.Row(i)[0].AsInt()
		w.temp = append(w.temp, id)
	}
	return nil
}
func (w *fileLikeWriter) Flush(context.Context) error { return nil }
func (w *fileLikeWriter) Commit(context.Context) error {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	w.s.committed[w.split] = w.temp
	return nil
}
func (w *fileLikeWriter) Close() error { w.temp = nil; return nil }

func TestCommitterSplitsRestartFromTheirStart(t *testing.T) {
	dst := &fileLikeSink{committed: map[string][]int64{}}
	tr := track(numbered(1000, source.Splits(1)), dst)
	p, err := ds.NewPipeline(tr, tr.Sink(), ds.WithBatchSize(50, 1<<20), ds.WithFlushEvery(1, 0), ds.WithRetry(1, 0))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, res.Retries)
	froms := tr.opensOf("generate-0")
	require.Len(t, froms, 2)
	assert.Nil(t, froms[1], "nothing was durable before Commit, so the retry starts over")
	requireExactlyOnce(t, dst.committed["generate-0"], 1000, nil)
	assert.Equal(t, int64(1000), res.RecordsWritten)
}

type badPlan struct{ ds.Source }

func (badPlan) Plan(context.Context, ds.PlanHint) ([]ds.Split, error) {
	return []ds.Split{{ID: "a"}, {ID: "a"}}, nil
}

type badSchema struct{ ds.Source }

func (badSchema) Schema(context.Context) (ds.Schema, error) {
	return nil, errors.New(`table "orders" does not exist`)
}

func TestSourceErrorsStopTheJobBeforeTheSinkIsTouched(t *testing.T) {
	dst := sink.Collect()
	p, err := ds.NewPipeline(badPlan{numbered(1)}, dst)
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	assert.ErrorContains(t, err, `two splits have the ID "a"`)
	assert.Zero(t, dst.Prepared())

	p, err = ds.NewPipeline(badSchema{numbered(1)}, dst)
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	assert.ErrorContains(t, err, `read the source's schema: table "orders" does not exist`)
	assert.Zero(t, dst.Prepared())
}

func TestEmptySourceStillFinalizes(t *testing.T) {
	dst := sink.Collect()
	p, err := ds.NewPipeline(numbered(0), dst)
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	assert.Zero(t, res.RecordsRead)
	assert.Equal(t, 1, dst.Finalized())
}

func TestIsRetryable(t *testing.T) {
	assert.False(t, ds.IsRetryable(nil))
	assert.True(t, ds.IsRetryable(ds.Retryable(errors.New("x"))))
	assert.True(t, ds.IsRetryable(fmt.Errorf("read: %w", ds.Retryable(errors.New("x")))))
	assert.False(t, ds.IsRetryable(errors.New("x")))
	assert.False(t, ds.IsRetryable(context.Canceled))
	assert.False(t, ds.IsRetryable(&ds.DirtyLimitError{}))
	assert.False(t, ds.IsRetryable(&ds.RowErrors{}))
	assert.True(t, ds.IsRetryable(fmt.Errorf("copy: %w", errors.Join(errors.New("a"), errUnexpectedEOF()))))
	assert.False(t, ds.IsRetryable(ds.Permanent(errUnexpectedEOF())), "Permanent overrides the cause")
	assert.Nil(t, ds.Retryable(nil))
}

func errUnexpectedEOF() error { return fmt.Errorf("conn: %w", ioErrUnexpectedEOF) }

var ioErrUnexpectedEOF = io.ErrUnexpectedEOF

type checkedSink struct {
	*sink.Collection
	got ds.Schema
}

func (s *checkedSink) Check(_ context.Context, schema ds.Schema) error {
	s.got = schema
	return errors.New(`column "name" is missing in table t`)
}

func TestCheckRunsTheConnectorsChecksAndMovesNothing(t *testing.T) {
	dst := &checkedSink{Collection: sink.Collect()}
	p, err := ds.NewPipeline(numbered(100), dst)
	require.NoError(t, err)
	err = p.Check(context.Background())
	assert.ErrorContains(t, err, `check the sink: column "name" is missing in table t`)
	assert.Equal(t, idName, dst.got)
	assert.Zero(t, dst.Prepared(), "Check prepares nothing")
	assert.Zero(t, dst.Opened())

	p, err = ds.NewPipeline(badSchema{numbered(1)}, dst)
	require.NoError(t, err)
	assert.ErrorContains(t, p.Check(context.Background()), "does not exist")
}
