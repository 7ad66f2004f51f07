package mongodb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mongodb"
	"github.com/datasync-go/datasync/connector/postgres"
)

// Copy the paid orders of a collection to a PostgreSQL table, nested fields
// flattened into columns; documents that do not convert go to a file of
// JSON lines.
func Example() {
	ctx := context.Background()
	src, err := mongodb.NewSource(mongodb.SourceConfig{
		URI:        os.Getenv("ORDERS_MONGODB_URI"),
		Database:   "shop",
		Collection: "orders",
		Columns: []mongodb.Column{
			{Name: "_id", Kind: datasync.KindString},
			{Name: "customer.name", Kind: datasync.KindString},
			{Name: "total", Kind: datasync.KindDecimal},
			{Name: "items", Kind: datasync.KindJSON},
			{Name: "paidAt", Kind: datasync.KindTimestamp},
		},
		Filter: `{"status": "paid"}`,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	dst, err := postgres.NewSink(postgres.SinkConfig{DSN: os.Getenv("WAREHOUSE_DSN"), Table: "staging.orders",
		Column: []string{"id", "customer", "total", "items", "paid_at"}, WriteMode: postgres.WriteUpsert})
	if err != nil {
		log.Fatal(err)
	}
	defer dst.Close()
	dirty, err := os.Create("orders.dirty.jsonl")
	if err != nil {
		log.Fatal(err)
	}
	defer dirty.Close()
	p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(4),
		datasync.WithDirtyPolicy(datasync.DirtyPolicy{MaxRecords: 100, Collector: datasync.DirtyToJSONLines(dirty)}))
	if err != nil {
		log.Fatal(err)
	}
	res, err := p.Run(ctx)
	if err != nil {
		log.Fatal(err)
	}
	log.Println(res)
}

// Columns in JSON, as a job file gives them; the URI's password is masked
// whenever a config is shown.
func ExampleColumn() {
	var cfg mongodb.SourceConfig
	err := json.Unmarshal([]byte(`{"uri": "mongodb://app:s3cret@db1:27017/", "database": "shop", "collection": "orders",
		"columns": [{"name": "_id", "type": "String"}, {"name": "customer.address.city", "type": "string"}, {"name": "total", "type": "Decimal"}]}`), &cfg)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range cfg.Columns {
		fmt.Println(c.Name, c.Kind)
	}
	fmt.Println(cfg)
	// Output:
	// _id String
	// customer.address.city String
	// total Decimal
	// mongodb source {uri "mongodb://app:xxxxx@db1:27017/", database "shop", collection "orders", columns 3, filter ""}
}
