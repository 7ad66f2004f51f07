package redis_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/redis"
)

var people = datasync.Schema{col("id", datasync.KindInt), col("name", datasync.KindString), col("age", datasync.KindInt)}

func peopleRows() []datasync.Record {
	return []datasync.Record{
		{datasync.Int(1), datasync.String("ann"), datasync.Int(31)},
		{datasync.Int(2), datasync.String("bob"), datasync.Null()},
		{datasync.Int(3), datasync.String("cy"), datasync.Int(7)},
	}
}

func TestSinkWriteModes(t *testing.T) {
	conn, c, prefix := server(t)
	ctx := ctxT(t)
	tests := []struct {
		name  string
		cfg   redis.SinkConfig
		check func(t *testing.T, p string)
	}{
		{"string text", redis.SinkConfig{ValueDelimiter: "|"}, func(t *testing.T, p string) {
			assert.Equal(t, "ann|31", c.Get(ctx, p+"1").Val())
			assert.Equal(t, "bob|", c.Get(ctx, p+"2").Val(), "NULL is empty text")
		}},
		{"string default delimiter", redis.SinkConfig{}, func(t *testing.T, p string) {
			assert.Equal(t, "ann\x0131", c.Get(ctx, p+"1").Val())
		}},
		{"string json", redis.SinkConfig{Format: redis.FormatJSON}, func(t *testing.T, p string) {
			assert.JSONEq(t, `{"name":"ann","age":31}`, c.Get(ctx, p+"1").Val())
			assert.JSONEq(t, `{"name":"bob","age":null}`, c.Get(ctx, p+"2").Val())
		}},
		{"json with field names", redis.SinkConfig{Format: redis.FormatJSON, FieldNames: []string{"n", "a"}}, func(t *testing.T, p string) {
			assert.JSONEq(t, `{"n":"cy","a":7}`, c.Get(ctx, p+"3").Val())
		}},
		{"hash", redis.SinkConfig{Type: redis.TypeHash}, func(t *testing.T, p string) {
			assert.Equal(t, map[string]string{"name": "ann", "age": "31"}, c.HGetAll(ctx, p+"1").Val())
			assert.Equal(t, map[string]string{"name": "bob"}, c.HGetAll(ctx, p+"2").Val(), "a NULL field is not set")
		}},
		{"list rpush, one list", redis.SinkConfig{Type: redis.TypeList, KeyColumns: []int{2}, ValueDelimiter: ","}, func(t *testing.T, p string) {
			// key column age: 31, NULL (dirty), 7
			assert.Equal(t, []string{"1,ann"}, c.LRange(ctx, p+"31", 0, -1).Val())
			assert.Equal(t, []string{"3,cy"}, c.LRange(ctx, p+"7", 0, -1).Val())
		}},
		{"set", redis.SinkConfig{Type: redis.TypeSet, KeyColumns: []int{0}}, func(t *testing.T, p string) {
			assert.Equal(t, []string{"ann\x0131"}, c.SMembers(ctx, p+"1").Val())
		}},
		{"zset", redis.SinkConfig{Type: redis.TypeZSet, KeyColumns: []int{0}, ScoreColumn: intp(2)}, func(t *testing.T, p string) {
			z := c.ZRangeWithScores(ctx, p+"3", 0, -1).Val()
			require.Len(t, z, 1)
			assert.Equal(t, "cy", z[0].Member)
			assert.Equal(t, 7.0, z[0].Score)
			assert.Zero(t, c.Exists(ctx, p+"2").Val(), "a NULL score is dirty, not written")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := prefix + tt.name + ":"
			tt.cfg.Conn, tt.cfg.KeyPrefix = conn, p
			res, dirty := write(t, tt.cfg, people, peopleRows())
			wantDirty := 0
			if tt.cfg.Type == redis.TypeZSet || (tt.cfg.Type == redis.TypeList) {
				wantDirty = 1 // bob's age is NULL: the key (list) or score (zset)
			}
			assert.Len(t, dirty, wantDirty)
			assert.EqualValues(t, 3-wantDirty, res.RecordsWritten)
			tt.check(t, p)
		})
	}
}

func TestSinkListOrderAndPushEnd(t *testing.T) {
	conn, c, prefix := server(t)
	schema := datasync.Schema{col("k", datasync.KindString), col("v", datasync.KindString)}
	rows := []datasync.Record{
		{datasync.String("l"), datasync.String("a")},
		{datasync.String("l"), datasync.String("b")},
		{datasync.String("l"), datasync.String("c")},
	}
	// One split, so that the rows arrive in order.
	for _, tt := range []struct {
		push redis.ListPush
		want []string
	}{{redis.RPush, []string{"a", "b", "c"}}, {redis.LPush, []string{"c", "b", "a"}}} {
		p := prefix + string(tt.push) + ":"
		dst, err := redis.NewSink(redis.SinkConfig{Conn: conn, Type: redis.TypeList, ListPush: tt.push, KeyPrefix: p})
		require.NoError(t, err)
		w, err := dst.Open(ctxT(t), datasync.Split{ID: "s"})
		require.NoError(t, err)
		b := datasync.NewBatch(schema, 10, 1<<20)
		for _, r := range rows {
			b.AppendRecord(r)
		}
		require.NoError(t, w.Write(ctxT(t), b))
		require.NoError(t, w.Flush(ctxT(t)))
		assert.Equal(t, tt.want, c.LRange(ctxT(t), p+"l", 0, -1).Val(), tt.push)
		dst.Close()
	}
}

func TestSinkKeyFromSeveralColumns(t *testing.T) {
	conn, c, prefix := server(t)
	res, dirty := write(t, redis.SinkConfig{Conn: conn, KeyPrefix: prefix, KeyColumns: []int{1, 0}, KeyDelimiter: ":"}, people, peopleRows())
	assert.Empty(t, dirty)
	assert.EqualValues(t, 3, res.RecordsWritten)
	assert.Equal(t, "31", c.Get(ctxT(t), prefix+"ann:1").Val(), "the value is the columns left")
	assert.Equal(t, "", c.Get(ctxT(t), prefix+"bob:2").Val())
	assert.EqualValues(t, 1, c.Exists(ctxT(t), prefix+"bob:2").Val())
}

func TestSinkExpiry(t *testing.T) {
	conn, c, prefix := server(t)
	ctx := ctxT(t)
	at := time.Now().Add(2 * time.Hour).Truncate(time.Second)
	schema := datasync.Schema{col("k", datasync.KindString), col("v", datasync.KindString), col("until", datasync.KindTimestamp)}
	rows := []datasync.Record{
		{datasync.String("a"), datasync.String("x"), datasync.Instant(at)},
		{datasync.String("b"), datasync.String("y"), datasync.Null()},
	}
	for _, typ := range []redis.ValueType{redis.TypeString, redis.TypeHash} {
		t.Run(string(typ), func(t *testing.T) {
			p := prefix + string(typ) + ":ttl:"
			_, dirty := write(t, redis.SinkConfig{Conn: conn, Type: typ, KeyPrefix: p, TTL: time.Hour}, schema[:2], [](datasync.Record){rows[0][:2], rows[1][:2]})
			require.Empty(t, dirty)
			ttl := c.TTL(ctx, p+"a").Val()
			assert.InDelta(t, time.Hour.Seconds(), ttl.Seconds(), 60)

			p = prefix + string(typ) + ":at:"
			_, dirty = write(t, redis.SinkConfig{Conn: conn, Type: typ, KeyPrefix: p, ExpireAt: at}, schema[:2], [](datasync.Record){rows[0][:2]})
			require.Empty(t, dirty)
			assert.Equal(t, at.Unix(), c.ExpireTime(ctx, p+"a").Val().Milliseconds()/1000)

			p = prefix + string(typ) + ":col:"
			_, dirty = write(t, redis.SinkConfig{Conn: conn, Type: typ, KeyPrefix: p, ExpireAtColumn: intp(2)}, schema, rows)
			require.Empty(t, dirty)
			assert.Equal(t, at.Unix(), c.ExpireTime(ctx, p+"a").Val().Milliseconds()/1000, "the column's instant")
			assert.Equal(t, time.Duration(-1), c.TTL(ctx, p+"b").Val(), "NULL: no expiry")
			if typ == redis.TypeString {
				assert.Equal(t, "x", c.Get(ctx, p+"a").Val(), "the expiry column is not part of the value")
			}
		})
	}
}

func TestSinkDirtyRows(t *testing.T) {
	conn, c, prefix := server(t)
	ctx := ctxT(t)
	require.NoError(t, c.Set(ctx, prefix+"taken", "a string", 0).Err())
	schema := datasync.Schema{col("k", datasync.KindString), col("score", datasync.KindString), col("m", datasync.KindString), col("exp", datasync.KindString)}
	rows := []datasync.Record{
		{datasync.String("ok"), datasync.String("1.5"), datasync.String("a"), datasync.Null()},
		{datasync.Null(), datasync.String("1"), datasync.String("b"), datasync.Null()},
		{datasync.String("ok"), datasync.String("high"), datasync.String("c"), datasync.Null()},
		{datasync.String("taken"), datasync.String("2"), datasync.String("d"), datasync.Null()},
		{datasync.String("ok"), datasync.String("3"), datasync.String("e"), datasync.String("soon")},
		{datasync.String("ok"), datasync.String("4"), datasync.String("f"), datasync.Null()},
	}
	dst, err := redis.NewSink(redis.SinkConfig{Conn: conn, KeyPrefix: prefix, Type: redis.TypeZSet, ScoreColumn: intp(1), ExpireAtColumn: intp(3)})
	require.NoError(t, err)
	defer dst.Close()
	w, err := dst.Open(ctx, datasync.Split{ID: "s1"})
	require.NoError(t, err)
	b := datasync.NewBatch(schema, 10, 1<<20)
	for _, r := range rows {
		b.AppendRecord(r)
	}
	err = w.Write(ctx, b)
	var rowErrs *datasync.RowErrors
	require.ErrorAs(t, err, &rowErrs)
	type got struct {
		row    int64
		column string
		reason string
	}
	var gots []got
	for _, e := range rowErrs.Errors {
		assert.Equal(t, "s1", e.Split)
		gots = append(gots, got{e.Row, e.Column, e.Err.Error()})
	}
	require.Len(t, gots, 4, "%v", gots)
	assert.Equal(t, got{1, "k", "a key column is NULL"}, gots[0])
	assert.Equal(t, int64(2), gots[1].row)
	assert.Equal(t, "score", gots[1].column)
	assert.Contains(t, gots[1].reason, "not a number")
	assert.Equal(t, int64(3), gots[2].row)
	assert.Contains(t, gots[2].reason, "WRONGTYPE")
	assert.Equal(t, prefix+"taken", rowErrs.Errors[2].Value)
	assert.Equal(t, int64(4), gots[3].row)
	assert.Equal(t, "exp", gots[3].column)
	assert.Equal(t, []string{"a", "f"}, c.ZRange(ctx, prefix+"ok", 0, -1).Val(), "every other row is written")
}

func TestSinkTruncateOnlyThePrefix(t *testing.T) {
	conn, c, prefix := server(t)
	ctx := ctxT(t)
	require.NoError(t, c.Set(ctx, prefix+"a:old", "1", 0).Err())
	require.NoError(t, c.Set(ctx, prefix+"a*:odd", "1", 0).Err())
	require.NoError(t, c.Set(ctx, prefix+"b:keep", "1", 0).Err())
	_, dirty := write(t, redis.SinkConfig{Conn: conn, KeyPrefix: prefix + "a:", Truncate: true}, people, peopleRows())
	require.Empty(t, dirty)
	assert.Zero(t, c.Exists(ctx, prefix+"a:old").Val(), "under the prefix: deleted")
	assert.EqualValues(t, 1, c.Exists(ctx, prefix+"a*:odd").Val(), "a glob character in the prefix is literal")
	assert.EqualValues(t, 1, c.Exists(ctx, prefix+"b:keep").Val())
	assert.EqualValues(t, 1, c.Exists(ctx, prefix+"a:1").Val())

	_, err := redis.NewSink(redis.SinkConfig{Conn: conn, Truncate: true})
	assert.ErrorContains(t, err, "truncate needs a keyPrefix")
}

func TestSinkCheck(t *testing.T) {
	conn, c, prefix := server(t)
	ctx := ctxT(t)
	dst, err := redis.NewSink(redis.SinkConfig{Conn: conn, KeyPrefix: prefix})
	require.NoError(t, err)
	defer dst.Close()
	assert.NoError(t, dst.Check(ctx, people))
	bad, err := redis.NewSink(redis.SinkConfig{Conn: conn, KeyPrefix: prefix, KeyColumns: []int{5}})
	require.NoError(t, err)
	defer bad.Close()
	assert.ErrorContains(t, bad.Check(ctx, people), "keyColumns: column 5 is past the source's 3 columns")

	// A user that may write but not run INFO passes: its role cannot be
	// told, and that is no reason to refuse.
	user := strings.ReplaceAll(strings.TrimSuffix(prefix, ":"), ":", "_")
	require.NoError(t, c.Do(ctx, "ACL", "SETUSER", user, "on", ">pw", "~*", "+@all", "-info").Err())
	defer c.Do(context.Background(), "ACL", "DELUSER", user)
	limited, err := redis.NewSink(redis.SinkConfig{Conn: redis.Conn{Addr: conn.Addr, Username: user, Password: "pw"}, KeyPrefix: prefix})
	require.NoError(t, err)
	defer limited.Close()
	assert.NoError(t, limited.Check(ctx, people))

	down, err := redis.NewSink(redis.SinkConfig{Conn: redis.Conn{Addr: "127.0.0.1:1", Timeout: time.Second}})
	require.NoError(t, err)
	defer down.Close()
	assert.ErrorContains(t, down.Check(ctx, people), "127.0.0.1:1")
}

func TestSinkConfigErrors(t *testing.T) {
	conn := redis.Conn{Addr: "x"}
	for _, tt := range []struct {
		cfg  redis.SinkConfig
		want string
	}{
		{redis.SinkConfig{}, "set addr or Client"},
		{redis.SinkConfig{Conn: conn, Type: "bitmap"}, `type "bitmap" is not one of string, list, set, zset, hash`},
		{redis.SinkConfig{Conn: conn, Type: redis.TypeZSet}, "type zset needs scoreColumn"},
		{redis.SinkConfig{Conn: conn, ScoreColumn: intp(1)}, "scoreColumn is only for type zset"},
		{redis.SinkConfig{Conn: conn, ListPush: redis.LPush}, "listPush \"lpush\" is only for type list"},
		{redis.SinkConfig{Conn: conn, TTL: time.Second, ExpireAtColumn: intp(1)}, "at most one of ttl, expireAt and expireAtColumn"},
		{redis.SinkConfig{Conn: conn, Type: redis.TypeHash, Format: redis.FormatJSON}, "format is not for type hash"},
	} {
		_, err := redis.NewSink(tt.cfg)
		assert.ErrorContains(t, err, tt.want)
	}
}

func TestConfigsMaskThePassword(t *testing.T) {
	sinkCfg := redis.SinkConfig{Conn: redis.Conn{Addr: "h:6379", Password: "s3cret"}}
	srcCfg := redis.SourceConfig{Conn: redis.Conn{Addr: "h:6379", Password: "s3cret"}}
	for _, shown := range []func() (string, error){
		func() (string, error) { return sinkCfg.String(), nil },
		func() (string, error) { return sinkCfg.GoString(), nil },
		func() (string, error) { return sinkCfg.LogValue().String(), nil },
		func() (string, error) { b, err := sinkCfg.MarshalJSON(); return string(b), err },
		func() (string, error) { return srcCfg.String(), nil },
		func() (string, error) { return srcCfg.GoString(), nil },
		func() (string, error) { return srcCfg.LogValue().String(), nil },
		func() (string, error) { b, err := srcCfg.MarshalJSON(); return string(b), err },
	} {
		s, err := shown()
		require.NoError(t, err)
		assert.NotContains(t, s, "s3cret")
		assert.Contains(t, s, "h:6379")
		assert.Contains(t, s, "******")
	}
}
