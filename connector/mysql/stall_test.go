package mysql_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
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
// the subtests of a test.
type stallDBs struct{ src, dst *env }

func newStallDBs(t *testing.T, n int) stallDBs {
	d := stallDBs{newEnv(t), newEnv(t)}
	d.src.exec("CREATE TABLE src (id int PRIMARY KEY, v varchar(100))")
	insertRows(d.src, "src", n, func(i int) string { return fmt.Sprintf("(%d, REPEAT('v', %d))", i, i%100) })
	return d
}

// setup makes an empty target table and puts the stalled side of c behind
// a proxy. It returns the databases for t, a subtest.
func (d stallDBs) setup(t *testing.T, c stallCase) (se, de *env, srcDSN, dstDSN string, proxy *faultproxy.Proxy) {
	se, de = &env{t: t, dsn: d.src.dsn, db: d.src.db}, &env{t: t, dsn: d.dst.dsn, db: d.dst.db}
	de.exec("DROP TABLE IF EXISTS dst", "CREATE TABLE dst (id int PRIMARY KEY, v varchar(100))")
	srcDSN, dstDSN = se.dsn, de.dsn
	if c.reader {
		srcDSN, proxy = testdb.MySQLThrough(t, se.dsn)
	} else {
		dstDSN, proxy = testdb.MySQLThrough(t, de.dsn)
	}
	return se, de, srcDSN, dstDSN, proxy
}

// TestStalledConnectionsFailTheSplitAndAreRetried stalls the connections of
// the writers, then of the readers, in the middle of their splits, with the
// server up: the watchdog fails the splits with ErrStalled, the proxy
// resumes, and the retried splits deliver every row once. With two writers
// the stall may hold the reply to one's COMMIT, which then cannot know it
// committed: replace makes the replay exact either way.
func TestStalledConnectionsFailTheSplitAndAreRetried(t *testing.T) {
	const n = 8000
	dbs := newStallDBs(t, n)
	for _, c := range stallCases {
		t.Run(c.name, func(t *testing.T) {
			se, de, srcDSN, dstDSN, proxy := dbs.setup(t, c)
			watch := &stallWatch{onStall: proxy.Resume}
			var stalled sync.Once
			src := &fromSource{Source: se.source(mysql.SourceConfig{DSN: srcDSN, Table: "src", Splits: 2})}
			// The stall comes at a writer's sixth write, so that the split
			// it holds has committed batches to resume after, however the
			// two splits were scheduled.
			dst := &hookSink{Sink: de.sink(mysql.SinkConfig{DSN: dstDSN, Table: "dst", WriteMode: mysql.WriteReplace}), before: func() {},
				ownWrite: func(n int) {
					if n == 6 {
						stalled.Do(func() { proxy.Stall(faultproxy.Both) })
					}
				}}
			start := time.Now()
			res := run(t, src, dst, ds.WithParallelism(2), ds.WithBatchSize(200, 1<<20),
				ds.WithFlushEvery(1, 0), ds.WithRetry(3, 10*time.Millisecond),
				ds.WithStallTimeout(time.Second), ds.WithLogger(slog.New(watch)))
			t.Logf("%s stalled: the job took %v", c.name, time.Since(start).Round(time.Millisecond))
			assert.GreaterOrEqual(t, watch.stalls.Load(), int32(1), "a split failed with ErrStalled")
			assert.GreaterOrEqual(t, res.Retries, 1)
			resumed := 0
			for _, f := range src.froms {
				if f != nil {
					resumed++
				}
			}
			assert.Positive(t, resumed, "a retry resumes from a checkpoint, not from the start")
			assert.Equal(t, int64(n), res.RecordsWritten)
			require.Equal(t, se.ints("SELECT id FROM src"), de.ints("SELECT id FROM dst"))
			var mismatched int64
			require.NoError(t, de.db.QueryRow("SELECT COUNT(*) FROM dst WHERE v <> REPEAT('v', id % 100)").Scan(&mismatched))
			assert.Zero(t, mismatched)
		})
	}
}

// closeBound is how long cancelling a stalled job, or closing its source or
// sink, may take: generous, since it detects hangs, not slowness.
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
	dbs := newStallDBs(t, 8000)
	for _, c := range append(stallCases, stallCase{name: "idle writer", idle: true}) {
		t.Run(c.name, func(t *testing.T) {
			_, _, srcDSN, dstDSN, proxy := dbs.setup(t, c)
			src, err := mysql.NewSource(mysql.SourceConfig{DSN: srcDSN, Table: "src", Splits: 2})
			require.NoError(t, err)
			sink, err := mysql.NewSink(mysql.SinkConfig{DSN: dstDSN, Table: "dst"})
			require.NoError(t, err)
			cctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a hang fails the test
			defer cancel()
			var writes, cancelled atomic.Int64
			stall := func() {
				proxy.Stall(faultproxy.Both)
				time.AfterFunc(300*time.Millisecond, func() {
					cancelled.Store(time.Now().UnixNano())
					cancel()
				})
			}
			var from ds.Source = src
			var to ds.Sink = &hookSink{Sink: sink, before: func() {
				if writes.Add(1) == 12 {
					stall()
				}
			}}
			opts := []ds.Option{ds.WithParallelism(2), ds.WithBatchSize(200, 1<<20),
				ds.WithFlushEvery(1, 0), ds.WithStallTimeout(time.Minute)}
			if c.idle {
				written := &writeCounter{Sink: sink}
				from, to = &slowSource{Source: src, n: 5, hook: stall, idle: func() bool { return written.writes.Load() == 4 }}, written
				opts = []ds.Option{ds.WithParallelism(1), ds.WithBatchSize(200, 1<<20),
					ds.WithFlushEvery(0, 0), ds.WithStallTimeout(time.Minute)}
			}
			p, err := ds.NewPipeline(from, to, opts...)
			require.NoError(t, err)

			hangs(t, proxy, func() {
				_, err = p.Run(cctx)
			})
			returned := time.Now()
			require.ErrorIs(t, err, context.Canceled, "cancelled, not timed out")
			took := returned.Sub(time.Unix(0, cancelled.Load()))
			t.Logf("Run returned %v after the cancel", took.Round(time.Millisecond))
			assert.Less(t, took, closeBound, "Run returns promptly once cancelled")

			start := time.Now()
			hangs(t, proxy, func() {
				err = errors.Join(src.Close(), sink.Close())
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
	ds.Source
	n     int32
	hook  func()
	idle  func() bool
	reads atomic.Int32
}

func (s *slowSource) Open(ctx context.Context, sp ds.Split, from ds.Checkpoint) (ds.Reader, error) {
	r, err := s.Source.Open(ctx, sp, from)
	if err != nil {
		return nil, err
	}
	return &slowReader{Reader: r, s: s}, nil
}

type slowReader struct {
	ds.Reader
	s *slowSource
}

func (r *slowReader) Read(ctx context.Context, b *ds.Batch) error {
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
	ds.Sink
	writes atomic.Int32
}

func (s *writeCounter) Open(ctx context.Context, sp ds.Split) (ds.Writer, error) {
	w, err := s.Sink.Open(ctx, sp)
	if err != nil {
		return nil, err
	}
	return &countedWriter{Writer: w, s: s}, nil
}

type countedWriter struct {
	ds.Writer
	s *writeCounter
}

func (w *countedWriter) Write(ctx context.Context, b *ds.Batch) error {
	defer w.s.writes.Add(1)
	return w.Writer.Write(ctx, b)
}

// TestOwnPoolsDialThroughNetdial: the connections of a pool opened from a
// DSN have keepalives and can be aborted (see netdial), while a pool the
// caller gave is left alone.
func TestOwnPoolsDialThroughNetdial(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE t (id int PRIMARY KEY)")
	own := e.source(mysql.SourceConfig{Table: "t"})
	_, err := own.Schema(ctx(t))
	require.NoError(t, err)
	assert.Positive(t, mysql.DialedConns(own))
	require.NoError(t, own.Close())
	assert.Zero(t, mysql.DialedConns(own), "closing the pool closed its connections")

	given := e.source(mysql.SourceConfig{DB: e.db, Table: "t"})
	_, err = given.Schema(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, -1, mysql.DialedConns(given))
}
