package mysql_test

import (
	"context"
	"fmt"
	"hash/crc32"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/source"
)

const exactlyOnceRows = 20_000

func exactlyOnceSource() datasync.Source {
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "v", Kind: datasync.KindString}}
	return source.Generate(schema, exactlyOnceRows, func(i int64, r datasync.Record) error {
		r[0], r[1] = datasync.Int(i+1), datasync.String(fmt.Sprintf("row %d", i+1))
		return nil
	}, source.Splits(6))
}

func exactlyOnceOptions() []datasync.Option {
	return []datasync.Option{datasync.WithParallelism(3), datasync.WithBatchSize(500, 1<<20),
		datasync.WithFlushEvery(16<<10, time.Hour), datasync.WithRetry(3, 10*time.Millisecond)}
}

// exactlyOnceChecksum is the count, the sum of ids, the number of distinct
// ids and the sum of the CRC32s of the values of every row of t.
func exactlyOnceChecksum(e *env) string {
	var s string
	require.NoError(e.t, e.db.QueryRow("SELECT CONCAT_WS('|', COUNT(*), SUM(id), COUNT(DISTINCT id), SUM(CRC32(v))) FROM t").Scan(&s))
	return s
}

// TestLostCommitReplyWritesEachRowOnce runs an insert-mode job into a table
// without a key through a proxy that delivers the n-th COMMIT to the server
// and drops its reply, for several n: with a progress table the retried
// split resumes after the window that did commit, and the table holds every
// row exactly once (count and checksum). Without one, the same fault
// duplicates a window, which shows the fault is real.
func TestLostCommitReplyWritesEachRowOnce(t *testing.T) {
	e := newEnv(t)
	var crcs int64
	for i := 1; i <= exactlyOnceRows; i++ {
		crcs += int64(crc32.ChecksumIEEE(fmt.Appendf(nil, "row %d", i)))
	}
	want := fmt.Sprintf("%d|%d|%d|%d", exactlyOnceRows, exactlyOnceRows*(exactlyOnceRows+1)/2, exactlyOnceRows, crcs)
	for _, n := range []int{1, 2, 5, 9, 17} {
		t.Run(fmt.Sprintf("cut after COMMIT %d", n), func(t *testing.T) {
			e.exec("DROP TABLE IF EXISTS t", "CREATE TABLE t (id BIGINT, v VARCHAR(40))")
			dsn, proxy := testdb.MySQLThrough(t, e.dsn)
			dst, err := mysql.NewSink(mysql.SinkConfig{DSN: dsn, Table: "t", ProgressTable: "default", ProgressJob: "lost-commit"})
			require.NoError(t, err)
			defer dst.Close()
			proxy.DropReplyAfter([]byte("COMMIT"), n)
			res, err := runJob(t, exactlyOnceSource(), dst, exactlyOnceOptions()...)
			require.NoError(t, err)
			require.Equal(t, 1, proxy.Drops(), "the proxy dropped a COMMIT's reply")
			assert.Equal(t, int64(exactlyOnceRows), res.RecordsWritten)
			assert.Equal(t, want, exactlyOnceChecksum(e))
			assert.Equal(t, int64(0), e.count("datasync_progress WHERE job = 'lost-commit'"), "Finalize forgets the job's progress")
		})
	}
	t.Run("without a progress table the window is written twice", func(t *testing.T) {
		e.exec("DROP TABLE IF EXISTS t", "CREATE TABLE t (id BIGINT, v VARCHAR(40))")
		dsn, proxy := testdb.MySQLThrough(t, e.dsn)
		dst, err := mysql.NewSink(mysql.SinkConfig{DSN: dsn, Table: "t"})
		require.NoError(t, err)
		defer dst.Close()
		proxy.DropReplyAfter([]byte("COMMIT"), 3)
		_, err = runJob(t, exactlyOnceSource(), dst, exactlyOnceOptions()...)
		require.NoError(t, err)
		require.Equal(t, 1, proxy.Drops())
		assert.Greater(t, e.count("t"), int64(exactlyOnceRows))
	})
}

// runJob runs a pipeline and returns its result and error.
func runJob(t *testing.T, src datasync.Source, dst datasync.Sink, opts ...datasync.Option) (datasync.Result, error) {
	t.Helper()
	p, err := datasync.NewPipeline(src, dst, opts...)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return p.Run(ctx)
}

// TestCheckProbesTheProgressTable: Check passes with a missing progress
// table (Prepare creates it) and a writable one, and fails naming one that
// cannot be written.
func TestCheckProbesTheProgressTable(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE t (id BIGINT, v VARCHAR(40))")
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "v", Kind: datasync.KindString}}
	ctx := context.Background()
	dst, err := mysql.NewSink(mysql.SinkConfig{DSN: e.dsn, Table: "t", ProgressTable: "prog"})
	require.NoError(t, err)
	defer dst.Close()
	require.NoError(t, dst.Check(ctx, schema), "missing: Prepare creates it")
	require.NoError(t, dst.Prepare(ctx, schema))
	assert.Equal(t, int64(0), e.count("prog"))
	require.NoError(t, dst.Check(ctx, schema), "exists and may be written")
	e.exec("CREATE TABLE bad (job INT)")
	bad, err := mysql.NewSink(mysql.SinkConfig{DSN: e.dsn, Table: "t", ProgressTable: "bad"})
	require.NoError(t, err)
	defer bad.Close()
	err = bad.Check(ctx, schema)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the progress table bad cannot be written")
}
