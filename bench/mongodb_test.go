package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/bench/internal/dataset"
	"github.com/datasync-go/datasync/connector/mongodb"
	"github.com/datasync-go/datasync/sink"
)

// BenchmarkMongoDB is the MongoDB scenario, datasync alone (no native tool
// to compare with is installed here): the bench dataset (BENCH_MONGODB_ROWS
// rows, 100,000 by default) written from memory into a collection
// (memory->mongodb, unordered bulk inserts), then read back from it
// (mongodb->discard, _id range splits), at parallelism 1 and 4. It runs
// against DATASYNC_TEST_MONGODB_URI (FerretDB v1.24.2 on SQLite in this
// repository's CI; see bench/README.md for the figures) and is skipped
// without it:
//
//	DATASYNC_TEST_MONGODB_URI=mongodb://127.0.0.1:27017/ go test ./bench -run '^$' -bench MongoDB -benchtime 1x
func BenchmarkMongoDB(b *testing.B) {
	uri := os.Getenv("DATASYNC_TEST_MONGODB_URI")
	if uri == "" {
		b.Skip("DATASYNC_TEST_MONGODB_URI is not set")
	}
	rows := int64(100_000)
	if s := os.Getenv("BENCH_MONGODB_ROWS"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		require.NoError(b, err)
		rows = n
	}
	ctx := context.Background()
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	require.NoError(b, err)
	defer client.Disconnect(ctx)
	database := fmt.Sprintf("bench_%d", time.Now().UnixNano())
	defer client.Database(database).Drop(ctx)

	schema := dataset.Schema()
	fields := schema.Names()
	fields[0] = "_id" // the key
	columns := make([]mongodb.Column, len(schema))
	for i, c := range schema {
		columns[i] = mongodb.Column{Name: fields[i], Kind: c.Kind}
	}
	for _, par := range []int{1, 4} {
		coll := fmt.Sprintf("bench_%d", par)
		b.Run(fmt.Sprintf("memory->mongodb/par=%d", par), func(b *testing.B) {
			for range b.N {
				require.NoError(b, client.Database(database).Collection(coll).Drop(ctx))
				dst, err := mongodb.NewSink(mongodb.SinkConfig{URI: uri, Database: database, Collection: coll, Columns: fields,
					Decimal: mongodb.DecimalAsString}) // FerretDB has no Decimal128
				require.NoError(b, err)
				res := runBench(b, dataset.New(dataset.Spec{Rows: rows, Seed: 1}).Source(), dst, par)
				require.EqualValues(b, rows, res.RecordsWritten)
				require.NoError(b, dst.Close())
			}
		})
		b.Run(fmt.Sprintf("mongodb->discard/par=%d", par), func(b *testing.B) {
			for range b.N {
				src, err := mongodb.NewSource(mongodb.SourceConfig{URI: uri, Database: database, Collection: coll, Columns: columns})
				require.NoError(b, err)
				res := runBench(b, src, sink.Discard(), par)
				require.EqualValues(b, rows, res.RecordsRead)
				require.NoError(b, src.Close())
			}
		})
	}
}

// runBench runs one pipeline and reports its rate.
func runBench(b *testing.B, src datasync.Source, dst datasync.Sink, par int) datasync.Result {
	b.Helper()
	p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(par))
	require.NoError(b, err)
	res, err := p.Run(context.Background())
	require.NoError(b, err)
	b.ReportMetric(float64(res.RecordsRead)/res.Elapsed.Seconds(), "rows/s")
	b.ReportMetric(float64(res.BytesRead)/1e6/res.Elapsed.Seconds(), "MB/s")
	return res
}
