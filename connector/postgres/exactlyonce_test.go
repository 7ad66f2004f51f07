package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/source"
)

// exactlyOnceRows is the size of the exactly-once tests' job: enough
// flushes (several per split) for the cut to land at various moments.
const exactlyOnceRows = 30_000

// exactlyOnceSource is a source of exactlyOnceRows rows (id, v), in 6 splits.
func exactlyOnceSource() datasync.Source {
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "v", Kind: datasync.KindString}}
	return source.Generate(schema, exactlyOnceRows, func(i int64, r datasync.Record) error {
		r[0], r[1] = datasync.Int(i+1), datasync.String(fmt.Sprintf("row %d", i+1))
		return nil
	}, source.Splits(6))
}

// exactlyOnceOptions flush every few batches, so a split commits many times.
func exactlyOnceOptions() []datasync.Option {
	return []datasync.Option{datasync.WithParallelism(3), datasync.WithBatchSize(500, 1<<20),
		datasync.WithFlushEvery(16<<10, time.Hour), datasync.WithRetry(3, 10*time.Millisecond)}
}

// TestLostCommitReplyWritesEachRowOnce runs an insert-mode job into a table
// without a key through a proxy that delivers the n-th COMMIT to the server
// and drops its reply, for several n (so at the first flush, in the middle
// of splits, and near their ends): the writer sees its connection die, the
// split is retried, and with a progress table it resumes after the window
// that did commit. The table then holds every row exactly once (count and
// checksum). Without a progress table the same fault duplicates a window,
// which shows the fault is real.
func TestLostCommitReplyWritesEachRowOnce(t *testing.T) {
	db := newDB(t)
	want := fmt.Sprintf("%d|%d", exactlyOnceRows, exactlyOnceRows*(exactlyOnceRows+1)/2)
	checksum := func() string {
		return db.rows(`SELECT count(*), sum(id) FROM t`)[0]
	}
	wantMD5 := db.rows(sprintf(`SELECT md5(string_agg('row ' || i, ',' ORDER BY i)) FROM generate_series(1, %d) i`, exactlyOnceRows))[0]
	for _, n := range []int{1, 2, 5, 9, 17} {
		t.Run(fmt.Sprintf("cut after COMMIT %d", n), func(t *testing.T) {
			db.exec(`DROP TABLE IF EXISTS t`, `CREATE TABLE t (id bigint, v text)`)
			dsn, proxy := testdb.PostgresThrough(t, db.dsn)
			dst := newSink(t, SinkConfig{DSN: dsn, Table: "t", ProgressTable: "default", ProgressJob: "lost-commit"})
			proxy.DropReplyAfter([]byte("COMMIT"), n)
			res, err := run(t, exactlyOnceSource(), dst, exactlyOnceOptions()...)
			require.NoError(t, err)
			require.Equal(t, 1, proxy.Drops(), "the proxy dropped a COMMIT's reply")
			assert.Equal(t, int64(exactlyOnceRows), res.RecordsWritten)
			assert.Equal(t, want, checksum())
			assert.Equal(t, wantMD5, db.rows(`SELECT md5(string_agg(v, ',' ORDER BY id)) FROM t`)[0])
			assert.Equal(t, int64(0), db.count(`datasync_progress WHERE job = 'lost-commit'`), "Finalize forgets the job's progress")
		})
	}
	t.Run("without a progress table the window is written twice", func(t *testing.T) {
		db.exec(`DROP TABLE IF EXISTS t`, `CREATE TABLE t (id bigint, v text)`)
		dsn, proxy := testdb.PostgresThrough(t, db.dsn)
		dst := newSink(t, SinkConfig{DSN: dsn, Table: "t"})
		proxy.DropReplyAfter([]byte("COMMIT"), 3)
		_, err := run(t, exactlyOnceSource(), dst, exactlyOnceOptions()...)
		require.NoError(t, err)
		require.Equal(t, 1, proxy.Drops())
		assert.Greater(t, db.count("t"), int64(exactlyOnceRows))
	})
}

// TestExactlyOnceRunTwiceCopiesTwice: a job that succeeded leaves no
// progress, so running it again copies everything again (insert mode
// appends, as without exactly-once); progress left by a failed run is
// resumed, and preSql and truncate do not run again then.
func TestExactlyOnceRunTwiceCopiesTwice(t *testing.T) {
	db := newDB(t)
	db.exec(`CREATE TABLE t (id bigint, v text)`)
	cfg := SinkConfig{DSN: db.dsn, Table: "t", ProgressTable: "public.progress", PreSQL: []string{"INSERT INTO t VALUES (0, 'pre')"}}
	for range 2 {
		_, err := run(t, exactlyOnceSource(), newSink(t, cfg), exactlyOnceOptions()...)
		require.NoError(t, err)
	}
	assert.Equal(t, int64(2*exactlyOnceRows+2), db.count("t"))

	// A run that stopped with two splits done: the next run skips them,
	// resumes the rest, and does not run preSql again.
	db.exec(`TRUNCATE t`, `INSERT INTO t SELECT i, 'row ' || i FROM generate_series(1, 10000) i`,
		`INSERT INTO progress VALUES ('t', 'generate-0', NULL, true, now()), ('t', 'generate-1', NULL, true, now())`)
	res, err := run(t, exactlyOnceSource(), newSink(t, cfg), exactlyOnceOptions()...)
	require.NoError(t, err)
	assert.Equal(t, int64(exactlyOnceRows-10000), res.RecordsRead)
	assert.Equal(t, fmt.Sprintf("%d|%d", exactlyOnceRows, exactlyOnceRows*(exactlyOnceRows+1)/2), db.rows(`SELECT count(*), sum(id) FROM t`)[0])
	skipped := 0
	for _, s := range res.Splits {
		if s.Skipped {
			skipped++
		}
	}
	assert.Equal(t, 2, skipped)
}

// TestCheckSeesTheProgressTable: Check passes whether the progress table
// exists or may be created, and fails naming it when it cannot be.
func TestCheckSeesTheProgressTable(t *testing.T) {
	db := newDB(t)
	db.exec(`CREATE TABLE t (id bigint, v text)`)
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "v", Kind: datasync.KindString}}
	ctx := context.Background()
	dst := newSink(t, SinkConfig{DSN: db.dsn, Table: "t", ProgressTable: "prog"})
	require.NoError(t, dst.Check(ctx, schema), "missing, and may be created")
	require.NoError(t, dst.Prepare(ctx, schema))
	assert.Equal(t, int64(0), db.count("prog"), "Prepare created it")
	require.NoError(t, dst.Check(ctx, schema), "exists and may be written")
	bad := newSink(t, SinkConfig{DSN: db.dsn, Table: "t", ProgressTable: "nosuch.prog"})
	err := bad.Check(ctx, schema)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `progress table "nosuch"."prog"`)
}
