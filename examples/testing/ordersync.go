// Package ordersync shows how to unit-test code that runs pipelines, with no
// database: feed it in-memory sources (source.FromRecords, source.Generate,
// source.Func), check what reaches sink.Collect, and make the destination
// reject rows or fail (sink.RejectIf, sink.FailSplit) to test the unhappy
// paths. See ordersync_test.go; the code under test is Sync.
package ordersync

import (
	"context"
	"time"

	"github.com/datasync-go/datasync"
)

// Orders is the schema Sync expects.
var Orders = datasync.Schema{
	{Name: "id", Kind: datasync.KindInt, Key: 1},
	{Name: "customer", Kind: datasync.KindString},
	{Name: "total", Kind: datasync.KindDecimal, Precision: 12, Scale: 2},
}

// Sync copies orders from src to dst. An order with a negative total is not
// copied: it goes to review as dirty data, and the job fails when more than
// 1% of the orders are such. Transient failures of either side are retried.
func Sync(ctx context.Context, src datasync.Source, dst datasync.Sink, review datasync.DirtyCollector) (datasync.Result, error) {
	p, err := datasync.NewPipeline(src, rejectNegativeTotals(dst),
		datasync.WithParallelism(4),
		datasync.WithRetry(3, 100*time.Millisecond),
		datasync.WithDirtyPolicy(datasync.DirtyPolicy{MaxRatio: 0.01, Collector: review}),
	)
	if err != nil {
		return datasync.Result{}, err
	}
	return p.Run(ctx)
}
