package main

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/bradfitz/gomemcache/memcache"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/bench/internal/dataset"
	dsmemcache "github.com/datasync-go/datasync/connector/memcache"
)

// BenchmarkMemcache is the Memcache scenario, datasync alone (no native
// bulk loader for memcached is installed here): the bench dataset
// (BENCH_MEMCACHE_ROWS rows, 100,000 by default) written from memory into
// memcached, one item per row keyed by its id, its other columns joined by
// a tab, at parallelism 1 and 4; a sample of the keys is read back to check
// that the items are there. It runs against DATASYNC_TEST_MEMCACHE_ADDR
// (memcached from Debian, started by .ci/run) and is skipped without it:
//
//	DATASYNC_TEST_MEMCACHE_ADDR=127.0.0.1:11211 go test ./bench -run '^$' -bench Memcache -benchtime 1x
func BenchmarkMemcache(b *testing.B) {
	addr := os.Getenv("DATASYNC_TEST_MEMCACHE_ADDR")
	if addr == "" {
		b.Skip("DATASYNC_TEST_MEMCACHE_ADDR is not set")
	}
	rows := int64(100_000)
	if s := os.Getenv("BENCH_MEMCACHE_ROWS"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		require.NoError(b, err)
		rows = n
	}
	client := memcache.New(addr)
	defer client.Close()
	for _, par := range []int{1, 4} {
		prefix := fmt.Sprintf("bench%d-%d:", time.Now().UnixNano(), par)
		b.Run(fmt.Sprintf("memory->memcache/par=%d", par), func(b *testing.B) {
			for range b.N {
				dst, err := dsmemcache.NewSink(dsmemcache.SinkConfig{Servers: []string{addr}, KeyColumns: []int{0},
					KeyPrefix: prefix, ValueDelimiter: "\t", TTL: time.Hour})
				require.NoError(b, err)
				res := runBench(b, dataset.New(dataset.Spec{Rows: rows, Seed: 1}).Source(), dst, par)
				require.EqualValues(b, rows, res.RecordsWritten)
				for _, id := range []int64{1, rows / 2, rows} { // ids run from 1
					_, err := client.Get(prefix + strconv.FormatInt(id, 10))
					require.NoError(b, err, "item %d", id)
				}
			}
		})
	}
}
