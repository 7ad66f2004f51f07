package mysql_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
)

// killAll kills every connection to e's database but the helper's own: the
// pipeline's, and nobody else's.
func (e *env) killAll() int {
	e.t.Helper()
	ids := e.ints("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()")
	for _, id := range ids {
		_, _ = e.db.Exec(fmt.Sprintf("KILL %d", id)) // it may be gone already
	}
	return len(ids)
}

// hookSink calls before ahead of each Write.
type hookSink struct {
	ds.Sink
	before func()
	// ownWrite, when set, is also called before each Write with the count
	// of that writer's writes so far, this one included.
	ownWrite func(n int)
}

func (s *hookSink) Open(ctx context.Context, sp ds.Split) (ds.Writer, error) {
	w, err := s.Sink.Open(ctx, sp)
	if err != nil {
		return nil, err
	}
	return &hookWriter{Writer: w, before: s.before, ownWrite: s.ownWrite}, nil
}

type hookWriter struct {
	ds.Writer
	before   func()
	ownWrite func(int)
	writes   int
}

func (w *hookWriter) Write(ctx context.Context, b *ds.Batch) error {
	w.before()
	w.writes++
	if w.ownWrite != nil {
		w.ownWrite(w.writes)
	}
	return w.Writer.Write(ctx, b)
}

// fromSource records the checkpoints readers are opened from.
type fromSource struct {
	ds.Source
	mu    sync.Mutex
	froms []ds.Checkpoint
}

func (s *fromSource) Open(ctx context.Context, sp ds.Split, from ds.Checkpoint) (ds.Reader, error) {
	s.mu.Lock()
	s.froms = append(s.froms, from)
	s.mu.Unlock()
	return s.Source.Open(ctx, sp, from)
}

// TestKilledConnectionRetried KILLs the reading or the writing connections
// in the middle of their splits: the splits are retried from their last
// checkpoint and every row arrives exactly once (a duplicate would be a
// dirty row, which fails this job). A writer killed while idle loses its
// open transaction, which the retry replays; a writer killed during its
// COMMIT cannot know whether it committed, so with two writers the kill
// runs in replace mode, which makes the replay exact either way.
func TestKilledConnectionRetried(t *testing.T) {
	for _, c := range []struct {
		side        string
		parallelism int
		mode        mysql.WriteMode
	}{{"source", 2, mysql.WriteInsert}, {"sink", 1, mysql.WriteInsert}, {"sink", 2, mysql.WriteReplace}} {
		t.Run(fmt.Sprintf("%s/%d/%s", c.side, c.parallelism, c.mode), func(t *testing.T) {
			se, de := newEnv(t), newEnv(t)
			se.exec("CREATE TABLE src (id int PRIMARY KEY, v varchar(100))")
			insertRows(se, "src", 4000, func(i int) string { return fmt.Sprintf("(%d, REPEAT('v', %d))", i, i%100) })
			de.exec("CREATE TABLE dst (id int PRIMARY KEY, v varchar(100))")
			victim := se
			if c.side == "sink" {
				victim = de
			}
			var writes, kills atomic.Int64
			src := &fromSource{Source: se.source(mysql.SourceConfig{Table: "src", Splits: 2})}
			dst := &hookSink{Sink: de.sink(mysql.SinkConfig{Table: "dst", WriteMode: c.mode}), before: func() {
				if n := writes.Add(1); n == 15 || n == 40 {
					kills.Add(int64(victim.killAll()))
				}
			}}
			res := run(t, src, dst, ds.WithBatchSize(40, 1<<20), ds.WithParallelism(c.parallelism), ds.WithRetry(5, 10*time.Millisecond),
				ds.WithFlushEvery(2000, 0))
			assert.Positive(t, kills.Load())
			assert.Positive(t, res.Retries)
			resumed := 0
			for _, f := range src.froms {
				if f != nil {
					resumed++
				}
			}
			assert.Positive(t, resumed, "a retry resumes from a checkpoint, not from the start")
			require.Equal(t, se.ints("SELECT id FROM src"), de.ints("SELECT id FROM dst"))
			var mismatched int64
			require.NoError(t, de.db.QueryRow("SELECT COUNT(*) FROM dst WHERE v <> REPEAT('v', id % 100)").Scan(&mismatched))
			assert.Zero(t, mismatched)
		})
	}
}

// TestCancelStopsPromptly cancels a job in the middle: Run returns the
// context's error promptly, every connection is released (the test's
// goroutine check would see a leak) and nothing unflushed is committed.
func TestCancelStopsPromptly(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE src (id int PRIMARY KEY, v varchar(100))", "CREATE TABLE dst (id int PRIMARY KEY, v varchar(100))")
	insertRows(e, "src", 5000, func(i int) string { return fmt.Sprintf("(%d, REPEAT('v', %d))", i, i%100) })
	cctx, cancel := context.WithCancel(ctx(t))
	var writes atomic.Int64
	dst := &hookSink{Sink: e.sink(mysql.SinkConfig{Table: "dst"}), before: func() {
		if writes.Add(1) == 5 {
			cancel()
		}
	}}
	p, err := ds.NewPipeline(e.source(mysql.SourceConfig{Table: "src", Splits: 4}), dst, ds.WithBatchSize(50, 1<<20),
		ds.WithFlushEvery(0, 0))
	require.NoError(t, err)
	start := time.Now()
	_, err = p.Run(cctx)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 10*time.Second)
	assert.Zero(t, e.count("dst"), "nothing was flushed, so nothing is committed")
}

// TestSlowWriterDoesNotStallTheSource: with net_write_timeout at one
// second, a writer that stalls for longer would get a streamed read killed
// by the server. Keyset pages leave no query open between reads, and a
// split that must stream (a query) raises the timeout on its connection.
func TestSlowWriterDoesNotStallTheSource(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE src (id int PRIMARY KEY, v text)")
	insertRows(e, "src", 2000, func(i int) string { return fmt.Sprintf("(%d, REPEAT('v', 4000))", i) })
	slow := []string{"SET SESSION net_write_timeout = 1"}
	for _, cfg := range []mysql.SourceConfig{{Table: "src", Session: slow}, {QuerySQL: "SELECT * FROM src", Session: slow}} {
		e.exec("DROP TABLE IF EXISTS dst", "CREATE TABLE dst (id int PRIMARY KEY, v text)")
		var writes atomic.Int64
		dst := &hookSink{Sink: e.sink(mysql.SinkConfig{Table: "dst"}), before: func() {
			if n := writes.Add(1); n == 2 || n == 4 {
				time.Sleep(1500 * time.Millisecond)
			}
		}}
		res := run(t, e.source(cfg), dst, ds.WithBatchSize(200, 1<<20), ds.WithRetry(0, 0), ds.WithParallelism(1))
		assert.Zero(t, res.Retries)
		assert.Equal(t, int64(2000), e.count("dst"))
	}
}
