package mysql_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/source"
)

var refreshSchema = datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "v", Kind: datasync.KindString}}

func refreshSource(n, failAt int64) datasync.Source {
	return source.Generate(refreshSchema, n, func(i int64, r datasync.Record) error {
		if i == failAt {
			return errors.New("the source broke")
		}
		r[0], r[1] = datasync.Int(i+1), datasync.String("new")
		return nil
	}, source.Splits(8))
}

func runRefresh(t *testing.T, dsn string, src datasync.Source, opts ...datasync.Option) error {
	t.Helper()
	k, err := mysql.NewSink(mysql.SinkConfig{DSN: dsn, Table: "target", Column: []string{"id", "v"}, AtomicRefresh: true})
	require.NoError(t, err)
	defer k.Close()
	p, err := datasync.NewPipeline(src, k, opts...)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, err = p.Run(ctx)
	return err
}

// TestAtomicRefreshReadersSeeOldOrNew refreshes a table while readers
// count its rows in a loop: they only ever see the old count or the new
// one; indexes carry over; a failed refresh leaves the table as it was and
// drops the staging table.
func TestAtomicRefreshReadersSeeOldOrNew(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE target (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20) NOT NULL, w INT DEFAULT 7, KEY target_v (v)) ENGINE=InnoDB",
		"INSERT INTO target (v) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) SELECT 'old' FROM n")
	require.EqualValues(t, 1000, e.count("target"))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	counts := map[int64]bool{}
	var readErr error
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := sql.Open("mysql", e.dsn)
			if err != nil {
				return
			}
			defer db.Close()
			for ctx.Err() == nil {
				var n int64
				if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM target").Scan(&n); err != nil {
					if ctx.Err() == nil {
						mu.Lock()
						readErr = err
						mu.Unlock()
					}
					return
				}
				mu.Lock()
				counts[n] = true
				mu.Unlock()
			}
		}()
	}
	time.Sleep(100 * time.Millisecond)
	require.NoError(t, runRefresh(t, e.dsn, refreshSource(30_000, -1), datasync.WithParallelism(4), datasync.WithBatchSize(500, 1<<20)))
	time.Sleep(100 * time.Millisecond)
	cancel()
	wg.Wait()
	require.NoError(t, readErr)
	assert.Equal(t, map[int64]bool{1000: true, 30_000: true}, counts, "readers saw only the old and the new count")
	assert.Equal(t, []int64{30_000}, e.ints("SELECT COUNT(*) FROM target WHERE v = 'new' AND w = 7"))
	assert.Equal(t, []int64{1}, e.ints("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'target' AND INDEX_NAME = 'target_v'"), "indexes carried over")
	assert.Equal(t, []int64{0}, e.ints("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'target\\_datasync%'"))

	// A refresh that fails half-way leaves the table untouched.
	err := runRefresh(t, e.dsn, refreshSource(20_000, 15_000), datasync.WithParallelism(2), datasync.WithRetry(0, 0))
	require.Error(t, err)
	assert.EqualValues(t, 30_000, e.count("target"))
	assert.Equal(t, []int64{0}, e.ints("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'target\\_datasync%'"), "Abort dropped the staging table")

	_, err = mysql.NewSink(mysql.SinkConfig{DSN: e.dsn, Table: "target", AtomicRefresh: true, Truncate: true})
	require.ErrorContains(t, err, "atomicRefresh")
}
