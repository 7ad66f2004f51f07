package verify_test

import (
	"context"
	"fmt"
	"log"

	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/connector/postgres"
	"github.com/datasync-go/datasync/verify"
)

// Compare a MySQL table with the PostgreSQL table a job copied it to,
// moving no data, and print the key ranges that differ.
func ExampleCompare() {
	ctx := context.Background()
	src, err := mysql.NewSource(mysql.SourceConfig{DSN: "user:password@tcp(mysql:3306)/shop", Table: "orders"})
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	dst, err := postgres.NewSource(postgres.SourceConfig{DSN: "postgres://user@pg/warehouse", Table: "orders"})
	if err != nil {
		log.Fatal(err)
	}
	defer dst.Close()
	rep, err := verify.Compare(ctx, src, dst, verify.Options{Key: []string{"id"}})
	if err != nil {
		log.Fatal(err)
	}
	if rep.Equal() {
		fmt.Println("equal:", rep.SourceRows, "rows")
	}
	for _, d := range rep.Diffs {
		fmt.Println(d) // keys [1001 .. 2000]: source 1000 rows, target 999 rows; 1 missing in the target (1234)
	}
}
