package redis_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/connector/redis"
)

// Load a MySQL table into Redis as one hash per user, "user:<id>", each
// field a column, expiring a day after the load.
func Example() {
	ctx := context.Background()
	src, err := mysql.NewSource(mysql.SourceConfig{DSN: os.Getenv("SHOP_DSN"), Table: "users", Column: []string{"id", "name", "email", "plan"}})
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	dst, err := redis.NewSink(redis.SinkConfig{
		Conn:       redis.Conn{Addr: "cache:6379", Password: os.Getenv("REDIS_PASSWORD")},
		Type:       redis.TypeHash,
		KeyColumns: []int{0},
		KeyPrefix:  "user:",
		TTL:        24 * time.Hour,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer dst.Close()
	p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(4))
	if err != nil {
		log.Fatal(err)
	}
	res, err := p.Run(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res)
}

// A Source divides the hash slots among its splits; planning does no I/O.
func ExampleSource_Plan() {
	src, err := redis.NewSource(redis.SourceConfig{Conn: redis.Conn{Addr: "cache:6379"}, Match: "user:*", Layout: redis.LayoutElement})
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	schema, _ := src.Schema(context.Background())
	fmt.Println(schema.Names())
	splits, _ := src.Plan(context.Background(), datasync.PlanHint{Parallelism: 4})
	for _, s := range splits {
		fmt.Println(s.ID, string(s.Spec))
	}
	// Output:
	// [key type field value ttl]
	// slots-00000-04095 {"from":0,"to":4096}
	// slots-04096-08191 {"from":4096,"to":8192}
	// slots-08192-12287 {"from":8192,"to":12288}
	// slots-12288-16383 {"from":12288,"to":16384}
}

// A config shows its password masked, wherever it is printed or logged.
func ExampleSinkConfig_String() {
	cfg := redis.SinkConfig{Conn: redis.Conn{Addr: "cache:6379", Password: "s3cret"}, Type: redis.TypeSet, KeyPrefix: "tags:"}
	j, _ := cfg.MarshalJSON()
	fmt.Println(string(j))
	// Output:
	// {"addr":"cache:6379","password":"******","type":"set","keyPrefix":"tags:"}
}
