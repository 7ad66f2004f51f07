package memcache_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	gomemcache "github.com/bradfitz/gomemcache/memcache"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/memcache"
	"github.com/datasync-go/datasync/internal/testsvc"
	"github.com/datasync-go/datasync/source"
)

func col(name string, k datasync.Kind) datasync.Column {
	return datasync.Column{Name: name, Kind: k, Nullable: true}
}

var schema = datasync.Schema{col("id", datasync.KindInt), col("name", datasync.KindString), col("n", datasync.KindInt)}

// writeBatch writes rows through one Writer of a Sink made of cfg and
// returns the rows it rejected.
func writeBatch(t *testing.T, cfg memcache.SinkConfig, s datasync.Schema, rows ...datasync.Record) []*datasync.RowError {
	t.Helper()
	dst, err := memcache.NewSink(cfg)
	require.NoError(t, err)
	defer dst.Close()
	ctx := context.Background()
	require.NoError(t, dst.Prepare(ctx, s))
	w, err := dst.Open(ctx, datasync.Split{ID: "s"})
	require.NoError(t, err)
	b := datasync.NewBatch(s, len(rows)+1, 64<<20)
	for _, r := range rows {
		b.AppendRecord(r)
	}
	err = w.Write(ctx, b)
	require.NoError(t, w.Flush(ctx))
	require.NoError(t, w.Close())
	var rowErrs *datasync.RowErrors
	if errors.As(err, &rowErrs) {
		return rowErrs.Errors
	}
	require.NoError(t, err)
	return nil
}

func get(t *testing.T, c *gomemcache.Client, key string) string {
	t.Helper()
	it, err := c.Get(key)
	if errors.Is(err, gomemcache.ErrCacheMiss) {
		return "<miss>"
	}
	require.NoError(t, err)
	return string(it.Value)
}

func TestWriteModes(t *testing.T) {
	addr, prefix := testsvc.Memcache(t)
	c := gomemcache.New(addr)
	row := func(id int64, name string) datasync.Record {
		return datasync.Record{datasync.Int(id), datasync.String(name), datasync.Int(id * 10)}
	}
	base := memcache.SinkConfig{Servers: []string{addr}, KeyPrefix: prefix, ValueDelimiter: "|"}

	assert.Empty(t, writeBatch(t, base, schema, row(1, "ann"), row(2, "bob")))
	assert.Equal(t, "ann|10", get(t, c, prefix+"1"))

	add := base
	add.WriteMode = memcache.Add
	dirty := writeBatch(t, add, schema, row(1, "again"), row(3, "cy"))
	require.Len(t, dirty, 1)
	assert.EqualValues(t, 0, dirty[0].Row)
	assert.Equal(t, prefix+"1", dirty[0].Value)
	assert.ErrorContains(t, dirty[0].Err, "NOT_STORED: the key already exists (writeMode add)")
	assert.Equal(t, "ann|10", get(t, c, prefix+"1"), "add leaves an existing item")
	assert.Equal(t, "cy|30", get(t, c, prefix+"3"))

	replace := base
	replace.WriteMode = memcache.Replace
	dirty = writeBatch(t, replace, schema, row(9, "nobody"), row(2, "bea"))
	require.Len(t, dirty, 1)
	assert.EqualValues(t, 0, dirty[0].Row)
	assert.ErrorContains(t, dirty[0].Err, "NOT_STORED: the key does not exist (writeMode replace)")
	assert.Equal(t, "<miss>", get(t, c, prefix+"9"))
	assert.Equal(t, "bea|20", get(t, c, prefix+"2"))

	appendCfg := base
	appendCfg.WriteMode = memcache.Append
	assert.Empty(t, writeBatch(t, appendCfg, schema, row(2, "+more")))
	assert.Equal(t, "bea|20+more|20", get(t, c, prefix+"2"))
	prepend := base
	prepend.WriteMode = memcache.Prepend
	assert.Len(t, writeBatch(t, prepend, schema, row(8, "x")), 1, "prepend to a missing key")
}

func TestKeysValuesAndOrder(t *testing.T) {
	addr, prefix := testsvc.Memcache(t)
	c := gomemcache.New(addr)
	cfg := memcache.SinkConfig{Servers: []string{addr}, KeyPrefix: prefix, KeyColumns: []int{1, 0}, KeyDelimiter: "/"}
	var rows []datasync.Record
	for i := range 50 { // one key written 50 times: the last one wins
		rows = append(rows, datasync.Record{datasync.Int(1), datasync.String("k"), datasync.Int(int64(i))})
	}
	rows = append(rows, datasync.Record{datasync.Int(2), datasync.Null(), datasync.Int(0)})
	dirty := writeBatch(t, cfg, schema, rows...)
	require.Len(t, dirty, 1)
	assert.Equal(t, "name", dirty[0].Column)
	assert.ErrorContains(t, dirty[0].Err, "a key column is NULL")
	assert.Equal(t, "49", get(t, c, prefix+"k/1"))

	bin := memcache.SinkConfig{Servers: []string{addr}, KeyPrefix: prefix, Format: memcache.Binary}
	bschema := datasync.Schema{col("k", datasync.KindString), col("v", datasync.KindBytes)}
	assert.Empty(t, writeBatch(t, bin, bschema, datasync.Record{datasync.String("bin"), datasync.Bytes([]byte{0, 1, 0xff})}))
	assert.Equal(t, "\x00\x01\xff", get(t, c, prefix+"bin"))
	_, err := memcache.NewSink(memcache.SinkConfig{Servers: []string{addr}, Format: memcache.Binary})
	require.NoError(t, err)
	dst, _ := memcache.NewSink(bin)
	assert.ErrorContains(t, dst.Prepare(context.Background(), schema), "the binary format writes one value column; the source has 2")
}

func TestExpiry(t *testing.T) {
	addr, prefix := testsvc.Memcache(t)
	c := gomemcache.New(addr)
	// memcached reports no TTL; an item that expires in one second is gone
	// after two.
	cfg := memcache.SinkConfig{Servers: []string{addr}, KeyPrefix: prefix, TTL: time.Second}
	assert.Empty(t, writeBatch(t, cfg, schema, datasync.Record{datasync.Int(1), datasync.String("a"), datasync.Int(1)}))
	long := memcache.SinkConfig{Servers: []string{addr}, KeyPrefix: prefix + "long:", TTL: 60 * 24 * time.Hour}
	assert.Empty(t, writeBatch(t, long, schema, datasync.Record{datasync.Int(1), datasync.String("a"), datasync.Int(1)}))
	assert.NotEqual(t, "<miss>", get(t, c, prefix+"1"))
	time.Sleep(2100 * time.Millisecond)
	assert.Equal(t, "<miss>", get(t, c, prefix+"1"), "expired after its TTL")
	assert.NotEqual(t, "<miss>", get(t, c, prefix+"long:1"), "a TTL over 30 days is sent as a Unix time, not read as one in 1970")
}

func TestTooLargeAndMalformed(t *testing.T) {
	addr, prefix := testsvc.Memcache(t)
	cfg := memcache.SinkConfig{Servers: []string{addr}, KeyPrefix: prefix, MaxItemSize: 1000}
	big := strings.Repeat("x", 2000)
	dirty := writeBatch(t, cfg, schema,
		datasync.Record{datasync.Int(1), datasync.String("small"), datasync.Int(1)},
		datasync.Record{datasync.Int(2), datasync.String(big), datasync.Int(1)},
	)
	require.Len(t, dirty, 1)
	assert.EqualValues(t, 1, dirty[0].Row)
	assert.ErrorContains(t, dirty[0].Err, "over the item size limit of 1000")

	// Near the server's own 1 MiB limit: memcached refuses the item.
	server := memcache.SinkConfig{Servers: []string{addr}, KeyPrefix: prefix, MaxItemSize: 4 << 20}
	huge := strings.Repeat("y", 1<<20)
	dirty = writeBatch(t, server, schema,
		datasync.Record{datasync.Int(3), datasync.String(huge), datasync.Int(1)},
		datasync.Record{datasync.Int(4), datasync.String("fine"), datasync.Int(1)},
		datasync.Record{datasync.String("has space"), datasync.String("v"), datasync.Int(1)},
	)
	require.Len(t, dirty, 2, "%v", dirty)
	assert.ErrorContains(t, dirty[0].Err, "SERVER_ERROR")
	assert.ErrorContains(t, dirty[1].Err, "not one memcached takes")
	assert.Equal(t, "fine\x011", get(t, gomemcache.New(addr), prefix+"4"))
}

func TestPipelineAndCheck(t *testing.T) {
	addr, prefix := testsvc.Memcache(t)
	var rows []datasync.Record
	for i := range 1000 {
		rows = append(rows, datasync.Record{datasync.Int(int64(i)), datasync.String("n"), datasync.Int(int64(i))})
	}
	dst, err := memcache.NewSink(memcache.SinkConfig{Servers: []string{addr}, KeyPrefix: prefix})
	require.NoError(t, err)
	defer dst.Close()
	p, err := datasync.NewPipeline(source.FromRecords(schema, rows), dst, datasync.WithParallelism(4))
	require.NoError(t, err)
	require.NoError(t, p.Check(context.Background()))
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 1000, res.RecordsWritten)
	assert.Equal(t, "n\x01999", get(t, gomemcache.New(addr), prefix+"999"))

	down, err := memcache.NewSink(memcache.SinkConfig{Servers: []string{"127.0.0.1:1"}})
	require.NoError(t, err)
	defer down.Close()
	assert.ErrorContains(t, down.Check(context.Background(), schema), "memcache 127.0.0.1:1")
}

func TestConfigErrors(t *testing.T) {
	for _, tt := range []struct {
		cfg  memcache.SinkConfig
		want string
	}{
		{memcache.SinkConfig{}, "set servers or Client"},
		{memcache.SinkConfig{Servers: []string{"x"}, WriteMode: "cas"}, `writeMode "cas" is not set, add, replace, append or prepend`},
		{memcache.SinkConfig{Servers: []string{"x"}, WriteMode: memcache.Append, TTL: time.Minute}, "writeMode append keeps the item's expiry"},
		{memcache.SinkConfig{Servers: []string{"x"}, TTL: time.Millisecond}, "under memcached's 1s resolution"},
		{memcache.SinkConfig{Servers: []string{"x"}, Format: memcache.Binary, ValueDelimiter: ","}, "valueDelimiter is only for the text format"},
	} {
		_, err := memcache.NewSink(tt.cfg)
		assert.ErrorContains(t, err, tt.want)
	}
}

func TestProbe(t *testing.T) {
	addr, _ := testsvc.Memcache(t)
	r, err := memcache.Probe([]string{addr}, 0)
	require.NoError(t, err)
	assert.Contains(t, r.String(), addr)
	_, err = memcache.Probe([]string{"127.0.0.1:1"}, time.Second)
	assert.ErrorContains(t, err, "memcache 127.0.0.1:1")
}
