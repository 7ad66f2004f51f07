package source_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var schema = ds.Schema{{Name: "id", Kind: ds.KindInt}, {Name: "name", Kind: ds.KindString}}

func records(n int) []ds.Record {
	recs := make([]ds.Record, n)
	for i := range recs {
		recs[i] = ds.Record{ds.Int(int64(i)), ds.String(fmt.Sprint("r", i))}
	}
	return recs
}

func run(t *testing.T, src ds.Source, opts ...ds.Option) (*sink.Collection, ds.Result, error) {
	t.Helper()
	dst := sink.Collect()
	p, err := ds.NewPipeline(src, dst, opts...)
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	return dst, res, err
}

func sortedIDs(recs []ds.Record) []int64 {
	var out []int64
	for _, r := range recs {
		id, _ := r[0].AsInt()
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

func seq(n int64) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = int64(i)
	}
	return out
}

func TestFromRecordsPlansSplitsAndDeliversEachRecordOnce(t *testing.T) {
	src := source.FromRecords(schema, records(1000))
	splits, err := src.Plan(context.Background(), ds.PlanHint{Parallelism: 3})
	require.NoError(t, err)
	assert.Len(t, splits, 12)
	var rows int64
	for _, s := range splits {
		rows += s.Rows
	}
	assert.Equal(t, int64(1000), rows)

	dst, _, err := run(t, source.FromRecords(schema, records(1000), source.Splits(7)), ds.WithParallelism(3))
	require.NoError(t, err)
	assert.Equal(t, seq(1000), sortedIDs(dst.Records()))
	assert.Equal(t, "r999", dst.Split("records-6")[len(dst.Split("records-6"))-1][1].String())
}

func TestEmptyAndTinySources(t *testing.T) {
	for _, n := range []int{0, 1, 2} {
		src := source.FromRecords(schema, records(n), source.Splits(5))
		splits, err := src.Plan(context.Background(), ds.PlanHint{Parallelism: 1})
		require.NoError(t, err)
		assert.Len(t, splits, max(n, 1))
		dst, _, err := run(t, src)
		require.NoError(t, err)
		assert.Equal(t, n, dst.Len())
	}
}

func TestRecordsOfTheWrongWidthFailTheSplit(t *testing.T) {
	recs := records(3)
	recs[1] = ds.Record{ds.Int(1)}
	_, _, err := run(t, source.FromRecords(schema, recs, source.Splits(1)))
	assert.ErrorContains(t, err, "record 1 has 1 values but the schema has 2 columns")
}

func TestReadersResumeFromACheckpoint(t *testing.T) {
	for name, src := range map[string]ds.Source{
		"FromRecords": source.FromRecords(schema, records(100), source.Splits(1)),
		"Generate": source.Generate(schema, 100, func(i int64, r ds.Record) error {
			r[0] = ds.Int(i)
			return nil
		}, source.Splits(1)),
		"Func": source.Func(schema, func(_ context.Context, out *source.Emitter) error {
			for i := range int64(100) {
				if err := out.Record(ds.Record{ds.Int(i), ds.Null()}); err != nil {
					return err
				}
			}
			return nil
		}),
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			splits, err := src.Plan(ctx, ds.PlanHint{Parallelism: 1})
			require.NoError(t, err)
			require.Len(t, splits, 1)
			r, err := src.Open(ctx, splits[0], nil)
			require.NoError(t, err)
			b := ds.NewBatch(schema, 30, 1<<20)
			require.NoError(t, r.Read(ctx, b))
			cp := r.Checkpoint()
			require.NoError(t, r.Close())

			r, err = src.Open(ctx, splits[0], cp)
			require.NoError(t, err)
			defer r.Close()
			var got []int64
			for {
				b.Reset()
				err := r.Read(ctx, b)
				for i := range b.Len() {
					id, _ := b.Row(i)[0].AsInt()
					got = append(got, id)
				}
				if errors.Is(err, io.EOF) {
					break
				}
				require.NoError(t, err)
			}
			assert.Equal(t, seq(100)[30:], got)
		})
	}
}

func TestMalformedCheckpoints(t *testing.T) {
	ctx := context.Background()
	src := source.FromRecords(schema, records(10), source.Splits(2))
	splits, _ := src.Plan(ctx, ds.PlanHint{})
	_, err := src.Open(ctx, splits[0], ds.Checkpoint{0xff})
	assert.ErrorContains(t, err, "malformed checkpoint")
	_, err = src.Open(ctx, splits[0], ds.Checkpoint{9})
	assert.ErrorContains(t, err, "outside the split")
	_, err = src.Open(ctx, ds.Split{ID: "x", Spec: []byte(`{"start":5,"end":50}`)}, nil)
	assert.ErrorContains(t, err, "outside the source's 10 records")
}

func TestGenerateReportsDirtyRowsAndFailures(t *testing.T) {
	src := source.Generate(schema, 100, func(i int64, r ds.Record) error {
		if i%10 == 3 {
			return &ds.RowError{Value: "bad", Err: errors.New("unparsable")}
		}
		r[0] = ds.Int(i)
		return nil
	})
	var rows []int64
	dst := sink.Collect()
	p, err := ds.NewPipeline(src, dst, ds.WithDirtyPolicy(ds.DirtyPolicy{MaxRecords: -1,
		Collector: ds.DirtyFunc(func(_ context.Context, d ds.DirtyRecord) error {
			rows = append(rows, d.Row)
			return nil
		})}))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(10), res.RecordsDirty)
	assert.Equal(t, 90, dst.Len())
	slices.Sort(rows)
	assert.Equal(t, []int64{3, 13, 23, 33, 43, 53, 63, 73, 83, 93}, rows, "the dirty row is numbered by its index")

	boom := errors.New("generator broke")
	_, _, err = run(t, source.Generate(schema, 10, func(int64, ds.Record) error { return boom }, source.Splits(1)))
	assert.ErrorIs(t, err, boom)
	assert.ErrorContains(t, err, "generate record 0")
}

func TestFuncEmitsRecordsAndDirtyRows(t *testing.T) {
	src := source.Func(schema, func(ctx context.Context, out *source.Emitter) error {
		reused := ds.Record{ds.Null(), ds.Null()}
		buf := []byte("name-?")
		for i := range int64(10) {
			if i == 4 {
				if err := out.Dirty(&ds.RowError{Value: "line 5", Err: errors.New("bad line")}); err != nil {
					return err
				}
				continue
			}
			buf[5] = byte('0' + i)
			reused[0], reused[1] = ds.Int(i), ds.Bytes(buf) // both reused: Emitter copies
			if err := out.Record(reused); err != nil {
				return err
			}
		}
		return nil
	})
	var dirty []ds.DirtyRecord
	dst := sink.Collect()
	p, err := ds.NewPipeline(src, dst, ds.WithBatchSize(3, 1<<20), ds.WithDirtyPolicy(ds.DirtyPolicy{MaxRecords: 1,
		Collector: ds.DirtyFunc(func(_ context.Context, d ds.DirtyRecord) error { dirty = append(dirty, d); return nil })}))
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	require.Len(t, dirty, 1)
	assert.Equal(t, int64(5), dirty[0].Row)
	recs := dst.Records()
	require.Len(t, recs, 9)
	assert.Equal(t, "name-9", recs[8][1].String())
	assert.Equal(t, "name-0", recs[0][1].String(), "values were copied, not kept")
}

func TestFuncIsRetriedByReplaying(t *testing.T) {
	calls := 0
	src := source.Func(schema, func(ctx context.Context, out *source.Emitter) error {
		calls++
		for i := range int64(1000) {
			if err := out.Record(ds.Record{ds.Int(i), ds.Null()}); err != nil {
				return err
			}
		}
		return nil
	})
	dst := sink.Collect(sink.FailSplit(sink.Failure{Split: "func", AfterRecords: 450}))
	p, err := ds.NewPipeline(src, dst, ds.WithBatchSize(100, 1<<20), ds.WithFlushEvery(1, 0), ds.WithRetry(1, 0))
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2, calls)
	assert.Equal(t, seq(1000), sortedIDs(dst.Records()))
}

func TestFuncErrorsFailTheSplit(t *testing.T) {
	boom := errors.New("api down")
	_, _, err := run(t, source.Func(schema, func(ctx context.Context, out *source.Emitter) error {
		_ = out.Record(ds.Record{ds.Int(1), ds.Null()})
		return boom
	}))
	assert.ErrorIs(t, err, boom)
}
