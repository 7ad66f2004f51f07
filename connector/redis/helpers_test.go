package redis_test

import (
	"context"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/redis"
	"github.com/datasync-go/datasync/internal/testsvc"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

// server returns the test server's connection settings, a client on it
// for checking, and a key prefix of the test's own.
func server(t testing.TB) (redis.Conn, *goredis.Client, string) {
	t.Helper()
	addr, prefix := testsvc.Redis(t)
	c := goredis.NewClient(&goredis.Options{Addr: addr, DisableIdentity: true})
	t.Cleanup(func() { c.Close() })
	return redis.Conn{Addr: addr}, c, prefix
}

// write runs a pipeline of records into a Sink made of cfg and returns
// its result and the dirty records.
func write(t *testing.T, cfg redis.SinkConfig, schema datasync.Schema, rows []datasync.Record) (datasync.Result, []datasync.DirtyRecord) {
	t.Helper()
	dst, err := redis.NewSink(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { dst.Close() })
	var dirty []datasync.DirtyRecord
	p, err := datasync.NewPipeline(source.FromRecords(schema, rows), dst,
		datasync.WithParallelism(2),
		datasync.WithDirtyPolicy(datasync.DirtyPolicy{MaxRecords: -1, Collector: datasync.DirtyFunc(func(_ context.Context, d datasync.DirtyRecord) error {
			dirty = append(dirty, d)
			return nil
		})}))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	return res, dirty
}

// read runs a pipeline from src into a collection and returns the records.
func read(t *testing.T, src datasync.Source, opts ...datasync.Option) []datasync.Record {
	t.Helper()
	out := sink.Collect()
	p, err := datasync.NewPipeline(src, out, opts...)
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	return out.Records()
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func col(name string, k datasync.Kind) datasync.Column {
	return datasync.Column{Name: name, Kind: k, Nullable: true}
}

func intp(i int) *int { return &i }
