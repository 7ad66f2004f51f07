package redis_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/redis"
)

// fill writes one key of each type under prefix.
func fill(t *testing.T, c *goredis.Client, prefix string) {
	ctx := ctxT(t)
	require.NoError(t, c.Set(ctx, prefix+"s", "hello", time.Hour).Err())
	require.NoError(t, c.RPush(ctx, prefix+"l", "b", "a", "b").Err())
	require.NoError(t, c.SAdd(ctx, prefix+"set", "y", "x").Err())
	require.NoError(t, c.ZAdd(ctx, prefix+"z", goredis.Z{Score: 2, Member: "two"}, goredis.Z{Score: 0.5, Member: "half"}).Err())
	require.NoError(t, c.HSet(ctx, prefix+"h", "f2", "v2", "f1", "v1").Err())
}

func strs(recs []datasync.Record) [][]string {
	out := make([][]string, len(recs))
	for i, r := range recs {
		for _, v := range r {
			if v.IsNull() {
				out[i] = append(out[i], "NULL")
			} else {
				out[i] = append(out[i], v.String())
			}
		}
	}
	slices.SortFunc(out, func(a, b []string) int { return slices.Compare(a, b) })
	return out
}

func TestSourceKeyLayout(t *testing.T) {
	conn, c, prefix := server(t)
	fill(t, c, prefix)
	src, err := redis.NewSource(redis.SourceConfig{Conn: conn, Match: prefix + "*"})
	require.NoError(t, err)
	defer src.Close()
	schema, err := src.Schema(ctxT(t))
	require.NoError(t, err)
	assert.Equal(t, []string{"key", "type", "value", "ttl"}, schema.Names())
	got := strs(read(t, src, datasync.WithParallelism(3)))
	assert.Equal(t, [][]string{
		{prefix + "h", "hash", `{"f1":"v1","f2":"v2"}`, "NULL"},
		{prefix + "l", "list", `["b","a","b"]`, "NULL"},
		{prefix + "s", "string", "hello", "3600"},
		{prefix + "set", "set", `["x","y"]`, "NULL"},
		{prefix + "z", "zset", `[{"member":"half","score":0.5},{"member":"two","score":2}]`, "NULL"},
	}, got)
}

func TestSourceElementLayout(t *testing.T) {
	conn, c, prefix := server(t)
	fill(t, c, prefix)
	src, err := redis.NewSource(redis.SourceConfig{Conn: conn, Match: prefix + "*", Layout: redis.LayoutElement})
	require.NoError(t, err)
	defer src.Close()
	got := strs(read(t, src))
	assert.Equal(t, [][]string{
		{prefix + "h", "hash", "f1", "v1", "NULL"},
		{prefix + "h", "hash", "f2", "v2", "NULL"},
		{prefix + "l", "list", "0", "b", "NULL"},
		{prefix + "l", "list", "1", "a", "NULL"},
		{prefix + "l", "list", "2", "b", "NULL"},
		{prefix + "s", "string", "NULL", "hello", "3600"},
		{prefix + "set", "set", "NULL", "x", "NULL"},
		{prefix + "set", "set", "NULL", "y", "NULL"},
		{prefix + "z", "zset", "half", "0.5", "NULL"},
		{prefix + "z", "zset", "two", "2", "NULL"},
	}, got)
}

func TestSourceTypesAndDirtyKeys(t *testing.T) {
	conn, c, prefix := server(t)
	ctx := ctxT(t)
	fill(t, c, prefix)
	require.NoError(t, c.XAdd(ctx, &goredis.XAddArgs{Stream: prefix + "stream", Values: []string{"a", "1"}}).Err())
	require.NoError(t, c.Set(ctx, prefix+"bin", "\xff\xfe", 0).Err())

	only, err := redis.NewSource(redis.SourceConfig{Conn: conn, Match: prefix + "*", Types: []redis.ValueType{redis.TypeHash}})
	require.NoError(t, err)
	defer only.Close()
	got := strs(read(t, only))
	require.Len(t, got, 1)
	assert.Equal(t, "hash", got[0][1])

	two, err := redis.NewSource(redis.SourceConfig{Conn: conn, Match: prefix + "*", Types: []redis.ValueType{redis.TypeSet, redis.TypeList}})
	require.NoError(t, err)
	defer two.Close()
	assert.Len(t, read(t, two), 2)

	all, err := redis.NewSource(redis.SourceConfig{Conn: conn, Match: prefix + "*"})
	require.NoError(t, err)
	defer all.Close()
	var reasons []string
	recs := read(t, all, datasync.WithDirtyPolicy(datasync.DirtyPolicy{MaxRecords: -1, Collector: datasync.DirtyFunc(func(_ context.Context, d datasync.DirtyRecord) error {
		reasons = append(reasons, d.Column+": "+d.Reason())
		return nil
	})}))
	assert.Len(t, recs, 5)
	slices.Sort(reasons)
	require.Len(t, reasons, 2)
	assert.Contains(t, reasons[0], "type: key \""+prefix+"stream\" is a stream")
	assert.Contains(t, reasons[1], "value: key \""+prefix+"bin\": the value is not UTF-8")

	binary, err := redis.NewSource(redis.SourceConfig{Conn: conn, Match: prefix + "bin", Binary: true})
	require.NoError(t, err)
	defer binary.Close()
	recs = read(t, binary)
	require.Len(t, recs, 1)
	b, err := recs[0][2].AsBytes()
	require.NoError(t, err)
	assert.Equal(t, []byte("\xff\xfe"), b)
}

func TestSourceSplitsCoverEveryKeyOnce(t *testing.T) {
	conn, c, prefix := server(t)
	ctx := ctxT(t)
	pipe := c.Pipeline()
	for i := range 500 {
		pipe.Set(ctx, fmt.Sprintf("%sk%03d", prefix, i), i, 0)
	}
	_, err := pipe.Exec(ctx)
	require.NoError(t, err)
	src, err := redis.NewSource(redis.SourceConfig{Conn: conn, Match: prefix + "*", Splits: 7, ScanCount: 50})
	require.NoError(t, err)
	defer src.Close()
	splits, err := src.Plan(ctx, datasync.PlanHint{Parallelism: 2})
	require.NoError(t, err)
	require.Len(t, splits, 7)
	assert.Equal(t, "slots-00000-02339", splits[0].ID)
	assert.Equal(t, "slots-14043-16383", splits[6].ID)
	seen := map[string]int{}
	for _, sp := range splits {
		var rt datasync.Split
		j, _ := json.Marshal(sp)
		require.NoError(t, json.Unmarshal(j, &rt))
		r, err := src.Open(ctx, rt, nil)
		require.NoError(t, err)
		n := 0
		for {
			b := datasync.NewBatch(mustSchema(t, src), 64, 1<<20)
			err := r.Read(ctx, b)
			for i := range b.Len() {
				seen[b.Row(i)[0].String()]++
				n++
			}
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
		}
		assert.NotZero(t, n, "split %s has keys", sp.ID)
		r.Close()
	}
	assert.Len(t, seen, 500)
	for k, n := range seen {
		assert.Equal(t, 1, n, k)
	}
}

func mustSchema(t *testing.T, src datasync.Source) datasync.Schema {
	s, err := src.Schema(ctxT(t))
	require.NoError(t, err)
	return s
}

func TestSourceResumesFromItsCheckpoint(t *testing.T) {
	conn, c, prefix := server(t)
	ctx := ctxT(t)
	pipe := c.Pipeline()
	for i := range 300 {
		pipe.Set(ctx, fmt.Sprintf("%sk%03d", prefix, i), i, 0)
	}
	_, err := pipe.Exec(ctx)
	require.NoError(t, err)
	src, err := redis.NewSource(redis.SourceConfig{Conn: conn, Match: prefix + "*", Splits: 1, ScanCount: 40})
	require.NoError(t, err)
	defer src.Close()
	splits, err := src.Plan(ctx, datasync.PlanHint{})
	require.NoError(t, err)
	schema := mustSchema(t, src)

	first := map[string]bool{}
	r, err := src.Open(ctx, splits[0], nil)
	require.NoError(t, err)
	b := datasync.NewBatch(schema, 25, 1<<20)
	require.NoError(t, r.Read(ctx, b))
	for i := range b.Len() {
		first[b.Row(i)[0].String()] = true
	}
	cp := r.Checkpoint()
	require.NoError(t, r.Close())

	rest := map[string]bool{}
	r, err = src.Open(ctx, splits[0], cp)
	require.NoError(t, err)
	for {
		b := datasync.NewBatch(schema, 100, 1<<20)
		err := r.Read(ctx, b)
		for i := range b.Len() {
			rest[b.Row(i)[0].String()] = true
		}
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
	}
	var done struct{ Done bool }
	require.NoError(t, json.Unmarshal(r.Checkpoint(), &done))
	assert.True(t, done.Done)
	for k := range rest {
		first[k] = true
	}
	assert.Len(t, first, 300, "no key is lost across the resume")

	r, err = src.Open(ctx, splits[0], r.Checkpoint())
	require.NoError(t, err)
	assert.ErrorIs(t, r.Read(ctx, datasync.NewBatch(schema, 10, 1<<20)), io.EOF, "a done checkpoint reads nothing")
}
