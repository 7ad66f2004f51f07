package datasync_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/source"
)

// streamingSink is like a COPY stream: it learns that a row is bad only
// later, and reports it from the next Write or from Flush, with a copy of
// the record. Rows whose id is a multiple of 97 are bad.
type streamingSink struct {
	mu        sync.Mutex
	committed []int64
}

func (s *streamingSink) Prepare(context.Context, ds.Schema) error { return nil }
func (s *streamingSink) Open(context.Context, ds.Split) (ds.Writer, error) {
	return &streamingWriter{s: s}, nil
}

type streamingWriter struct {
	s       *streamingSink
	given   int64       // rows given so far
	pending []int64     // good rows sent, not yet committed
	bad     []ds.Record // bad rows, not yet reported
	badAt   []int64     // their positions among the rows given
}

func (w *streamingWriter) report() error {
	if len(w.bad) == 0 {
		return nil
	}
	errs := make([]*ds.RowError, len(w.bad))
	for i, r := range w.bad {
		errs[i] = &ds.RowError{Row: w.badAt[i], Column: "id", Err: errors.New("bad row"), Record: r}
	}
	w.bad, w.badAt = nil, nil
	return &ds.RowErrors{Errors: errs}
}

func (w *streamingWriter) Write(_ context.Context, b *ds.Batch) error {
	late := w.report() // what the previous batches turned out to hold
	for i := range b.Len() {
		id, _ := b.Row(i)[0].AsInt()
		if id%97 == 0 {
			w.bad = append(w.bad, b.Row(i).Clone())
			w.badAt = append(w.badAt, w.given)
		} else {
			w.pending = append(w.pending, id)
		}
		w.given++
	}
	return late
}

func (w *streamingWriter) Flush(context.Context) error {
	w.s.mu.Lock()
	w.s.committed = append(w.s.committed, w.pending...)
	w.s.mu.Unlock()
	w.pending = nil
	return w.report()
}

func (w *streamingWriter) Close() error { return nil }

func TestRowsRejectedLateAreDirtyAndTheOthersWrittenOnce(t *testing.T) {
	const n = 5000
	dst := &streamingSink{}
	var mu sync.Mutex
	var dirty []ds.DirtyRecord
	p, err := ds.NewPipeline(numbered(n, source.Splits(3)), dst, ds.WithParallelism(2), ds.WithBatchSize(64, 1<<20),
		ds.WithFlushEvery(1000, 0),
		ds.WithDirtyPolicy(ds.DirtyPolicy{MaxRecords: -1, Collector: ds.DirtyFunc(func(_ context.Context, d ds.DirtyRecord) error {
			mu.Lock()
			defer mu.Unlock()
			dirty = append(dirty, d)
			return nil
		})}))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)

	isBad := func(i int64) bool { return i%97 == 0 }
	requireExactlyOnce(t, sortedInts(dst.committed), n, isBad)
	bad := 0
	for i := range int64(n) {
		if isBad(i) {
			bad++
		}
	}
	assert.Equal(t, int64(bad), res.RecordsDirty)
	assert.Equal(t, int64(n-bad), res.RecordsWritten)
	assert.Equal(t, int64(n), res.RecordsRead)
	require.Len(t, dirty, bad)
	for _, d := range dirty {
		id, err := d.Record[0].AsInt()
		require.NoError(t, err)
		assert.Zero(t, id%97)
		assert.Equal(t, ds.StageWrite, d.Stage)
		assert.Equal(t, "bad row", d.Reason())
		start := map[string]int64{"generate-0": 0, "generate-1": n / 3, "generate-2": 2 * n / 3}[d.Split]
		assert.Equal(t, id-start+1, d.Row, "numbered by position in the split, from 1")
		assert.Equal(t, d.Record[0].String(), d.Value)
	}
}

func TestLateRejectionsOfRowsNeverGivenFailTheSplit(t *testing.T) {
	p, err := ds.NewPipeline(numbered(10), lyingSink{})
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	assert.ErrorContains(t, err, "rejected a row it was not given")
}

type lyingSink struct{}

func (lyingSink) Prepare(context.Context, ds.Schema) error { return nil }
func (lyingSink) Open(context.Context, ds.Split) (ds.Writer, error) {
	return lyingWriter{}, nil
}

type lyingWriter struct{}

func (lyingWriter) Write(context.Context, *ds.Batch) error { return nil }
func (lyingWriter) Flush(context.Context) error {
	return &ds.RowErrors{Errors: []*ds.RowError{{Row: 99, Record: ds.Record{ds.Int(1), ds.Null()}, Err: errors.New("x")}}}
}
func (lyingWriter) Close() error { return nil }

func sortedInts(v []int64) []int64 {
	out := slices.Clone(v)
	slices.Sort(out)
	return out
}
