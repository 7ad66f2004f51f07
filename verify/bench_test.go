package verify_test

import (
	"context"
	"testing"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/source"
	"github.com/datasync-go/datasync/verify"
)

// BenchmarkCompare measures the comparison itself (canonical encoding,
// hashing, sorting, merging) on in-memory sources of 200,000 rows a side,
// in memory and spilled to temporary files.
func BenchmarkCompare(b *testing.B) {
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt, Key: 1}, {Name: "amount", Kind: datasync.KindDecimal},
		{Name: "note", Kind: datasync.KindString}, {Name: "at", Kind: datasync.KindTimestamp}}
	const rows = 200_000
	gen := func() datasync.Source {
		return source.Generate(schema, rows, func(i int64, r datasync.Record) error {
			d, err := datasync.Decimal("12.50")
			if err != nil {
				return err
			}
			r[0], r[1], r[2] = datasync.Int(rows-i), d, datasync.String("some note of a row")
			return nil
		})
	}
	for _, c := range []struct {
		name   string
		memory int
	}{{"memory", 0}, {"spilled", 50_000}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				rep, err := verify.Compare(context.Background(), gen(), gen(), verify.Options{MemoryRows: c.memory, TempDir: b.TempDir()})
				if err != nil || !rep.Equal() {
					b.Fatal(err, rep)
				}
			}
			b.ReportMetric(float64(2*rows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
