package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
)

// readAll runs src into a collection with small batches and pages, so that
// every split is read in many pages, and returns the ids read (column 0,
// as text) and the result.
func readAll(t *testing.T, src *Source, parallelism int) ([]string, datasync.Result) {
	t.Helper()
	coll := sink.Collect()
	res, err := run(t, src, coll, datasync.WithParallelism(parallelism), datasync.WithBatchSize(97, 1<<20))
	require.NoError(t, err)
	var ids []string
	for _, r := range coll.Records() {
		ids = append(ids, r[0].String())
	}
	slices.Sort(ids)
	return ids, res
}

// expectIDs returns the ids of a query, sorted as text.
func expectIDs(d *testDB, sql string) []string {
	ids := d.rows(sql)
	slices.Sort(ids)
	return ids
}

func TestSplitsCoverEveryRowOnce(t *testing.T) {
	db := newDB(t)
	const n = 5000
	db.exec(
		fmt.Sprintf(`CREATE TABLE ints AS SELECT i::bigint AS id, 'v' || i AS v FROM generate_series(1, %d) i`, n),
		`ALTER TABLE ints ADD PRIMARY KEY (id)`,
		// Skewed: most keys small, a few huge.
		fmt.Sprintf(`CREATE TABLE skew AS SELECT (CASE WHEN i %% 500 = 0 THEN i::bigint * 1000000000000 ELSE i END) AS id FROM generate_series(1, %d) i`, n),
		`ALTER TABLE skew ADD PRIMARY KEY (id)`,
		fmt.Sprintf(`CREATE TABLE texts AS SELECT 'k' || md5(i::text) AS id FROM generate_series(1, %d) i`, n),
		`ALTER TABLE texts ADD PRIMARY KEY (id)`,
		fmt.Sprintf(`CREATE TABLE uuids AS SELECT md5(i::text)::uuid AS id FROM generate_series(1, %d) i`, n),
		`ALTER TABLE uuids ADD PRIMARY KEY (id)`,
		fmt.Sprintf(`CREATE TABLE composite AS SELECT i::text || '/' || (i %% 7) AS id, i %% 7 AS a, (i * 7919 %% 1000)::text || '-' || i AS b FROM generate_series(1, %d) i`, n),
		`ALTER TABLE composite ADD PRIMARY KEY (a, b)`,
		// A nullable, non-unique split key with NULLs.
		fmt.Sprintf(`CREATE TABLE nullable AS SELECT i AS id, CASE WHEN i %% 10 = 0 THEN NULL ELSE i %% 13 END AS g FROM generate_series(1, %d) i`, n),
		fmt.Sprintf(`CREATE TABLE equal AS SELECT i AS id, 42 AS g FROM generate_series(1, %d) i`, n),
		fmt.Sprintf(`CREATE TABLE heap AS SELECT i AS id, repeat('x', i %% 300) AS pad FROM generate_series(1, %d) i`, n),
		`DELETE FROM heap WHERE id % 3 = 0`, // holes in the blocks
		`CREATE TABLE empty (id int PRIMARY KEY)`,
		`CREATE TABLE one (id int PRIMARY KEY)`, `INSERT INTO one VALUES (7)`,
		`CREATE TABLE emptyheap (id int)`,
		`CREATE TABLE parts (id int, k int) PARTITION BY RANGE (k)`,
		`CREATE TABLE parts_a PARTITION OF parts FOR VALUES FROM (0) TO (5)`,
		`CREATE TABLE parts_b PARTITION OF parts FOR VALUES FROM (5) TO (10)`,
		fmt.Sprintf(`INSERT INTO parts SELECT i, i %% 10 FROM generate_series(1, %d) i`, n),
		`CREATE VIEW v AS SELECT id, v FROM ints WHERE id % 2 = 0`,
	)
	cases := []struct {
		name, table, splitPK, where string
		want                        string // the query of the expected ids
		minSplits                   int    // at least; exactly when below 2
	}{
		{"integer key", "ints", "", "", "SELECT id FROM ints", 16},
		{"skewed integer key", "skew", "", "", "SELECT id FROM skew", 16},
		{"text key", "texts", "", "", "SELECT id FROM texts", 16},
		{"uuid key", "uuids", "", "", "SELECT id FROM uuids", 16},
		{"composite key", "composite", "", "", "SELECT id FROM composite", 16},
		{"NULL keys", "nullable", "g", "", "SELECT id FROM nullable", 10},
		{"all keys equal", "equal", "g", "", "SELECT id FROM equal", 1}, // and the NULL split
		{"no key: blocks", "heap", "", "", "SELECT id FROM heap", 16},
		{"empty table", "empty", "", "", "SELECT id FROM empty", 1},
		{"one row", "one", "", "", "SELECT id FROM one", 1},
		{"empty table without key", "emptyheap", "", "", "SELECT id FROM emptyheap", 1},
		{"partitions by blocks", "parts", "", "", "SELECT id FROM parts", 2},
		{"partitions by a non-unique key", "parts", "k", "", "SELECT id FROM parts", 9},
		{"where", "ints", "", "id % 7 = 1", "SELECT id FROM ints WHERE id % 7 = 1", 16},
		{"view with a key", "v", "id", "", "SELECT id FROM v", 16},
		{"view without a key", "v", "", "", "SELECT id FROM v", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := SourceConfig{DSN: db.dsn, Table: c.table, SplitPK: c.splitPK, Where: c.where, FetchSize: 61}
			if c.table == "composite" {
				cfg.Column = []string{"id", "a", "b"}
			}
			src := newSource(t, cfg)
			splits, err := src.Plan(context.Background(), datasync.PlanHint{Parallelism: 4})
			require.NoError(t, err)
			assert.GreaterOrEqual(t, len(splits), c.minSplits, "splits")
			if c.minSplits == 1 {
				var ranges int
				for _, sp := range splits {
					if !strings.HasSuffix(sp.ID, "#nulls") {
						ranges++
					}
				}
				assert.Equal(t, 1, ranges, "one split holds every row")
			}
			ids, res := readAll(t, src, 3)
			assert.Equal(t, expectIDs(db, c.want), ids, "every row exactly once")
			if c.minSplits >= 16 && c.table != "heap" {
				assertBalanced(t, res)
			}
		})
	}
}

// assertBalanced checks that no split holds far more rows than an even
// share.
func assertBalanced(t *testing.T, res datasync.Result) {
	t.Helper()
	var most int64
	for _, s := range res.Splits {
		most = max(most, s.RecordsRead)
	}
	even := res.RecordsRead / int64(len(res.Splits))
	assert.LessOrEqual(t, most, 3*even+5, "the largest split against an even share")
}

// TestSplitsBySample plans a table large enough, for the test's lowered
// thresholds, to sample its keys (TABLESAMPLE) rather than read them all.
func TestSplitsBySample(t *testing.T) {
	old, oldRows := exactSampleRows, sampleRows
	exactSampleRows, sampleRows = 1000, 2000
	t.Cleanup(func() { exactSampleRows, sampleRows = old, oldRows })
	db := newDB(t)
	db.exec(`CREATE TABLE t AS SELECT 'k' || md5(i::text) AS id FROM generate_series(1, 20000) i`,
		`ALTER TABLE t ADD PRIMARY KEY (id)`, `ANALYZE t`)
	src := newSource(t, SourceConfig{DSN: db.dsn, Table: "t"})
	splits, err := src.Plan(context.Background(), datasync.PlanHint{Parallelism: 2})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(splits), 6)
	again, err := newSource(t, SourceConfig{DSN: db.dsn, Table: "t"}).Plan(context.Background(), datasync.PlanHint{Parallelism: 2})
	require.NoError(t, err)
	assert.Equal(t, splits, again, "the same table plans the same splits")
	ids, res := readAll(t, src, 2)
	assert.Equal(t, expectIDs(db, "SELECT id FROM t"), ids)
	assertBalanced(t, res)
}

// TestBlocksFallback reads blocks the way servers before PostgreSQL 14 do.
func TestBlocksFallback(t *testing.T) {
	forceBlockFallback = true
	t.Cleanup(func() { forceBlockFallback = false })
	db := newDB(t)
	db.exec(`CREATE TABLE heap AS SELECT i AS id FROM generate_series(1, 3000) i`, `DELETE FROM heap WHERE id % 5 = 0`,
		`CREATE TABLE nullable AS SELECT i AS id, NULLIF(i % 4, 0) AS g FROM generate_series(1, 3000) i`)
	ids, _ := readAll(t, newSource(t, SourceConfig{DSN: db.dsn, Table: "heap", FetchSize: 50}), 2)
	assert.Equal(t, expectIDs(db, "SELECT id FROM heap"), ids)
	ids, _ = readAll(t, newSource(t, SourceConfig{DSN: db.dsn, Table: "nullable", SplitPK: "g", FetchSize: 50}), 2)
	assert.Equal(t, expectIDs(db, "SELECT id FROM nullable"), ids)
}

func TestQuerySQL(t *testing.T) {
	db := newDB(t)
	db.exec(`CREATE TABLE t AS SELECT i AS id, i * 2 AS twice FROM generate_series(1, 1000) i`)
	src := newSource(t, SourceConfig{DSN: db.dsn, QuerySQL: "SELECT id, twice + 1 AS plus, 'c' FROM t WHERE id > 10 ORDER BY id"})
	schema, err := src.Schema(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"id", "plus", "?column?"}, schema.Names())
	splits, err := src.Plan(context.Background(), datasync.PlanHint{Parallelism: 4})
	require.NoError(t, err)
	assert.Len(t, splits, 1)
	ids, _ := readAll(t, src, 1)
	assert.Equal(t, expectIDs(db, "SELECT id FROM t WHERE id > 10"), ids)
}
