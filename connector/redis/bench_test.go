package redis_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/redis"
	"github.com/datasync-go/datasync/source"
)

// BenchmarkSinkHash writes b.N rows of five columns as hashes, through a
// pipeline at parallelism 2: rows per second of the sink on the test
// server (go test -bench SinkHash -benchtime 200000x ./connector/redis).
func BenchmarkSinkHash(b *testing.B) {
	conn, _, prefix := server(b)
	schema := datasync.Schema{col("id", datasync.KindInt), col("a", datasync.KindString), col("b", datasync.KindInt), col("c", datasync.KindFloat), col("d", datasync.KindString)}
	src := source.Generate(schema, int64(b.N), func(i int64, r datasync.Record) error {
		r[0], r[1], r[2], r[3], r[4] = datasync.Int(i), datasync.String("some name"), datasync.Int(i*7), datasync.Float(float64(i)/3), datasync.String(fmt.Sprint("note ", i))
		return nil
	})
	dst, err := redis.NewSink(redis.SinkConfig{Conn: conn, Type: redis.TypeHash, KeyPrefix: prefix})
	if err != nil {
		b.Fatal(err)
	}
	defer dst.Close()
	p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(2))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	res, err := p.Run(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(res.RecordsPerSec(), "rows/s")
}
