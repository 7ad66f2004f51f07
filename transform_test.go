package datasync_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

var transformSchema = ds.Schema{
	{Name: "id", Kind: ds.KindInt, Key: 1},
	{Name: "name", Kind: ds.KindString},
}

func transformSource(n int64) ds.Source {
	return source.Generate(transformSchema, n, func(i int64, r ds.Record) error {
		r[0] = ds.Int(i)
		r[1] = ds.String(fmt.Sprintf("name-%d", i))
		return nil
	})
}

// upper upper-cases the name into the batch's arena, drops ids divisible by
// 5 and makes ids divisible by 7 dirty.
var upper = ds.TransformFunc(func(rec ds.Record, b *ds.Batch) (bool, error) {
	id, _ := rec[0].AsInt()
	switch {
	case id%5 == 0:
		return false, nil
	case id%7 == 0:
		return false, &ds.RowError{Column: "id", Value: rec[0].String(), Err: errors.New("seven")}
	}
	rec[1] = b.CopyString([]byte(strings.ToUpper(string(rec[1].Raw()))))
	return true, nil
})

func TestTransformMapsDropsAndDirties(t *testing.T) {
	const n = 1000
	var mu sync.Mutex
	var dirty []ds.DirtyRecord
	dst := sink.Collect()
	p, err := ds.NewPipeline(transformSource(n), dst, ds.WithParallelism(3), ds.WithBatchSize(64, 1<<20),
		ds.WithTransform(upper),
		ds.WithDirtyPolicy(ds.DirtyPolicy{MaxRecords: -1, Collector: ds.DirtyFunc(func(_ context.Context, d ds.DirtyRecord) error {
			mu.Lock()
			defer mu.Unlock()
			dirty = append(dirty, d)
			return nil
		})}))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)

	var wantWritten, wantDropped, wantDirty int64
	for i := range int64(n) {
		switch {
		case i%5 == 0:
			wantDropped++
		case i%7 == 0:
			wantDirty++
		default:
			wantWritten++
		}
	}
	assert.Equal(t, int64(n), res.RecordsRead)
	assert.Equal(t, wantWritten, res.RecordsWritten)
	assert.Equal(t, wantDropped, res.RecordsFiltered)
	assert.Equal(t, wantDirty, res.RecordsDirty)
	var splitsFiltered int64
	for _, s := range res.Splits {
		splitsFiltered += s.RecordsFiltered
	}
	assert.Equal(t, wantDropped, splitsFiltered)
	require.Len(t, dirty, int(wantDirty))
	for _, d := range dirty {
		assert.Equal(t, ds.StageTransform, d.Stage)
		assert.Equal(t, "id", d.Column)
		assert.EqualError(t, d.Err, "seven")
		id, _ := d.Record[0].AsInt()
		assert.Equal(t, d.Value, fmt.Sprint(id))
		assert.Zero(t, id%7)
		assert.Positive(t, d.Row)
	}
	require.Equal(t, int(wantWritten), dst.Len())
	for _, r := range dst.Records() {
		id, _ := r[0].AsInt()
		assert.Equal(t, fmt.Sprintf("NAME-%d", id), r[1].String())
		assert.True(t, id%5 != 0 && id%7 != 0)
	}
	// The bytes written are those of the transformed records.
	assert.Equal(t, res.BytesWritten, recordsSize(dst.Records()))
}

func recordsSize(rs []ds.Record) int64 {
	var n int64
	for _, r := range rs {
		n += int64(r.Size())
	}
	return n
}

// Transform errors count against the dirty policy like any other.
func TestTransformDirtyLimit(t *testing.T) {
	p, err := ds.NewPipeline(transformSource(100), sink.Collect(), ds.WithTransform(upper))
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.ErrorIs(t, err, ds.ErrDirtyLimit)
	assert.ErrorContains(t, err, "seven")
}

// fitsTwoColumns is a Transformer that checks the schema.
type fitsTwoColumns struct{ column int }

func (f fitsTwoColumns) NewTransform(s ds.Schema) (ds.TransformFunc, error) {
	if f.column >= len(s) {
		return nil, fmt.Errorf("column %d is out of range", f.column)
	}
	return func(ds.Record, *ds.Batch) (bool, error) { return true, nil }, nil
}

// A transformer that does not fit the schema fails the job before the sink
// is prepared.
func TestTransformRefusedBeforePrepare(t *testing.T) {
	dst := sink.Collect()
	p, err := ds.NewPipeline(transformSource(10), dst, ds.WithTransform(fitsTwoColumns{1}, fitsTwoColumns{5}))
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.EqualError(t, err, "datasync: transformer 2: column 5 is out of range")
	assert.Zero(t, dst.Prepared())
	require.EqualError(t, p.Prepare(context.Background()), "datasync: transformer 2: column 5 is out of range")
	require.EqualError(t, p.Check(context.Background()), "datasync: transformer 2: column 5 is out of range")

	_, err = ds.NewPipeline(transformSource(10), dst, ds.WithTransform(nil))
	require.ErrorIs(t, err, ds.ErrInvalidOption)
}

// Each worker gets its own TransformFunc from NewTransform, so that state
// needs no lock.
type counting struct {
	mu    sync.Mutex
	made  int
	total int
}

func (c *counting) NewTransform(ds.Schema) (ds.TransformFunc, error) {
	c.mu.Lock()
	c.made++
	c.mu.Unlock()
	n := 0
	return func(ds.Record, *ds.Batch) (bool, error) {
		n++ // per worker: no lock
		if n == 1 {
			// Hold the first record until the other worker has its own
			// transform, so that one worker cannot run every split alone.
			for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
				c.mu.Lock()
				both := c.made >= 3
				c.mu.Unlock()
				if both {
					break
				}
			}
		}
		if n%100 == 0 {
			c.mu.Lock()
			c.total += 100
			c.mu.Unlock()
		}
		return true, nil
	}, nil
}

func TestTransformPerWorker(t *testing.T) {
	c := &counting{}
	p, err := ds.NewPipeline(transformSource(4000), sink.Discard(), ds.WithParallelism(2), ds.WithTransform(c))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(4000), res.RecordsWritten)
	assert.Equal(t, 3, c.made) // once to check, once per worker
}
