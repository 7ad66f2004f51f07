package postgres

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/faultproxy"
	"github.com/datasync-go/datasync/internal/testdb"
)

// stallWatch is a log handler that counts the splits the pipeline retries
// because they stalled, and calls onStall for the first.
type stallWatch struct {
	onStall func()
	once    sync.Once
	stalls  atomic.Int32
}

func (h *stallWatch) Enabled(context.Context, slog.Level) bool { return true }
func (h *stallWatch) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *stallWatch) WithGroup(string) slog.Handler            { return h }
func (h *stallWatch) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "error" && strings.Contains(a.Value.String(), "stalled: nothing read or written") {
			h.stalls.Add(1)
			h.once.Do(h.onStall)
		}
		return true
	})
	return nil
}

// stallCase is which side of a job goes through the proxy that stalls.
type stallCase struct {
	name   string
	reader bool
	idle   bool // the stall starts while the writer waits for its reader
}

var stallCases = []stallCase{{name: "writer"}, {name: "reader", reader: true}}

// stallDBs are a source table of n rows and a target database, shared by
// the subtests of a test (creating databases takes seconds).
type stallDBs struct{ src, dst *testDB }

func newStallDBs(t *testing.T, n int) stallDBs {
	d := stallDBs{newDB(t), newDB(t)}
	d.src.exec(`CREATE TABLE t (id int PRIMARY KEY, v text)`, sprintf(`INSERT INTO t SELECT i, md5(i::text) FROM generate_series(1, %d) i`, n))
	return d
}

// setup makes an empty target table and puts the stalled side of c behind
// a proxy. It returns the databases for t, a subtest.
func (d stallDBs) setup(t *testing.T, c stallCase) (src, dst *testDB, srcDSN, dstDSN string, proxy *faultproxy.Proxy) {
	src, dst = &testDB{t: t, dsn: d.src.dsn, conn: d.src.conn}, &testDB{t: t, dsn: d.dst.dsn, conn: d.dst.conn}
	dst.exec(`DROP TABLE IF EXISTS t`, `CREATE TABLE t (id int PRIMARY KEY, v text)`)
	srcDSN, dstDSN = src.dsn, dst.dsn
	if c.reader {
		srcDSN, proxy = testdb.PostgresThrough(t, src.dsn)
	} else {
		dstDSN, proxy = testdb.PostgresThrough(t, dst.dsn)
	}
	return src, dst, srcDSN, dstDSN, proxy
}

// TestStalledConnectionsFailTheSplitAndAreRetried stalls the connections of
// the writers, then of the readers, in the middle of their splits, with the
// server up: the watchdog fails the splits with ErrStalled, the proxy
// resumes, and the retried splits deliver every row once. With two writers
// the stall may hold the reply to one's COMMIT, which then cannot know it
// committed: upsert makes the replay exact either way.
func TestStalledConnectionsFailTheSplitAndAreRetried(t *testing.T) {
	const n = 20000
	dbs := newStallDBs(t, n)
	for _, c := range stallCases {
		t.Run(c.name, func(t *testing.T) {
			src, dst, srcDSN, dstDSN, proxy := dbs.setup(t, c)
			watch := &stallWatch{onStall: proxy.Resume}
			k := &hookSink{Sink: newSink(t, SinkConfig{DSN: dstDSN, Table: "t", WriteMode: WriteUpsert}), n: 12, hook: func() { proxy.Stall(faultproxy.Both) }}
			start := time.Now()
			res, err := run(t, newSource(t, SourceConfig{DSN: srcDSN, Table: "t"}), k,
				datasync.WithParallelism(2), datasync.WithBatchSize(300, 1<<20),
				datasync.WithFlushEvery(1, 0), datasync.WithRetry(3, 10*time.Millisecond),
				datasync.WithStallTimeout(time.Second), datasync.WithLogger(slog.New(watch)))
			require.NoError(t, err)
			t.Logf("%s stalled: the job took %v", c.name, time.Since(start).Round(time.Millisecond))
			assert.GreaterOrEqual(t, watch.stalls.Load(), int32(1), "a split failed with ErrStalled")
			assert.GreaterOrEqual(t, res.Retries, 1)
			assert.Equal(t, int64(n), res.RecordsWritten)
			assert.Equal(t, int64(n), dst.count("t"))
			assert.Equal(t, src.rows("SELECT * FROM t ORDER BY id"), dst.rows("SELECT * FROM t ORDER BY id"))
		})
	}
}

// closeBound is how long cancelling a stalled job, or closing its source or
// sink, may take: generous, since it detects hangs (the pool's own close
// waits 15 s for a stalled connection), not slowness.
const closeBound = 5 * time.Second

// hangs runs fn and, should it hang for a minute, closes the proxy, which
// ends every connection through it and so frees fn, and fails the test:
// a hang detector that never leaves the test waiting for ever.
func hangs(t *testing.T, proxy *faultproxy.Proxy, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		proxy.Close()
		<-done
		t.Errorf("hung for a minute on stalled connections")
	}
}

// TestCancellingAStalledJobReturnsPromptly cancels a job whose writers, then
// readers, are stalled, and one whose writer's connection stalls while it
// waits for a slow reader with a transaction open: Run returns ctx's error,
// and the source and sink close, each within a few seconds, not after the
// network's timeouts.
func TestCancellingAStalledJobReturnsPromptly(t *testing.T) {
	dbs := newStallDBs(t, 20000)
	for _, c := range append(stallCases, stallCase{name: "idle writer", idle: true}) {
		t.Run(c.name, func(t *testing.T) {
			_, _, srcDSN, dstDSN, proxy := dbs.setup(t, c)
			src, err := NewSource(SourceConfig{DSN: srcDSN, Table: "t"})
			require.NoError(t, err)
			dst, err := NewSink(SinkConfig{DSN: dstDSN, Table: "t"})
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a hang fails the test
			defer cancel()
			var cancelled atomic.Int64
			stall := func() {
				proxy.Stall(faultproxy.Both)
				time.AfterFunc(300*time.Millisecond, func() {
					cancelled.Store(time.Now().UnixNano())
					cancel()
				})
			}
			var from datasync.Source = src
			var to datasync.Sink = &hookSink{Sink: dst, n: 12, hook: stall}
			opts := []datasync.Option{datasync.WithParallelism(2), datasync.WithBatchSize(300, 1<<20),
				datasync.WithFlushEvery(1, 0), datasync.WithStallTimeout(time.Minute)}
			if c.idle {
				written := &writeCounter{Sink: dst}
				from, to = &slowSource{Source: src, n: 5, hook: stall, idle: func() bool { return written.writes.Load() == 4 }}, written
				opts = []datasync.Option{datasync.WithParallelism(1), datasync.WithBatchSize(300, 1<<20),
					datasync.WithFlushEvery(0, 0), datasync.WithStallTimeout(time.Minute)}
			}
			p, err := datasync.NewPipeline(from, to, opts...)
			require.NoError(t, err)

			hangs(t, proxy, func() {
				_, err = p.Run(ctx)
			})
			returned := time.Now()
			require.ErrorIs(t, err, context.Canceled, "cancelled, not timed out")
			took := returned.Sub(time.Unix(0, cancelled.Load()))
			t.Logf("Run returned %v after the cancel", took.Round(time.Millisecond))
			assert.Less(t, took, closeBound, "Run returns promptly once cancelled")

			start := time.Now()
			hangs(t, proxy, func() {
				err = errors.Join(src.Close(), dst.Close())
			})
			require.NoError(t, err)
			took = time.Since(start)
			t.Logf("closing the source and the sink took %v", took.Round(time.Millisecond))
			assert.Less(t, took, closeBound, "closing waits for no stalled connection")
		})
	}
}

// slowSource calls hook at the n-th Read of the job (counted across its
// readers), once idle reports that the writer is done with the batches
// before, and that Read then waits for its context to end, as a slow query
// does.
type slowSource struct {
	datasync.Source
	n     int32
	hook  func()
	idle  func() bool
	reads atomic.Int32
}

func (s *slowSource) Open(ctx context.Context, sp datasync.Split, from datasync.Checkpoint) (datasync.Reader, error) {
	r, err := s.Source.Open(ctx, sp, from)
	if err != nil {
		return nil, err
	}
	return &slowReader{Reader: r, s: s}, nil
}

type slowReader struct {
	datasync.Reader
	s *slowSource
}

func (r *slowReader) Read(ctx context.Context, b *datasync.Batch) error {
	if r.s.reads.Add(1) == r.s.n {
		for !r.s.idle() && ctx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		r.s.hook()
		<-ctx.Done()
		return ctx.Err()
	}
	return r.Reader.Read(ctx, b)
}

// writeCounter counts the Writes of its writers that returned.
type writeCounter struct {
	datasync.Sink
	writes atomic.Int32
}

func (s *writeCounter) Open(ctx context.Context, sp datasync.Split) (datasync.Writer, error) {
	w, err := s.Sink.Open(ctx, sp)
	if err != nil {
		return nil, err
	}
	return &countedWriter{Writer: w, s: s}, nil
}

type countedWriter struct {
	datasync.Writer
	s *writeCounter
}

func (w *countedWriter) Write(ctx context.Context, b *datasync.Batch) error {
	defer w.s.writes.Add(1)
	return w.Writer.Write(ctx, b)
}

// TestOwnPoolsDialThroughNetdial: the connections of a pool opened from a
// DSN have keepalives and can be aborted (see netdial), while a pool the
// caller gave is left alone.
func TestOwnPoolsDialThroughNetdial(t *testing.T) {
	d := newDB(t)
	d.exec(`CREATE TABLE t (id int PRIMARY KEY)`)
	own := newSource(t, SourceConfig{DSN: d.dsn, Table: "t"})
	_, err := own.Schema(context.Background())
	require.NoError(t, err)
	require.NotNil(t, own.conns.dialer)
	assert.Positive(t, own.conns.dialer.Open())
	require.NoError(t, own.Close())
	assert.Zero(t, own.conns.dialer.Open(), "closing the pool closed its connections")

	pool, err := pgxpool.New(context.Background(), d.dsn)
	require.NoError(t, err)
	defer pool.Close()
	given := newSource(t, SourceConfig{Pool: pool, Table: "t"})
	assert.Nil(t, given.conns.dialer)
	_, err = given.Schema(context.Background())
	require.NoError(t, err)
	require.NoError(t, given.Close())
	require.NoError(t, pool.Ping(context.Background()), "the caller's pool stays open")
}
