package memcache_test

import (
	"fmt"
	"time"

	"github.com/datasync-go/datasync/connector/memcache"
)

// A config, as a job file would write it under datasync's name "memcache".
func ExampleSinkConfig() {
	cfg := memcache.SinkConfig{
		Servers:    []string{"cache1:11211", "cache2:11211"},
		WriteMode:  memcache.Add,
		KeyColumns: []int{0, 1},
		KeyPrefix:  "session:",
		TTL:        30 * time.Minute,
	}
	if _, err := memcache.NewSink(cfg); err != nil {
		fmt.Println(err)
	}
	j, _ := cfg.MarshalJSON()
	fmt.Println(string(j))
	// Output:
	// {"servers":["cache1:11211","cache2:11211"],"writeMode":"add","keyColumns":[0,1],"keyPrefix":"session:","ttl":1800000000000}
}
