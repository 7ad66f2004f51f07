package sink_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

var schema = ds.Schema{{Name: "id", Kind: ds.KindInt}}

func batchOf(ids ...int64) *ds.Batch {
	b := ds.NewBatch(schema, 100, 1<<20)
	for _, id := range ids {
		b.Append()[0] = ds.Int(id)
	}
	return b
}

func TestCollectIsTransactional(t *testing.T) {
	ctx := context.Background()
	c := sink.Collect()
	w, err := c.Open(ctx, ds.Split{ID: "s"})
	require.NoError(t, err)
	require.NoError(t, w.Write(ctx, batchOf(1, 2)))
	assert.Zero(t, c.Len(), "not visible before Flush")
	require.NoError(t, w.Flush(ctx))
	require.NoError(t, w.Write(ctx, batchOf(3)))
	require.NoError(t, w.Close())
	assert.Equal(t, 2, c.Len(), "what was not flushed is dropped")
	assert.Len(t, c.Split("s"), 2)
	assert.Equal(t, 1, c.Opened())
}

func TestCollectKeepsCopies(t *testing.T) {
	ctx := context.Background()
	c := sink.Collect()
	w, _ := c.Open(ctx, ds.Split{ID: "s"})
	b := ds.NewBatch(ds.Schema{{Name: "s", Kind: ds.KindString}}, 10, 1<<20)
	b.Append()[0] = b.CopyString([]byte("kept"))
	require.NoError(t, w.Write(ctx, b))
	require.NoError(t, w.Flush(ctx))
	b.Reset()
	b.Append()[0] = b.CopyString([]byte("XXXX"))
	assert.Equal(t, "kept", c.Records()[0][0].String())
}

func TestCollectRejectsChosenRows(t *testing.T) {
	ctx := context.Background()
	c := sink.Collect(sink.RejectIf(func(r ds.Record) error {
		if id, _ := r[0].AsInt(); id == 2 {
			return &ds.RowError{Column: "id", Value: "2", Err: errors.New("duplicate key")}
		}
		return nil
	}))
	w, _ := c.Open(ctx, ds.Split{ID: "s"})
	err := w.Write(ctx, batchOf(1, 2, 3))
	var rows *ds.RowErrors
	require.ErrorAs(t, err, &rows)
	require.Len(t, rows.Errors, 1)
	assert.Equal(t, int64(1), rows.Errors[0].Row, "the index in the batch")
	assert.Equal(t, "id", rows.Errors[0].Column)
	require.NoError(t, w.Flush(ctx))
	assert.Equal(t, 2, c.Len())
}

func TestCollectInjectsFailures(t *testing.T) {
	ctx := context.Background()
	c := sink.Collect(sink.FailSplit(sink.Failure{Split: "s", AfterRecords: 2, Times: 2}))
	for attempt := range 3 {
		w, _ := c.Open(ctx, ds.Split{ID: "s"})
		require.NoError(t, w.Write(ctx, batchOf(1, 2)))
		err := w.Write(ctx, batchOf(3))
		if attempt < 2 {
			require.ErrorIs(t, err, sink.ErrInjected)
			assert.True(t, ds.IsRetryable(err))
		} else {
			require.NoError(t, err, "only Times failures")
		}
		require.NoError(t, w.Close())
	}
	other, _ := c.Open(ctx, ds.Split{ID: "other"})
	assert.NoError(t, other.Write(ctx, batchOf(1, 2, 3, 4)))
}

func TestDiscardCounts(t *testing.T) {
	d := sink.Discard()
	p, err := ds.NewPipeline(source.FromRecords(schema, []ds.Record{{ds.Int(1)}, {ds.Int(2)}}), d)
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(2), d.Records())
	assert.Equal(t, int64(16), d.Bytes())
}

func TestFuncSink(t *testing.T) {
	ctx := context.Background()
	var seen []int64
	s := sink.Func(func(_ context.Context, r ds.Record) error {
		id, _ := r[0].AsInt()
		if id == 2 {
			return &ds.RowError{Column: "id", Err: errors.New("no twos")}
		}
		if id == 9 {
			return errors.New("broken pipe")
		}
		seen = append(seen, id)
		return nil
	})
	w, _ := s.Open(ctx, ds.Split{ID: "s"})
	err := w.Write(ctx, batchOf(1, 2, 3))
	var rows *ds.RowErrors
	require.ErrorAs(t, err, &rows)
	assert.Equal(t, int64(1), rows.Errors[0].Row)
	assert.Equal(t, []int64{1, 3}, seen)
	err = w.Write(ctx, batchOf(9))
	assert.EqualError(t, err, "broken pipe")
	assert.False(t, errors.As(err, &rows))
}
