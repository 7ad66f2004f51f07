package datasync_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

// tenColumns is the benchmark table of DESIGN.md section 8: the mix of types
// a typical business table has, with about 10% NULLs.
var tenColumns = ds.Schema{
	{Name: "id", Kind: ds.KindInt, Key: 1},
	{Name: "qty", Kind: ds.KindInt, Nullable: true},
	{Name: "big", Kind: ds.KindInt, Nullable: true},
	{Name: "name", Kind: ds.KindString, Length: 64, Nullable: true},
	{Name: "note", Kind: ds.KindString, Nullable: true},
	{Name: "amount", Kind: ds.KindDecimal, Precision: 18, Scale: 4, Nullable: true},
	{Name: "score", Kind: ds.KindFloat, Nullable: true},
	{Name: "active", Kind: ds.KindBool, Nullable: true},
	{Name: "created", Kind: ds.KindTimestamp, Precision: 6, Nullable: true},
	{Name: "day", Kind: ds.KindDate, Nullable: true},
}

// tenColumnSource generates n rows of tenColumns without allocating: the
// variable-width values come from pools built once.
func tenColumnSource(n int64) ds.Source {
	const pool = 1024
	names := make([]ds.Value, pool)
	notes := make([]ds.Value, pool)
	amounts := make([]ds.Value, pool)
	for i := range pool {
		names[i] = ds.String(fmt.Sprintf("customer-%06d", i*7919%1000003))
		notes[i] = ds.String(strings.Repeat(fmt.Sprintf("note %d; ", i), 20)[:100])
		amounts[i], _ = ds.Decimal(fmt.Sprintf("%d.%04d", i*37, i%10000))
	}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	return source.Generate(tenColumns, n, func(i int64, r ds.Record) error {
		r[0] = ds.Int(i)
		r[1] = ds.Int(i % 1000)
		r[2] = ds.Int(i * 1_000_003)
		r[3] = names[i%pool]
		r[4] = notes[(i*13)%pool]
		r[5] = amounts[(i*31)%pool]
		r[6] = ds.Float(float64(i) / 7)
		r[7] = ds.Bool(i%2 == 0)
		r[8] = ds.TimestampValue(ds.TimestampFromMicros(base+i*1_000_001, true))
		r[9] = ds.DateValue(ds.DateFromDays(19000 + i%2000))
		r[i%10] = ds.Null() // about 10% NULLs
		if i%10 == 0 {
			r[0] = ds.Int(i) // the key is never NULL
		}
		return nil
	})
}

// BenchmarkPipeline moves a generated ten-column table into a discarding
// sink and reports rows/s and allocations per row.
func BenchmarkPipeline(b *testing.B) {
	const rows = 1_000_000
	for _, parallelism := range []int{1, 2} {
		b.Run(fmt.Sprintf("parallelism=%d", parallelism), func(b *testing.B) {
			p, err := ds.NewPipeline(tenColumnSource(rows), sink.Discard(), ds.WithParallelism(parallelism))
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
			total := float64(rows) * float64(b.N)
			b.ReportMetric(total/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/total, "allocs/row")
			b.ReportMetric(0, "ns/op")
		})
	}
}
