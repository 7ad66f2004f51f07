package mysql_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/sink"
)

// DataX's mysqlreader takes select-list expressions in column: their kinds
// come from the server's result metadata, and splitting still uses splitPk.
func TestExpressionColumns(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE people (id bigint PRIMARY KEY, a varchar(20), b varchar(20), born datetime)",
		"INSERT INTO people SELECT seq, CONCAT('a', seq), CONCAT('b', seq), '2024-01-01' + INTERVAL seq DAY FROM seq_1_to_500")
	src, err := mysql.NewSource(mysql.SourceConfig{DSN: e.dsn, Table: "people", SplitPK: "id", Splits: 4,
		Column: []string{"id", "'const'", "1", "null", "now()", "concat(a, b)", "id + 1", "upper(a) AS shout", "date(born)", "`b`"}})
	require.NoError(t, err)
	defer src.Close()
	schema, err := src.Schema(context.Background())
	require.NoError(t, err)
	var kinds []datasync.Kind
	var names []string
	for _, c := range schema {
		kinds = append(kinds, c.Kind)
		names = append(names, c.Name)
	}
	assert.Equal(t, []datasync.Kind{datasync.KindInt, datasync.KindString, datasync.KindInt, datasync.KindString,
		datasync.KindTimestamp, datasync.KindString, datasync.KindInt, datasync.KindString, datasync.KindDate, datasync.KindString}, kinds)
	assert.Equal(t, []string{"id", "'const'", "1", "null", "now()", "concat(a, b)", "id + 1", "shout", "date(born)", "b"}, names)
	assert.Equal(t, 1, schema[0].Key, "the table's key")
	splits, err := src.Plan(context.Background(), datasync.PlanHint{Parallelism: 4})
	require.NoError(t, err)
	assert.Greater(t, len(splits), 1, "split by splitPk")

	dst := sink.Collect()
	p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(3), datasync.WithBatchSize(64, 1<<20))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(500), res.RecordsWritten)
	seen := map[int64]bool{}
	for _, r := range dst.Records() {
		id, _ := r[0].AsInt()
		seen[id] = true
		assert.Equal(t, "const", r[1].String())
		assert.Equal(t, datasync.Int(1), r[2])
		assert.True(t, r[3].IsNull())
		assert.Equal(t, datasync.KindTimestamp, r[4].Kind())
		assert.Equal(t, fmt.Sprintf("a%db%d", id, id), r[5].String())
		assert.Equal(t, datasync.Int(id+1), r[6])
		assert.Equal(t, fmt.Sprintf("A%d", id), r[7].String())
		assert.Equal(t, datasync.DateOf(2024, 1, 1).Days()+id, mustDays(t, r[8]))
		assert.Equal(t, fmt.Sprintf("b%d", id), r[9].String())
	}
	assert.Len(t, seen, 500)

	// The split key need not be read: it is selected, hidden, for paging.
	src2, err := mysql.NewSource(mysql.SourceConfig{DSN: e.dsn, Table: "people", SplitPK: "id", Splits: 3, FetchSize: 50,
		Column: []string{"'x' AS tag", "a"}})
	require.NoError(t, err)
	defer src2.Close()
	dst2 := sink.Collect()
	p2, err := datasync.NewPipeline(src2, dst2, datasync.WithParallelism(2))
	require.NoError(t, err)
	res, err = p2.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(500), res.RecordsWritten)
	as := map[string]bool{}
	for _, r := range dst2.Records() {
		assert.Equal(t, "x", r[0].String())
		as[r[1].String()] = true
	}
	assert.Len(t, as, 500)
}

func mustDays(t *testing.T, v datasync.Value) int64 {
	d, err := v.AsDate()
	require.NoError(t, err)
	return d.Days()
}

func TestExpressionColumnMistakes(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE people (id bigint PRIMARY KEY, a varchar(20))")
	for _, tc := range []struct {
		column []string
		want   string
	}{
		// A plain name that is not a column is still a mistake.
		{[]string{"id", "nmae"}, `column "nmae" is not in table`},
		{[]string{"id", "`nmae`"}, `column "` + "`nmae`" + `" is not in table`},
		// An expression the server refuses is reported with it.
		{[]string{"id", "nosuch(a)"}, "column expressions (nosuch(a))"},
		{[]string{"id", "a +"}, "column expressions (a +)"},
	} {
		src, err := mysql.NewSource(mysql.SourceConfig{DSN: e.dsn, Table: "people", Column: tc.column})
		require.NoError(t, err)
		_, err = src.Schema(context.Background())
		assert.ErrorContains(t, err, tc.want, "%q", tc.column)
		src.Close()
	}
}
