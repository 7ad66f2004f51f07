package postgres

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/source"
)

// TestUpsertTwiceGivesTheSameTable upserts a table into one that holds some
// of its rows with other values: the result is the source's rows; a second
// run changes nothing. Pass-through, decoded, and the merge of servers
// without ON CONFLICT.
func TestUpsertTwiceGivesTheSameTable(t *testing.T) {
	src := newDB(t)
	src.exec(`CREATE TABLE t (id int PRIMARY KEY, name text, amount numeric(12,2), ts timestamptz)`,
		`INSERT INTO t SELECT i, 'name ' || i, i * 1.25, '2024-01-01'::timestamptz + i * interval '1 minute' FROM generate_series(1, 3000) i`)
	want := src.rows("SELECT * FROM t ORDER BY id")
	for _, c := range []struct {
		name     string
		pass     bool
		fallback bool
	}{{"pass-through", true, false}, {"decoded", false, false}, {"without ON CONFLICT", false, true}} {
		t.Run(c.name, func(t *testing.T) {
			forceMergeFallback = c.fallback
			t.Cleanup(func() { forceMergeFallback = false })
			dst := newDB(t)
			dst.exec(`CREATE TABLE t (id int PRIMARY KEY, name text, amount numeric(12,2), ts timestamptz)`,
				`INSERT INTO t SELECT i, 'stale', 0, NULL FROM generate_series(2500, 3000) i`)
			for range 2 {
				k := newSink(t, SinkConfig{DSN: dst.dsn, Table: "t", WriteMode: WriteUpsert, DisablePassThrough: !c.pass})
				res, err := run(t, newSource(t, SourceConfig{DSN: src.dsn, Table: "t"}), k, datasync.WithBatchSize(500, 1<<20))
				require.NoError(t, err)
				assert.Equal(t, int64(3000), res.RecordsWritten)
				assert.Equal(t, want, dst.rows("SELECT * FROM t ORDER BY id"))
				if c.pass {
					assert.Equal(t, int64(3000), k.passedThrough.Load())
				}
			}
		})
	}
}

// TestUpsertDuplicatesInOneBatch: the last row of a key wins, as if the rows
// were upserted one by one; rows whose conflict key is NULL never conflict.
func TestUpsertDuplicatesInOneBatch(t *testing.T) {
	schema := datasync.Schema{{Name: "k", Kind: datasync.KindString, Nullable: true}, {Name: "v", Kind: datasync.KindInt}}
	var recs []datasync.Record
	for i := range 100 {
		k := datasync.String(fmt.Sprint("key", i%10))
		if i%25 == 0 {
			k = datasync.Null()
		}
		recs = append(recs, datasync.Record{k, datasync.Int(int64(i))})
	}
	for _, fallback := range []bool{false, true} {
		t.Run(fmt.Sprint("fallback=", fallback), func(t *testing.T) {
			forceMergeFallback = fallback
			t.Cleanup(func() { forceMergeFallback = false })
			db := newDB(t)
			db.exec(`CREATE TABLE t (k text UNIQUE, v int)`, `INSERT INTO t VALUES ('key3', -3)`)
			k := newSink(t, SinkConfig{DSN: db.dsn, Table: "t", WriteMode: "upsert", ConflictKey: []string{"k"}})
			_, err := run(t, source.FromRecords(schema, recs, source.Splits(1)), k)
			require.NoError(t, err)
			assert.Equal(t, []string{"key0|90", "key1|91", "key2|92", "key3|93", "key4|94", "key5|95", "key6|96", "key7|97", "key8|98", "key9|99",
				"<NULL>|0", "<NULL>|25", "<NULL>|50", "<NULL>|75"}, db.rows("SELECT k, v FROM t ORDER BY k NULLS LAST, v"))
		})
	}
}

func TestUpsertNeedsAUniqueKey(t *testing.T) {
	db := newDB(t)
	db.exec(`CREATE TABLE nokey (id int, v int)`, `CREATE TABLE t (id int PRIMARY KEY, v int)`)
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "v", Kind: datasync.KindInt}}
	_, err := run(t, source.FromRecords(schema, nil), newSink(t, SinkConfig{DSN: db.dsn, Table: "nokey", WriteMode: "upsert"}))
	assert.ErrorContains(t, err, "has no primary key; give conflictKey")
	_, err = run(t, source.FromRecords(schema, nil), newSink(t, SinkConfig{DSN: db.dsn, Table: "t", WriteMode: WriteUpsert, ConflictKey: []string{"v"}}))
	assert.ErrorContains(t, err, `no unique index or constraint is on exactly ("v")`)
	_, err = run(t, source.FromRecords(schema[1:], nil), newSink(t, SinkConfig{DSN: db.dsn, Table: "t", WriteMode: "upsert"}))
	assert.ErrorContains(t, err, `conflict key column "id" is not written`)
}
