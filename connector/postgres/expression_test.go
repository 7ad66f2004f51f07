package postgres

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
)

// DataX's postgresqlreader takes select-list expressions in column: their
// kinds come from the server's result metadata, and splitting still uses
// splitPk.
func TestExpressionColumns(t *testing.T) {
	d := newDB(t)
	d.exec("CREATE TABLE people (id bigint PRIMARY KEY, a text, b text, born timestamptz)",
		"INSERT INTO people SELECT i, 'a' || i, 'b' || i, '2024-01-01 00:00:00+00'::timestamptz + i * interval '1 day' FROM generate_series(1, 500) i")
	src := newSource(t, SourceConfig{DSN: d.dsn, Table: "people", SplitPK: "id", Splits: 4,
		Column: []string{"id", "'const'", "1", "null", "now()", "concat(a, b)", "id + 1", "upper(a) AS shout", "born::date"}})
	schema, err := src.Schema(context.Background())
	require.NoError(t, err)
	var kinds []datasync.Kind
	var names []string
	for _, c := range schema {
		kinds = append(kinds, c.Kind)
		names = append(names, c.Name)
	}
	assert.Equal(t, []datasync.Kind{datasync.KindInt, datasync.KindString, datasync.KindInt, datasync.KindString,
		datasync.KindTimestamp, datasync.KindString, datasync.KindInt, datasync.KindString, datasync.KindDate}, kinds)
	assert.Equal(t, []string{"id", "'const'", "1", "null", "now()", "concat(a, b)", "id + 1", "shout", "born::date"}, names)
	splits, err := src.Plan(context.Background(), datasync.PlanHint{Parallelism: 4})
	require.NoError(t, err)
	assert.Greater(t, len(splits), 1, "split by splitPk")

	dst := sink.Collect()
	res, err := run(t, src, dst, datasync.WithParallelism(3))
	require.NoError(t, err)
	assert.Equal(t, int64(500), res.RecordsWritten)
	for _, r := range dst.Records() {
		id, _ := r[0].AsInt()
		assert.Equal(t, "const", r[1].String())
		assert.Equal(t, datasync.Int(1), r[2])
		assert.True(t, r[3].IsNull())
		assert.Equal(t, datasync.KindTimestamp, r[4].Kind())
		assert.Equal(t, sprintf("a%db%d", id, id), r[5].String())
		assert.Equal(t, datasync.Int(id+1), r[6])
		assert.Equal(t, sprintf("A%d", id), r[7].String())
	}

	// A plain name that is not a column is still a mistake, not an expression.
	_, err = newSource(t, SourceConfig{DSN: d.dsn, Table: "people", Column: []string{"id", "nmae"}}).Schema(context.Background())
	assert.ErrorContains(t, err, "nmae")
	// An expression the server refuses is reported with it.
	_, err = newSource(t, SourceConfig{DSN: d.dsn, Table: "people", Column: []string{"id", "nosuch(a)"}}).Schema(context.Background())
	assert.ErrorContains(t, err, "nosuch")
}
