package mysql_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
)

// readIDs reads src with the pipeline (small batches, so each split takes
// several pages and checkpoints) and returns column idCol of every record,
// sorted.
func readIDs(t *testing.T, src ds.Source, idCol int) []int64 {
	t.Helper()
	recs := collect(t, src, ds.WithParallelism(3), ds.WithBatchSize(37, 1<<20))
	out := make([]int64, len(recs))
	for i, r := range recs {
		n, err := r[idCol].AsInt()
		require.NoError(t, err)
		out[i] = n
	}
	slices.Sort(out)
	return out
}

func plan(t *testing.T, src ds.Source) []ds.Split {
	t.Helper()
	splits, err := src.Plan(ctx(t), ds.PlanHint{Parallelism: 4})
	require.NoError(t, err)
	return splits
}

func insertRows(e *env, table string, n int, row func(i int) string) {
	e.t.Helper()
	for start := 0; start < n; start += 1000 {
		var vals []string
		for i := start; i < min(start+1000, n); i++ {
			vals = append(vals, row(i))
		}
		e.exec("INSERT INTO " + table + " VALUES " + strings.Join(vals, ","))
	}
}

func TestSplitsExactlyOnce(t *testing.T) {
	e := newEnv(t)
	// An integer key with gaps and a skewed tail.
	e.exec("CREATE TABLE ints (id bigint PRIMARY KEY, v int)")
	insertRows(e, "ints", 1000, func(i int) string {
		id := int64(i * 3)
		if i >= 990 {
			id = 1_000_000_000_000 + int64(i)
		}
		return fmt.Sprintf("(%d, %d)", id, i)
	})
	// A string key, case-insensitive, with multi-byte characters.
	e.exec("CREATE TABLE strs (k varchar(40) PRIMARY KEY, id int) COLLATE utf8mb4_general_ci")
	insertRows(e, "strs", 700, func(i int) string {
		prefix := []string{"a", "B", "é", "😀", "Z", "b"}[i%6]
		return fmt.Sprintf("('%s-%05d', %d)", prefix, i, i)
	})
	// A latin1 string key: the literals are converted to the column's set.
	e.exec("CREATE TABLE latin (k varchar(20) CHARACTER SET latin1 PRIMARY KEY, id int)")
	insertRows(e, "latin", 300, func(i int) string {
		return fmt.Sprintf("('%s%03d', %d)", []string{"é", "e", "E", "ß", "z"}[i%5], i, i)
	})
	// A composite key, the first column skewed.
	e.exec("CREATE TABLE comp (a int, b varbinary(10), id int, PRIMARY KEY (a, b))")
	insertRows(e, "comp", 800, func(i int) string {
		a := i % 3
		if i > 100 {
			a = 7
		}
		return fmt.Sprintf("(%d, X'%04x00', %d)", a, i, i)
	})
	// A nullable, non-unique split key, with and without an index.
	for _, table := range []string{"nulls", "nulls_noidx"} {
		e.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, g int NULL, d datetime(6) NULL)")
		insertRows(e, table, 600, func(i int) string {
			g := "NULL"
			if i%4 != 0 {
				g = fmt.Sprint(i % 5) // heavy skew: five values
			}
			return fmt.Sprintf("(%d, %s, '2024-01-01 00:00:00.%06d')", i, g, i)
		})
	}
	e.exec("CREATE INDEX g ON nulls (g)")
	e.exec("CREATE TABLE empty (id int PRIMARY KEY)", "CREATE TABLE one (id int PRIMARY KEY)", "INSERT INTO one VALUES (42)")
	// No unique key at all: read as a stream per range.
	e.exec("CREATE TABLE nokey (id int, g int)")
	insertRows(e, "nokey", 300, func(i int) string { return fmt.Sprintf("(%d, %d)", i, i%7) })

	cases := []struct {
		name  string
		cfg   mysql.SourceConfig
		idCol int
		want  string
		min   int // splits at least
	}{
		{"integer", mysql.SourceConfig{Table: "ints", Splits: 7}, 1, "SELECT v FROM ints", 7},
		{"string", mysql.SourceConfig{Table: "strs", Splits: 6}, 1, "SELECT id FROM strs", 6},
		{"latin1 string", mysql.SourceConfig{Table: "latin", Splits: 4}, 1, "SELECT id FROM latin", 4},
		{"composite", mysql.SourceConfig{Table: "comp", Splits: 5}, 2, "SELECT id FROM comp", 4},
		{"composite split by its first column", mysql.SourceConfig{Table: "comp", Splits: 5, SplitPK: "a"}, 2, "SELECT id FROM comp", 2},
		{"nullable indexed", mysql.SourceConfig{Table: "nulls", Splits: 8, SplitPK: "g"}, 0, "SELECT id FROM nulls", 3},
		{"nullable without index", mysql.SourceConfig{Table: "nulls_noidx", Splits: 8, SplitPK: "g"}, 0, "SELECT id FROM nulls_noidx", 3},
		{"temporal", mysql.SourceConfig{Table: "nulls", Splits: 4, SplitPK: "d"}, 0, "SELECT id FROM nulls", 4},
		{"where", mysql.SourceConfig{Table: "ints", Splits: 4, Where: "v % 2 = 0"}, 1, "SELECT v FROM ints WHERE v % 2 = 0", 1},
		{"empty", mysql.SourceConfig{Table: "empty", Splits: 4}, 0, "SELECT id FROM empty", 1},
		{"one row", mysql.SourceConfig{Table: "one", Splits: 4}, 0, "SELECT id FROM one", 1},
		{"no key", mysql.SourceConfig{Table: "nokey", Splits: 3, SplitPK: "g"}, 0, "SELECT id FROM nokey", 3},
		{"no key, no split key", mysql.SourceConfig{Table: "nokey"}, 0, "SELECT id FROM nokey", 1},
		{"query", mysql.SourceConfig{QuerySQL: "SELECT id * 2 AS id FROM ints WHERE v < 100;"}, 0, "SELECT id * 2 FROM ints WHERE v < 100", 1},
		{"small fetch size", mysql.SourceConfig{Table: "strs", Splits: 2, FetchSize: 5}, 1, "SELECT id FROM strs", 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := e.source(c.cfg)
			splits := plan(t, src)
			assert.GreaterOrEqual(t, len(splits), c.min, "splits")
			again := plan(t, src)
			assert.Equal(t, splits, again, "the same plan twice")
			want := e.ints(c.want)
			if want == nil {
				want = []int64{}
			}
			got := readIDs(t, src, c.idCol)
			if got == nil {
				got = []int64{}
			}
			assert.Equal(t, want, got)
		})
	}
}

// TestSplitsAreBalanced checks that skewed keys still give even splits.
func TestSplitsAreBalanced(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE t (id bigint PRIMARY KEY)")
	insertRows(e, "t", 4000, func(i int) string {
		id := int64(i)
		if i >= 2000 {
			id = int64(i) * 1_000_000_007 // half the rows spread over a huge range
		}
		return fmt.Sprint("(", id, ")")
	})
	src := e.source(mysql.SourceConfig{Table: "t", Splits: 8})
	splits := plan(t, src)
	require.Len(t, splits, 8)
	for _, sp := range splits {
		n := 0
		r, err := src.Open(ctx(t), sp, nil)
		require.NoError(t, err)
		for {
			b := ds.NewBatch(ds.Schema{{Name: "id", Kind: ds.KindInt}}, 1000, 1<<20)
			err := r.Read(ctx(t), b)
			n += b.Len()
			if errors.Is(err, io.EOF) {
				break
			}
			require.NoError(t, err)
		}
		require.NoError(t, r.Close())
		assert.InDelta(t, 500, n, 1, "split %s", sp.ID)
	}
}

// TestResumeFromCheckpoint reads part of a split, then opens it again, from
// JSON, at the checkpoint, as another process would.
func TestResumeFromCheckpoint(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE t (a int, b varchar(10), PRIMARY KEY (a, b))")
	insertRows(e, "t", 500, func(i int) string { return fmt.Sprintf("(%d, 'k%03d')", i%10, i) })
	src := e.source(mysql.SourceConfig{Table: "t", Splits: 1})
	splits := plan(t, src)
	require.Len(t, splits, 1)
	raw, err := json.Marshal(splits[0])
	require.NoError(t, err)
	var sp ds.Split
	require.NoError(t, json.Unmarshal(raw, &sp))

	schema, err := src.Schema(ctx(t))
	require.NoError(t, err)
	seen := map[string]int{}
	read := func(r ds.Reader, batches int) (eof bool) {
		for i := 0; batches < 0 || i < batches; i++ {
			b := ds.NewBatch(schema, 33, 1<<20)
			err := r.Read(ctx(t), b)
			for j := range b.Len() {
				seen[b.Row(j)[1].String()]++
			}
			if errors.Is(err, io.EOF) {
				return true
			}
			require.NoError(t, err)
		}
		return false
	}
	r, err := src.Open(ctx(t), sp, nil)
	require.NoError(t, err)
	require.False(t, read(r, 4))
	cp := r.Checkpoint()
	require.NotNil(t, cp)
	require.NoError(t, r.Close())
	r, err = src.Open(ctx(t), sp, cp)
	require.NoError(t, err)
	require.True(t, read(r, -1))
	require.NoError(t, r.Close())
	assert.Len(t, seen, 500)
	for k, n := range seen {
		assert.Equal(t, 1, n, k)
	}
}

// TestStreamSplitCannotResume: a query has no key to resume by, so a
// checkpoint after some rows is refused rather than replayed.
func TestStreamSplitCannotResume(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE t (id int)", "INSERT INTO t VALUES (1), (2), (3)")
	src := e.source(mysql.SourceConfig{QuerySQL: "SELECT id FROM t"})
	splits := plan(t, src)
	r, err := src.Open(ctx(t), splits[0], nil)
	require.NoError(t, err)
	schema, _ := src.Schema(ctx(t))
	b := ds.NewBatch(schema, 2, 1<<20)
	require.NoError(t, r.Read(ctx(t), b))
	cp := r.Checkpoint()
	require.NoError(t, r.Close())
	_, err = src.Open(ctx(t), splits[0], cp)
	require.Error(t, err)
	assert.False(t, ds.IsRetryable(err))
	assert.Contains(t, err.Error(), "cannot resume")
}
