package datasync_test

import (
	"context"
	"runtime"
	"testing"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
)

// BenchmarkBatchOverhead moves a generated table in batches of 16 rows, so
// that what the pipeline does per batch (not per row) dominates, and reports
// allocations per batch.
func BenchmarkBatchOverhead(b *testing.B) {
	const rows, batchRows = 200_000, 16
	p, err := ds.NewPipeline(tenColumnSource(rows), sink.Discard(), ds.WithParallelism(1), ds.WithBatchSize(batchRows, 1<<20))
	if err != nil {
		b.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		res, err := p.Run(context.Background())
		if err != nil || res.RecordsWritten != rows {
			b.Fatalf("%v: %v", res, err)
		}
	}
	runtime.ReadMemStats(&after)
	batches := float64(rows/batchRows) * float64(b.N)
	b.ReportMetric(b.Elapsed().Seconds()*1e9/batches, "ns/batch")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/batches, "allocs/batch")
	b.ReportMetric(0, "ns/op")
}
