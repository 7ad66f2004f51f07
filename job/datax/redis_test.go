package datax_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	gomemcache "github.com/bradfitz/gomemcache/memcache"
	goredis "github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/internal/testsvc"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datasource"
)

// redisUser makes a Redis ACL user with a password, for the test, and
// returns the data source entry naming it "cache" (password in an
// environment variable), a client for checking, and the key prefix.
func redisUser(t *testing.T) (entry string, c *goredis.Client, prefix, password string) {
	addr, prefix := testsvc.Redis(t)
	c = goredis.NewClient(&goredis.Options{Addr: addr, DisableIdentity: true})
	t.Cleanup(func() { c.Close() })
	var b [8]byte
	_, _ = rand.Read(b[:])
	user, password := "dstest_"+hex.EncodeToString(b[:4]), "pw-"+hex.EncodeToString(b[4:])
	ctx := context.Background()
	require.NoError(t, c.Do(ctx, "ACL", "SETUSER", user, "on", ">"+password, "~*", "+@all").Err())
	t.Cleanup(func() { c.Do(context.Background(), "ACL", "DELUSER", user) })
	t.Setenv("DW_TEST_CACHE_PASSWORD", password)
	host, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	entry = fmt.Sprintf(`{"name": "cache", "type": "redis", "host": %q, "port": %s, "database": "0",
		"username": %q, "password": {"env": "DW_TEST_CACHE_PASSWORD"}}`, host, port, user)
	return entry, c, prefix, password
}

func TestDataWorksMySQLToRedis(t *testing.T) {
	entry, c, prefix, password := redisUser(t)
	w := newWarehouse(t, entry)
	exec(t, w.my, "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(40), plan varchar(10), score double)",
		"INSERT INTO users SELECT seq, CONCAT('user ', seq), IF(seq % 2, 'pro', 'free'), seq / 4 FROM seq_1_to_500")
	script := `{"type": "job", "version": "2.0",
	 "steps": [
	   {"stepType": "mysql", "category": "reader", "name": "Reader",
	    "parameter": {"datasource": "orders_rds", "column": ["id", "name", "plan"],
	                  "connection": [{"datasource": "orders_rds", "table": ["users"]}], "splitPk": "id"}},
	   {"stepType": "redis", "category": "writer", "name": "Writer",
	    "parameter": {"datasource": "cache", "keyPrefix": "` + prefix + `user:", "keyIndexes": [0],
	                  "keyFieldDelimiter": "\u0001", "dateFormat": "yyyy-MM-dd HH:mm:ss",
	                  "writeMode": {"type": "hash", "mode": "hset"},
	                  "expireTime": {"seconds": "3600"}, "batchSize": "100",
	                  "column": [{"name": "id", "index": "0"}, {"name": "full_name", "index": "1"}, {"name": "plan", "index": "2"}]}}],
	 "setting": {"errorLimit": {"record": "0"}, "speed": {"concurrent": 3}},
	 "order": {"hops": [{"from": "Reader", "to": "Writer"}]}}`
	j, written := w.run(t, script)
	assert.EqualValues(t, 500, written)
	ctx := context.Background()
	assert.Equal(t, map[string]string{"full_name": "user 7", "plan": "pro"}, c.HGetAll(ctx, prefix+"user:7").Val())
	assert.InDelta(t, 3600, c.TTL(ctx, prefix+"user:7").Val().Seconds(), 60)
	keys, err := c.Keys(ctx, prefix+"user:*").Result()
	require.NoError(t, err)
	assert.Len(t, keys, 500)

	shown := j.Redact(fmt.Sprint(j.Tasks[0].Sink) + " pw=" + password)
	assert.NotContains(t, shown, password)

	// The zset form: the first column after the key is the score.
	j, written = w.run(t, strings.NewReplacer(
		`"column": ["id", "name", "plan"]`, `"column": ["plan", "id", "name"]`,
		`"writeMode": {"type": "hash", "mode": "hset"}`, `"writeMode": {"type": "zset", "mode": "zadd", "valueFieldDelimiter": "|"}`,
		`"keyPrefix": "`+prefix+`user:"`, `"keyPrefix": "`+prefix+`plan:"`,
		`, "column": [{"name": "id", "index": "0"}, {"name": "full_name", "index": "1"}, {"name": "plan", "index": "2"}]`, ``,
	).Replace(script))
	assert.EqualValues(t, 500, written)
	z := c.ZRangeWithScores(ctx, prefix+"plan:free", 0, 1).Val()
	require.Len(t, z, 2)
	assert.Equal(t, goredis.Z{Score: 2, Member: "user 2"}, z[0])
	_ = j
}

func TestDataWorksRedisToPostgreSQL(t *testing.T) {
	entry, c, prefix, _ := redisUser(t)
	w := newWarehouse(t, entry)
	ctx := context.Background()
	pipe := c.Pipeline()
	for i := range 300 {
		pipe.HSet(ctx, fmt.Sprintf("%sh:%03d", prefix, i), "n", i, "name", fmt.Sprint("h", i))
	}
	pipe.Set(ctx, prefix+"s", "text", time.Hour)
	_, err := pipe.Exec(ctx)
	require.NoError(t, err)
	exec(t, w.pg, "CREATE TABLE kv (k text, t text, f text, v text, ttl bigint, PRIMARY KEY (k, f))")
	_, written := w.run(t, `{"type": "job", "version": "2.0",
	 "steps": [
	   {"stepType": "redis", "category": "reader", "name": "Reader",
	    "parameter": {"datasource": "cache", "match": "`+prefix+`h:*", "types": ["hash"], "layout": "element", "splits": 4}},
	   {"stepType": "postgresql", "category": "writer", "name": "Writer",
	    "parameter": {"datasource": "dw_pg", "table": "kv", "column": ["k", "t", "f", "v", "ttl"]}}],
	 "setting": {"errorLimit": {"record": "0"}, "speed": {"concurrent": 2}},
	 "order": {"hops": [{"from": "Reader", "to": "Writer"}]}}`)
	assert.EqualValues(t, 600, written)
	assert.Equal(t, "600", queryOne(t, w.pg, "SELECT count(*) FROM kv"))
	assert.Equal(t, "h42", queryOne(t, w.pg, fmt.Sprintf("SELECT v FROM kv WHERE k = '%sh:042' AND f = 'name'", prefix)))
	assert.Equal(t, "0", queryOne(t, w.pg, "SELECT count(*) FROM kv WHERE ttl IS NOT NULL OR t <> 'hash'"))
}

func TestRedisWriterParamMistakes(t *testing.T) {
	for _, tt := range []struct{ param, want string }{
		{`"writeMode": {"type": "list"}`, "writer.parameter.writeMode.mode: missing: list takes lpush or rpush"},
		{`"writeMode": {"type": "hash", "mode": "set"}`, `writer.parameter.writeMode.mode: "set" is not a mode of type hash (hset)`},
		{`"writeMode": {"type": "bitmap"}`, `writer.parameter.writeMode.type: "bitmap" is not string, list, set, zset or hash`},
		{`"dateFormat": "yyyyMMdd"`, `writer.parameter.dateFormat: "yyyyMMdd": datasync writes dates`},
		{`"expireTime": {"seconds": 1, "unixtime": 2}`, "writer.parameter.expireTime: give seconds or unixtime, not both"},
	} {
		_, err := job.Parse([]byte(`{"job": {"content": [{
			"reader": {"name": "streamreader", "parameter": {"column": [{"type": "long", "value": 1}], "sliceRecordCount": 1}},
			"writer": {"name": "rediswriter", "parameter": {"addr": "127.0.0.1:6379", "keyIndexes": [0], `+tt.param+`}}}]}}`), job.Options{})
		assert.ErrorContains(t, err, tt.want, tt.param)
	}
}

func TestOCSWriter(t *testing.T) {
	addr, prefix := testsvc.Memcache(t)
	host, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	c := gomemcache.New(addr)

	// DataX's job, with proxy and port.
	j, err := job.Parse([]byte(`{"job": {"setting": {"speed": {"channel": 2}}, "content": [{
		"reader": {"name": "streamreader", "parameter": {"column": [
			{"type": "long", "incr": "1,1"}, {"type": "string", "value": "DataX"}, {"type": "long", "value": 7}],
			"sliceRecordCount": 100}},
		"writer": {"name": "ocswriter", "parameter": {"proxy": "`+host+`", "port": "`+port+`",
			"writeMode": "set", "writeFormat": "text", "fieldDelimiter": "^", "expireTime": 1000,
			"indexes": "0", "batchSize": 256}}}]}}`), job.Options{})
	require.NoError(t, err)
	defer j.Close()
	pipelines, err := j.Pipelines()
	require.NoError(t, err)
	res, err := pipelines[0].Run(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 200, res.RecordsWritten, "two channels of 100")
	it, err := c.Get("42")
	require.NoError(t, err)
	assert.Equal(t, "DataX^7", string(it.Value))

	// DataWorks' script, stepType ocs, with a memcache data source and a
	// key of two columns.
	path := writeCatalog(t, fmt.Sprintf(`{"datasources": [{"name": "mc", "type": "memcache", "host": %q, "port": %s}]}`, host, port))
	cat, err := datasource.Load(path)
	require.NoError(t, err)
	j, err = job.Parse([]byte(`{"type": "job", "version": "2.0",
	 "steps": [
	   {"stepType": "stream", "category": "reader", "name": "Reader",
	    "parameter": {"column": [{"type": "string", "value": "`+prefix+`"}, {"type": "long", "incr": "0,1"}, {"type": "string", "value": "v"}], "sliceRecordCount": 10}},
	   {"stepType": "ocs", "category": "writer", "name": "Writer",
	    "parameter": {"datasource": "mc", "writeMode": "add", "writeFormat": "text", "expireTime": 1000, "indexes": "0,1", "batchSize": "256"}}],
	 "setting": {"errorLimit": {"record": "0"}, "speed": {"concurrent": 1}},
	 "order": {"hops": [{"from": "Reader", "to": "Writer"}]}}`), job.Options{DataSources: cat})
	require.NoError(t, err)
	defer j.Close()
	pipelines, err = j.Pipelines()
	require.NoError(t, err)
	res, err = pipelines[0].Run(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 10, res.RecordsWritten)
	it, err = c.Get(prefix + ":9")
	require.NoError(t, err)
	assert.Equal(t, "v", string(it.Value))

	_, err = job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "streamreader", "parameter": {"column": [{"type": "long", "value": 1}], "sliceRecordCount": 1}},
		"writer": {"name": "ocswriter", "parameter": {"proxy": "h", "userName": "u", "password": "p", "indexes": [0]}}}]}}`), job.Options{})
	assert.ErrorContains(t, err, "writer.parameter.userName: memcached's text protocol has no authentication")
}
