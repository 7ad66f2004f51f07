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

// TestStreamedCopies writes batches into COPYs that span several of them,
// with windows small enough that many close while the next batch waits:
// rows rejected in the first COPY, in one closing with a batch pending, and
// in the very last batch all reach the collector with their records, and
// every other row is written once, encoded or passed through.
func TestStreamedCopies(t *testing.T) {
	windowBytesForTests = 64 << 10
	t.Cleanup(func() { windowBytesForTests = 0 })
	const rows = 20000
	bad := []int64{150, 5555, 5556, 12345, 19999}
	src := newDB(t)
	src.exec(`CREATE TABLE t (id int PRIMARY KEY, v text)`,
		`INSERT INTO t SELECT i, repeat('v', 200) || i FROM generate_series(0, 19999) i`,
		`UPDATE t SET v = NULL WHERE id IN (150, 5555, 5556, 12345, 19999)`)
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "v", Kind: datasync.KindString, Nullable: true}}
	recs := make([]datasync.Record, rows)
	for i := range recs {
		recs[i] = datasync.Record{datasync.Int(int64(i)), datasync.String(fmt.Sprintf("%0200d", i))}
	}
	for _, id := range bad {
		recs[id][1] = datasync.Null()
	}
	for _, passThrough := range []bool{false, true} {
		for _, mode := range []WriteMode{WriteInsert, WriteUpsert} {
			t.Run(fmt.Sprintf("%s/passThrough=%v", mode, passThrough), func(t *testing.T) {
				dst := newDB(t)
				dst.exec(`CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)`)
				k := newSink(t, SinkConfig{DSN: dst.dsn, Table: "t", WriteMode: mode})
				var from datasync.Source = source.FromRecords(schema, recs, source.Splits(2))
				if passThrough {
					from = newSource(t, SourceConfig{DSN: src.dsn, Table: "t", Splits: 2})
				}
				var c collector
				res, err := run(t, from, k, c.policy(), datasync.WithBatchSize(100, 1<<20), datasync.WithParallelism(2))
				require.NoError(t, err)
				assert.Equal(t, int64(rows-len(bad)), res.RecordsWritten)
				assert.Equal(t, int64(len(bad)), res.RecordsDirty)
				if passThrough {
					assert.Equal(t, int64(rows-len(bad)), k.passedThrough.Load())
				}
				dirty := c.byID(t)
				require.Len(t, dirty, len(bad))
				for _, id := range bad {
					d := dirty[id]
					assert.Equal(t, "23502", sqlState(d.Err), "row %d", id)
					assert.Equal(t, fmt.Sprintf("(%d, NULL)", id), d.Record.String())
				}
				assert.Equal(t, []string{fmt.Sprint(rows - len(bad))}, dst.rows(`SELECT count(*) FROM t WHERE id NOT IN (150, 5555, 5556, 12345, 19999)`))
				assert.Equal(t, int64(rows-len(bad)), dst.count("t"))
			})
		}
	}
}

func TestUnescapeCopyText(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:          "plain",
		`a\tb\nc\\d`:     "a\tb\nc\\d",
		`\b\f\r\v`:       "\b\f\r\v",
		`\x41\x4a\xz`:    "AJxz",
		`\101\0\7x`:      "A\x00\x07x",
		`trailing\`:      `trailing\`,
		`\N inside text`: "N inside text",
	} {
		assert.Equal(t, want, string(unescapeCopyText([]byte(in))), in)
	}
}

// TestCloseAbandonsOpenCopy closes a writer whose COPY is still open: the
// COPY is abandoned, nothing is written, and no goroutine is left behind
// (TestMain checks).
func TestCloseAbandonsOpenCopy(t *testing.T) {
	db := newDB(t)
	db.exec(`CREATE TABLE t (id int PRIMARY KEY, v text)`)
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "v", Kind: datasync.KindString, Nullable: true}}
	b := datasync.NewBatch(schema, 100, 1<<20)
	for i := range 100 {
		r := b.Append()
		r[0], r[1] = datasync.Int(int64(i)), datasync.String("x")
	}
	k := newSink(t, SinkConfig{DSN: db.dsn, Table: "t"})
	w, err := k.Open(context.Background(), datasync.Split{ID: "s"})
	require.NoError(t, err)
	require.NoError(t, w.Write(context.Background(), b))
	require.NotNil(t, w.(*writer).cp, "the COPY stays open after Write")
	require.NoError(t, w.Close())
	assert.Equal(t, int64(0), db.count("t"))
	// The sink's pool still works: the connection went back clean.
	w, err = k.Open(context.Background(), datasync.Split{ID: "s"})
	require.NoError(t, err)
	require.NoError(t, w.Write(context.Background(), b))
	require.NoError(t, w.Flush(context.Background()))
	require.NoError(t, w.Close())
	assert.Equal(t, int64(100), db.count("t"))
}
