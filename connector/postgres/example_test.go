package postgres_test

import (
	"context"
	"log"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/postgres"
)

// Copy a table between two PostgreSQL databases: the service's own pool on
// one side, a DSN on the other; rows the target rejects go to a file of
// JSON lines.
func Example() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("ORDERS_DSN"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()

	src, err := postgres.NewSource(postgres.SourceConfig{Pool: pool, Table: "public.orders", Where: "created >= '2024-01-01'"})
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	dst, err := postgres.NewSink(postgres.SinkConfig{
		DSN:         os.Getenv("WAREHOUSE_DSN"),
		Table:       "staging.orders",
		WriteMode:   postgres.WriteUpsert,
		CreateTable: true,
		PostSQL:     []string{"ANALYZE @table"},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer dst.Close()

	dirty, err := os.Create("orders.dirty.jsonl")
	if err != nil {
		log.Fatal(err)
	}
	defer dirty.Close()
	p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(8),
		datasync.WithDirtyPolicy(datasync.DirtyPolicy{MaxRecords: 100, Collector: datasync.DirtyToJSONLines(dirty)}))
	if err != nil {
		log.Fatal(err)
	}
	if err := p.Check(ctx); err != nil { // connectivity, tables, columns, types, privileges
		log.Fatal(err)
	}
	res, err := p.Run(ctx)
	if err != nil {
		log.Fatal(err)
	}
	log.Println(res)
}

// Read a query in one point-in-time snapshot, with DataX's parameter names.
func ExampleSourceConfig() {
	src, err := postgres.NewSource(postgres.SourceConfig{
		DSN:        "postgres://reader@db.internal:5432/shop?sslmode=require",
		Table:      `"Sales"."Order Lines"`,
		Column:     []string{"id", "amount * 100 AS cents", "'eu' AS region"},
		SplitPK:    "id",
		FetchSize:  5000,
		Consistent: true, // every split reads the snapshot exported when planning
	})
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
}
