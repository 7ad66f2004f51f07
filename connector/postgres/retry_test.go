package postgres

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
)

// hookSink calls hook before the n-th Write of the job (counted across its
// writers), once.
type hookSink struct {
	*Sink
	n      int32
	hook   func()
	writes atomic.Int32
}

func (h *hookSink) Open(ctx context.Context, sp datasync.Split) (datasync.Writer, error) {
	w, err := h.Sink.Open(ctx, sp)
	if err != nil {
		return nil, err
	}
	return &hookWriter{writer: w.(*writer), h: h}, nil
}

type hookWriter struct {
	*writer
	h *hookSink
}

func (w *hookWriter) Write(ctx context.Context, b *datasync.Batch) error {
	if w.h.writes.Add(1) == w.h.n {
		w.h.hook()
	}
	return w.writer.Write(ctx, b)
}

// terminate kills every backend of d's database but the caller's own: only
// the test's connections.
func (d *testDB) terminate() {
	var n int
	require.NoError(d.t, d.conn.QueryRow(context.Background(),
		`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&n))
	require.Positive(d.t, n, "backends terminated")
}

// TestKilledConnectionsAreRetried kills the connections of the readers, then
// of the writers, in the middle of their splits: the splits are reopened from
// their checkpoints and every row arrives exactly once.
func TestKilledConnectionsAreRetried(t *testing.T) {
	src := newDB(t)
	src.exec(`CREATE TABLE t (id int PRIMARY KEY, v text)`, `INSERT INTO t SELECT i, md5(i::text) FROM generate_series(1, 20000) i`)
	for _, c := range []struct {
		name   string
		reader bool
		pass   bool
	}{{"reader", true, true}, {"writer, pass-through", false, true}, {"writer, decoded", false, false}} {
		t.Run(c.name, func(t *testing.T) {
			dst := newDB(t)
			dst.exec(`CREATE TABLE t (id int PRIMARY KEY, v text)`)
			victim := dst
			if c.reader {
				victim = src
			}
			k := &hookSink{Sink: newSink(t, SinkConfig{DSN: dst.dsn, Table: "t", DisablePassThrough: !c.pass}), n: 12, hook: victim.terminate}
			res, err := run(t, newSource(t, SourceConfig{DSN: src.dsn, Table: "t"}), k,
				datasync.WithParallelism(2), datasync.WithBatchSize(300, 1<<20),
				datasync.WithFlushEvery(20_000, 0), datasync.WithRetry(5, 10*time.Millisecond))
			require.NoError(t, err)
			assert.GreaterOrEqual(t, res.Retries, 1, "a split was retried")
			assert.Equal(t, int64(20000), res.RecordsWritten)
			assert.Equal(t, int64(20000), dst.count("t"))
			assert.Equal(t, src.rows("SELECT * FROM t ORDER BY id"), dst.rows("SELECT * FROM t ORDER BY id"))
		})
	}
}

// TestConsistentSnapshot changes the source while it is read: in consistent
// mode every split still reads the table as it was when it was planned.
func TestConsistentSnapshot(t *testing.T) {
	src, dst := newDB(t), newDB(t)
	src.exec(`CREATE TABLE t (id int PRIMARY KEY, v int)`, `INSERT INTO t SELECT i, 0 FROM generate_series(1, 10000) i`,
		`CREATE TABLE heap (id int, v int)`, `INSERT INTO heap SELECT i, 0 FROM generate_series(1, 10000) i`)
	dst.exec(`CREATE TABLE t (id int PRIMARY KEY, v int)`, `CREATE TABLE heap (id int, v int)`)
	for _, table := range []string{"t", "heap"} {
		want := src.rows("SELECT * FROM " + table + " ORDER BY id")
		change := func() {
			src.exec(`UPDATE `+table+` SET v = 1`, `DELETE FROM `+table+` WHERE id % 3 = 0`,
				`INSERT INTO `+table+` SELECT i, 2 FROM generate_series(10001, 12000) i`)
		}
		s := newSource(t, SourceConfig{DSN: src.dsn, Table: table, Consistent: true})
		k := &hookSink{Sink: newSink(t, SinkConfig{DSN: dst.dsn, Table: table}), n: 2, hook: change}
		_, err := run(t, s, k, datasync.WithParallelism(2), datasync.WithBatchSize(500, 1<<20))
		require.NoError(t, err)
		assert.Equal(t, want, dst.rows("SELECT * FROM "+table+" ORDER BY id"), table)
		assert.NotEqual(t, want, src.rows("SELECT * FROM "+table+" ORDER BY id"), "the source did change")
	}
}
