package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
)

// readSplit reads split sp from checkpoint from, at most limit batches of
// 70 rows (0: to the end), and returns the first column of the rows and
// the checkpoint after them.
func readSplit(t *testing.T, s *Source, sp datasync.Split, from datasync.Checkpoint, limit int) ([]string, datasync.Checkpoint) {
	t.Helper()
	ctx := context.Background()
	schema, err := s.Schema(ctx)
	require.NoError(t, err)
	r, err := s.Open(ctx, sp, from)
	require.NoError(t, err)
	defer r.Close()
	var ids []string
	b := datasync.NewBatch(schema, 70, 1<<20)
	for n := 0; limit == 0 || n < limit; n++ {
		b.Reset()
		err := r.Read(ctx, b)
		for i := range b.Len() {
			ids = append(ids, b.Row(i)[0].String())
		}
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
	}
	return ids, slices.Clone(r.Checkpoint())
}

// TestResumeFromCheckpoint reads part of each split, then opens the split
// again, from another Source, at the checkpoint: the two parts are the
// split's rows, each once. Splits travel as JSON, as to another process.
func TestResumeFromCheckpoint(t *testing.T) {
	db := newDB(t)
	db.exec(`CREATE TABLE keyed AS SELECT i AS id, i % 17 AS g, md5(i::text) AS v FROM generate_series(1, 3000) i`,
		`ALTER TABLE keyed ADD PRIMARY KEY (id)`, `UPDATE keyed SET g = NULL WHERE id % 11 = 0`,
		`CREATE VIEW v AS SELECT * FROM keyed`)
	for _, cfg := range []SourceConfig{
		{Table: "keyed"},                               // keyset
		{Table: "keyed", SplitPK: "g"},                 // keyset with ties, and NULL keys by blocks
		{Table: "keyed", SplitPK: "v, id"},             // composite
		{Table: "keyed", Consistent: true},             // keyset in a snapshot
		{Table: "v"},                                   // a view without a key: one stream
		{Table: "v", SplitPK: "id"},                    // a view with a key: streams by range
		{QuerySQL: "SELECT id FROM keyed ORDER BY id"}, // a query
	} {
		cfg.DSN = db.dsn
		name, _ := json.Marshal(cfg)
		t.Run(string(name), func(t *testing.T) {
			planner := newSource(t, cfg)
			splits, err := planner.Plan(context.Background(), datasync.PlanHint{Parallelism: 1})
			require.NoError(t, err)
			raw, err := json.Marshal(splits)
			require.NoError(t, err)
			var again []datasync.Split
			require.NoError(t, json.Unmarshal(raw, &again))
			other := newSource(t, cfg) // as in another process
			if cfg.Consistent {
				other = planner // the snapshot lives as long as the Source that exported it
			}
			var all []string
			for _, sp := range again {
				whole, _ := readSplit(t, other, sp, nil, 0)
				first, cp := readSplit(t, other, sp, nil, 2)
				rest, _ := readSplit(t, newSourceLike(t, other, cfg), sp, cp, 0)
				got := append(first, rest...)
				slices.Sort(got)
				slices.Sort(whole)
				assert.Equal(t, whole, got, "split %s: read in two parts", sp.ID)
				all = append(all, whole...)
			}
			slices.Sort(all)
			assert.Equal(t, expectIDs(db, "SELECT id FROM keyed"), all)
		})
	}
}

func newSourceLike(t *testing.T, s *Source, cfg SourceConfig) *Source {
	if cfg.Consistent {
		return s
	}
	return newSource(t, cfg)
}

// TestCallersPool reads and writes through pools the caller owns: they are
// used and never closed.
func TestCallersPool(t *testing.T) {
	src, dst := newDB(t), newDB(t)
	src.exec(`CREATE TABLE t (id int PRIMARY KEY)`, `INSERT INTO t SELECT generate_series(1, 500)`)
	dst.exec(`CREATE TABLE t (id int PRIMARY KEY)`)
	sp, err := pgxpool.New(context.Background(), src.dsn)
	require.NoError(t, err)
	defer sp.Close()
	dp, err := pgxpool.New(context.Background(), dst.dsn)
	require.NoError(t, err)
	defer dp.Close()
	s, err := NewSource(SourceConfig{Pool: sp, Table: "t", Consistent: true})
	require.NoError(t, err)
	k, err := NewSink(SinkConfig{Pool: dp, Table: "t"})
	require.NoError(t, err)
	_, err = run(t, s, k)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	require.NoError(t, k.Close())
	assert.Equal(t, int64(500), dst.count("t"))
	require.NoError(t, sp.Ping(context.Background()), "the caller's pool is still open")
	require.NoError(t, dp.Ping(context.Background()))
	assert.Zero(t, sp.Stat().AcquiredConns(), "every connection went back")
}

// TestNamesAndExpressions reads a schema-qualified, quoted table, by names
// written as PostgreSQL folds them and as written, with expressions and
// constants, into quoted target columns.
func TestNamesAndExpressions(t *testing.T) {
	db := newDB(t)
	db.exec(`CREATE SCHEMA "Sales"`, `CREATE TABLE "Sales"."Order Lines" ("Id" int PRIMARY KEY, amount numeric(8,2), "Note" text)`,
		`INSERT INTO "Sales"."Order Lines" VALUES (1, 9.5, 'a'), (2, 0.25, 'b')`,
		`CREATE TABLE "MixedCase" (id int PRIMARY KEY, "Label" text, doubled numeric, konst text, d date)`)
	s := newSource(t, SourceConfig{DSN: db.dsn, Table: `"Sales"."Order Lines"`,
		Column: []string{`"Id"`, "Note", "amount * 2", "'k'", "current_date"}})
	schema, err := s.Schema(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, schema[0].Key)
	k := newSink(t, SinkConfig{DSN: db.dsn, Table: "MixedCase", Column: []string{"id", `"Label"`, "doubled", "konst", "d"}})
	_, err = run(t, s, k)
	require.NoError(t, err)
	assert.Equal(t, []string{"1|a|19.00|k", "2|b|0.50|k"}, db.rows(`SELECT id, "Label", doubled, konst FROM "MixedCase" ORDER BY id`))
	assert.Equal(t, []string{"t"}, db.rows(`SELECT bool_and(d = current_date) FROM "MixedCase"`))

	// Expression columns are named by the server, or by their text when it
	// has no name for them.
	assert.Equal(t, []string{"Id", "Note", "amount * 2", "'k'", "current_date"}, schema.Names())
	coll := sink.Collect()
	_, err = run(t, s, coll, datasync.WithParallelism(1)) // splits in key order
	require.NoError(t, err)
	assert.Equal(t, "(1, a, 19.00, k, "+coll.Records()[0][4].String()+")", coll.Records()[0].String())
}

// TestOnePoolForSourceAndSink shares a small pool between the source and
// the sink: with parallelism + 1 connections the job runs; with fewer it
// fails saying why, instead of waiting forever.
func TestOnePoolForSourceAndSink(t *testing.T) {
	old := acquireWait
	acquireWait = 2 * time.Second
	t.Cleanup(func() { acquireWait = old })
	db := newDB(t)
	db.exec(`CREATE TABLE a (id int PRIMARY KEY)`, `INSERT INTO a SELECT generate_series(1, 20000)`, `CREATE TABLE b (id int PRIMARY KEY)`)
	for _, c := range []struct {
		conns int32
		ok    bool
	}{{5, true}, {2, false}} {
		db.exec(`TRUNCATE b`)
		cfg, err := pgxpool.ParseConfig(db.dsn)
		require.NoError(t, err)
		cfg.MaxConns = c.conns
		pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
		require.NoError(t, err)
		s := newSource(t, SourceConfig{Pool: pool, Table: "a"})
		k := newSink(t, SinkConfig{Pool: pool, Table: "b"})
		_, err = run(t, s, k, datasync.WithParallelism(4), datasync.WithBatchSize(500, 1<<20))
		if c.ok {
			require.NoError(t, err)
			assert.Equal(t, int64(20000), db.count("b"))
		} else {
			require.Error(t, err)
			assert.Contains(t, err.Error(), "no connection of the pool came free")
		}
		pool.Close()
	}
}

// TestRunSplitWithoutPrepare runs each split as a distributed engine does,
// with a fresh Source and Sink per split and Prepare run elsewhere: the
// writers work from the batch's schema, and pass-through applies when the
// sink names its columns.
func TestRunSplitWithoutPrepare(t *testing.T) {
	src, dst := newDB(t), newDB(t)
	src.exec(`CREATE TABLE t (id int PRIMARY KEY, v text)`, `INSERT INTO t SELECT i, 'v' || i FROM generate_series(1, 3000) i`)
	dst.exec(`CREATE TABLE t (id int PRIMARY KEY, v text)`)
	planner := newSource(t, SourceConfig{DSN: src.dsn, Table: "t"})
	p, err := datasync.NewPipeline(planner, newSink(t, SinkConfig{DSN: dst.dsn, Table: "t"}))
	require.NoError(t, err)
	splits, err := p.Plan(context.Background())
	require.NoError(t, err)
	require.NoError(t, p.Prepare(context.Background())) // "on the coordinator"
	for _, columns := range [][]string{{"id", "v"}, nil} {
		dst.exec(`TRUNCATE t`)
		var passed int64
		for _, sp := range splits {
			k := newSink(t, SinkConfig{DSN: dst.dsn, Table: "t", Column: columns})
			worker, err := datasync.NewPipeline(newSource(t, SourceConfig{DSN: src.dsn, Table: "t"}), k)
			require.NoError(t, err)
			_, err = worker.RunSplit(context.Background(), sp, nil, nil)
			require.NoError(t, err)
			passed += k.passedThrough.Load()
		}
		assert.Equal(t, src.rows("SELECT * FROM t ORDER BY id"), dst.rows("SELECT * FROM t ORDER BY id"))
		if columns != nil {
			assert.Equal(t, int64(3000), passed, "a column list gives the order without Prepare")
		} else {
			assert.Zero(t, passed, "without Prepare nor a column list, values")
		}
	}
}
