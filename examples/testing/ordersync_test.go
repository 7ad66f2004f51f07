package ordersync_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	ordersync "github.com/datasync-go/datasync/examples/testing"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

func order(id int64, customer, total string) datasync.Record {
	t, err := datasync.Decimal(total)
	if err != nil {
		panic(err)
	}
	return datasync.Record{datasync.Int(id), datasync.String(customer), t}
}

// reviewed collects dirty records for assertions.
type reviewed struct {
	mu   sync.Mutex
	recs []datasync.DirtyRecord
}

func (r *reviewed) collector() datasync.DirtyCollector {
	return datasync.DirtyFunc(func(_ context.Context, d datasync.DirtyRecord) error {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.recs = append(r.recs, d)
		return nil
	})
}

func TestSyncCopiesEveryOrder(t *testing.T) {
	in := []datasync.Record{order(1, "ada", "10.00"), order(2, "grace", "0.50"), order(3, "edsger", "99.99")}
	dst := sink.Collect()
	res, err := ordersync.Sync(context.Background(), source.FromRecords(ordersync.Orders, in), dst, (&reviewed{}).collector())
	require.NoError(t, err)
	assert.Equal(t, int64(3), res.RecordsWritten)
	assert.ElementsMatch(t, in, dst.Records())
}

func TestNegativeTotalsGoToReview(t *testing.T) {
	// 1,000 orders, 5 of them negative: under the 1% limit.
	src := source.Generate(ordersync.Orders, 1000, func(i int64, r datasync.Record) error {
		total := fmt.Sprintf("%d.25", i)
		if i%200 == 7 {
			total = "-" + total
		}
		copy(r, order(i, "c", total))
		return nil
	})
	dst := sink.Collect()
	review := &reviewed{}
	res, err := ordersync.Sync(context.Background(), src, dst, review.collector())
	require.NoError(t, err)
	assert.Equal(t, 995, dst.Len())
	assert.Equal(t, int64(5), res.RecordsDirty)
	require.Len(t, review.recs, 5)
	for _, d := range review.recs {
		assert.Equal(t, "total", d.Column)
		assert.Equal(t, "negative total", d.Reason())
		assert.Contains(t, d.Value, "-")
		assert.Equal(t, datasync.StageWrite, d.Stage)
	}
}

func TestTooManyBadOrdersStopTheJob(t *testing.T) {
	src := source.Generate(ordersync.Orders, 5000, func(i int64, r datasync.Record) error {
		total := "1.00"
		if i%20 == 0 { // 5%
			total = "-1.00"
		}
		copy(r, order(i, "c", total))
		return nil
	})
	_, err := ordersync.Sync(context.Background(), src, sink.Collect(), (&reviewed{}).collector())
	assert.ErrorIs(t, err, datasync.ErrDirtyLimit)
}

func TestSyncSurvivesAFlakyDestination(t *testing.T) {
	src := source.Generate(ordersync.Orders, 20000, func(i int64, r datasync.Record) error {
		copy(r, order(i, "c", "1.00"))
		return nil
	}, source.Splits(8))
	dst := sink.Collect(sink.FailSplit(sink.Failure{Split: "generate-3", AfterRecords: 1000, Times: 2}))
	res, err := ordersync.Sync(context.Background(), src, dst, (&reviewed{}).collector())
	require.NoError(t, err)
	assert.Equal(t, 2, res.Retries)
	assert.Equal(t, 20000, dst.Len(), "each order exactly once: Collect rolls back what was not flushed")
}

func TestRejectionsOfTheDestinationAndOfValidationCombine(t *testing.T) {
	in := []datasync.Record{order(1, "a", "1.00"), order(2, "b", "-2.00"), order(3, "dup", "3.00"), order(4, "d", "4.00")}
	dst := sink.Collect(sink.RejectIf(func(r datasync.Record) error {
		if r[1].String() == "dup" {
			return errors.New("duplicate key")
		}
		return nil
	}))
	review := &reviewed{}
	// Fail at the ratio check: 2 of 4 is over 1% but judged at the end, so
	// every record is accounted for first.
	_, err := ordersync.Sync(context.Background(), source.FromRecords(ordersync.Orders, in, source.Splits(1)), dst, review.collector())
	require.ErrorIs(t, err, datasync.ErrDirtyLimit)
	assert.Equal(t, 2, dst.Len())
	require.Len(t, review.recs, 2)
	reasons := map[int64]string{}
	for _, d := range review.recs {
		id, _ := d.Record[0].AsInt()
		reasons[id] = d.Reason()
	}
	assert.Equal(t, map[int64]string{2: "negative total", 3: "duplicate key"}, reasons)
}
