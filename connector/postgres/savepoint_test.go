package postgres

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/source"
)

// TestSavepointsAreShared writes 300 small batches in one transaction: they
// share savepoints, so the transaction holds few subtransactions; a row
// rejected in a COPY sharing its savepoint with binary and text COPYs
// before it costs no other row.
func TestSavepointsAreShared(t *testing.T) {
	db := newDB(t)
	db.exec(`CREATE TABLE t (id int PRIMARY KEY, u uuid, pad text NOT NULL)`)
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "u", Kind: datasync.KindString, Nullable: true},
		{Name: "pad", Kind: datasync.KindString, Nullable: true}}
	const rows = 30000
	recs := make([]datasync.Record, rows)
	for i := range recs {
		recs[i] = datasync.Record{datasync.Int(int64(i)), datasync.Null(), datasync.String(fmt.Sprintf("%0200d", i))}
		if i%1000 == 17 { // a uuid in braces: the server parses it, with text COPY
			recs[i][1] = datasync.String("{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}")
		}
	}
	recs[28050][2] = datasync.Null() // rejected: NOT NULL
	k := newSink(t, SinkConfig{DSN: db.dsn, Table: "t"})
	var c collector
	res, err := run(t, source.FromRecords(schema, recs, source.Splits(1)), k, c.policy(),
		datasync.WithBatchSize(100, 1<<20), datasync.WithFlushEvery(0, 0))
	require.NoError(t, err)
	assert.Equal(t, int64(rows-1), res.RecordsWritten)
	assert.Equal(t, int64(rows-1), db.count("t"))
	assert.Equal(t, []string{"30000|0|29999|t"}, db.rows(`SELECT count(*) + 1, min(id), max(id), bool_and(id <> 28050) FROM t`))
	require.Len(t, c.recs, 1)
	assert.Equal(t, "23502", sqlState(c.recs[0].Err))
	assert.Positive(t, k.textRows.Load(), "some batches went as text")
	// Each row's xmin is the (sub)transaction that wrote it: 300 batches of
	// about 22 kB, 6.6 MB, in 60 COPYs (binary and text alternate), share a
	// few savepoints: one per window, and those that isolate the rejected
	// row.
	var subxacts int
	require.NoError(t, db.conn.QueryRow(context.Background(), `SELECT count(DISTINCT xmin::text) FROM t`).Scan(&subxacts))
	assert.LessOrEqual(t, subxacts, 12, "subtransactions that wrote rows")
}

// TestSavepointsPassThrough rejects a row in a pass-through batch that shares
// its savepoint with earlier ones, in insert and in upsert mode.
func TestSavepointsPassThrough(t *testing.T) {
	src := newDB(t)
	src.exec(`CREATE TABLE t (id int PRIMARY KEY, v text)`, `INSERT INTO t SELECT i, 'v' || i FROM generate_series(1, 20000) i`,
		`UPDATE t SET v = NULL WHERE id = 15555`)
	for _, mode := range []WriteMode{WriteInsert, WriteUpsert} {
		t.Run(string(mode), func(t *testing.T) {
			dst := newDB(t)
			dst.exec(`CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)`)
			var c collector
			k := newSink(t, SinkConfig{DSN: dst.dsn, Table: "t", WriteMode: mode})
			res, err := run(t, newSource(t, SourceConfig{DSN: src.dsn, Table: "t", Splits: 1}), k, c.policy(),
				datasync.WithBatchSize(200, 1<<20), datasync.WithFlushEvery(0, 0))
			require.NoError(t, err)
			assert.Equal(t, int64(19999), res.RecordsWritten)
			assert.Equal(t, int64(19999), k.passedThrough.Load())
			require.Len(t, c.recs, 1)
			assert.Equal(t, "23502", sqlState(c.recs[0].Err))
			assert.Equal(t, "(15555, NULL)", c.recs[0].Record.String())
			assert.Equal(t, src.rows("SELECT * FROM t WHERE id <> 15555 ORDER BY id"), dst.rows("SELECT * FROM t ORDER BY id"))
		})
	}
}
