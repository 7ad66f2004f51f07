package datasync_test

import (
	"context"
	"runtime"
	"testing"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/transform"
)

// BenchmarkTransform runs the ten-column table through the transformation
// stage: a Go function that changes an Int in place and drops one record in
// ten, alone and with DataX's Substr and Digest on strings. allocs/row
// shows the stage allocates nothing per record (compare BenchmarkPipeline,
// the same table without the stage).
func BenchmarkTransform(b *testing.B) {
	const rows = 1_000_000
	bump := ds.TransformFunc(func(rec ds.Record, _ *ds.Batch) (bool, error) {
		id, _ := rec[0].AsInt()
		if id%10 == 9 {
			return false, nil
		}
		rec[1] = ds.Int(id * 2)
		return true, nil
	})
	for _, tc := range []struct {
		name string
		ts   []ds.Transformer
	}{
		{"func", []ds.Transformer{bump}},
		{"func+substr+digest", []ds.Transformer{bump, transform.Substr(3, 2, 5), transform.Digest(4, transform.MD5, true)}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			p, err := ds.NewPipeline(tenColumnSource(rows), sink.Discard(), ds.WithParallelism(1), ds.WithTransform(tc.ts...))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				res, err := p.Run(context.Background())
				if err != nil || res.RecordsWritten != rows/10*9 || res.RecordsFiltered != rows/10 {
					b.Fatalf("%v (%d filtered): %v", res, res.RecordsFiltered, err)
				}
			}
			runtime.ReadMemStats(&after)
			total := float64(rows) * float64(b.N)
			b.ReportMetric(total/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/total, "allocs/row")
		})
	}
}
