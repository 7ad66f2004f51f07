package postgres

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/source"
)

// refreshSchema and refreshRows make n rows (id, v) for a refresh.
var refreshSchema = datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "v", Kind: datasync.KindString}}

func refreshSource(n int64, failAt int64) datasync.Source {
	return source.Generate(refreshSchema, n, func(i int64, r datasync.Record) error {
		if i == failAt {
			return errors.New("the source broke")
		}
		r[0], r[1] = datasync.Int(i+1), datasync.String("new")
		return nil
	}, source.Splits(8))
}

// TestAtomicRefreshReadersSeeOldOrNew refreshes a table while readers
// count its rows in a loop: they only ever see the old count or the new
// one; indexes, privileges, owned sequences and index names carry over;
// a failed refresh leaves the table as it was and drops the staging table.
func TestAtomicRefreshReadersSeeOldOrNew(t *testing.T) {
	db := newDB(t)
	db.exec(`CREATE TABLE target (id bigserial PRIMARY KEY, v text NOT NULL CHECK (v <> ''), w int DEFAULT 7)`,
		`CREATE INDEX target_v ON target (v)`,
		`INSERT INTO target (v) SELECT 'old' FROM generate_series(1, 1000)`,
		`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'datasync_reader') THEN CREATE ROLE datasync_reader; END IF; END $$`,
		`GRANT SELECT ON target TO datasync_reader`)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var seen sync.Map
	var reads atomic.Int64
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := pgx.Connect(ctx, db.dsn)
			if err != nil {
				return
			}
			defer conn.Close(context.Background())
			for ctx.Err() == nil {
				var n int64
				if err := conn.QueryRow(ctx, `SELECT count(*) FROM target`).Scan(&n); err != nil {
					if ctx.Err() == nil {
						seen.Store(-1, err.Error())
					}
					return
				}
				seen.Store(n, true)
				reads.Add(1)
			}
		}()
	}
	time.Sleep(100 * time.Millisecond)

	k := newSink(t, SinkConfig{DSN: db.dsn, Table: "target", Column: []string{"id", "v"}, AtomicRefresh: true})
	_, err := run(t, refreshSource(50_000, -1), k, datasync.WithParallelism(4), datasync.WithBatchSize(500, 1<<20))
	require.NoError(t, err)
	time.Sleep(100 * time.Millisecond)
	cancel()
	wg.Wait()
	counts := map[int64]bool{}
	seen.Range(func(k, v any) bool {
		if k.(int64) == -1 {
			t.Errorf("a reader failed: %v", v)
		}
		counts[k.(int64)] = true
		return true
	})
	assert.Equal(t, map[int64]bool{1000: true, 50_000: true}, counts, "readers saw only the old and the new count (%d reads)", reads.Load())
	assert.Equal(t, []string{"50000|new|7"}, db.rows(`SELECT count(*), min(v), min(w) FROM target`))
	assert.Equal(t, []string{"target_pkey", "target_v"}, db.rows(`SELECT indexname FROM pg_indexes WHERE tablename = 'target' ORDER BY 1`), "indexes carried over, with their names")
	assert.Equal(t, []string{"true"}, db.rows(`SELECT has_table_privilege('datasync_reader', 'target', 'SELECT')::text`), "grants carried over")
	assert.Equal(t, []string{"target_id_seq"}, db.rows(`SELECT s.relname FROM pg_depend d JOIN pg_class s ON s.oid = d.objid WHERE d.refobjid = 'target'::regclass AND d.deptype = 'a' AND s.relkind = 'S'`), "the serial's sequence now belongs to the new table")
	assert.Empty(t, db.rows(`SELECT relname FROM pg_class WHERE relname LIKE 'target_datasync%'`))
	db.exec(`SELECT nextval('target_id_seq')`) // the sequence outlived the old table
	_, err = db.conn.Exec(context.Background(), `INSERT INTO target (id, v) VALUES (-5, '')`)
	require.Error(t, err, "the CHECK constraint carried over")

	// A refresh that fails half-way leaves the table untouched.
	before := db.rows(`SELECT count(*), max(id) FROM target`)
	k = newSink(t, SinkConfig{DSN: db.dsn, Table: "target", Column: []string{"id", "v"}, AtomicRefresh: true})
	_, err = run(t, refreshSource(20_000, 15_000), k, datasync.WithParallelism(2), datasync.WithRetry(0, 0))
	require.Error(t, err)
	assert.Equal(t, before, db.rows(`SELECT count(*), max(id) FROM target`))
	assert.Empty(t, db.rows(`SELECT relname FROM pg_class WHERE relname LIKE 'target_datasync%'`), "Abort dropped the staging table")
}

// TestAtomicRefreshConfig refuses truncate beside atomicRefresh, and a
// target that is not a table.
func TestAtomicRefreshConfig(t *testing.T) {
	_, err := NewSink(SinkConfig{DSN: "postgres://x@127.0.0.1/db", Table: "t", AtomicRefresh: true, Truncate: true})
	require.ErrorContains(t, err, "atomicRefresh")

	db := newDB(t)
	db.exec(`CREATE TABLE base (id int PRIMARY KEY, v text)`, `CREATE VIEW v AS SELECT * FROM base`)
	k := newSink(t, SinkConfig{DSN: db.dsn, Table: "v", AtomicRefresh: true})
	_, err = run(t, refreshSource(10, -1), k)
	require.ErrorContains(t, err, "plain table")
}
