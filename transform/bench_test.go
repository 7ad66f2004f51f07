package transform_test

import (
	"testing"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/transform"
)

// BenchmarkTransformers runs each transformer over a batch of records;
// -benchmem shows 0 allocs/op: scratch buffers are per worker and results
// go into the batch's arena.
func BenchmarkTransformers(b *testing.B) {
	for _, tc := range []struct {
		name string
		tr   ds.Transformer
	}{
		{"substr", transform.Substr(1, 2, 5)},
		{"pad", transform.Pad(1, transform.Left, 40, "0")},
		{"replace", transform.Replace(1, 2, 4, "****")},
		{"filter-like", transform.Filter(1, transform.Like, "name-[0-9]*7")},
		{"filter-int", transform.Filter(0, transform.GreaterEqual, "500")},
		{"digest-md5", transform.Digest(1, transform.MD5, true)},
		{"digest-sha1-int", transform.Digest(0, transform.SHA1, false)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			f, err := tc.tr.NewTransform(schema)
			if err != nil {
				b.Fatal(err)
			}
			const rows = 1024
			names := make([]ds.Value, rows)
			for i := range names {
				names[i] = ds.String("name-" + string(rune('a'+i%26)) + "-0123456789")
			}
			batch := ds.NewBatch(schema, rows, 1<<20)
			b.ReportAllocs()
			for b.Loop() {
				batch.Reset()
				for i := range rows {
					r := batch.Append()
					r[0], r[1] = ds.Int(int64(i)), names[i]
					if _, err := f(r, batch); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
		})
	}
}
