package postgres

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
)

func TestIntrospectListsSchemasTablesAndColumns(t *testing.T) {
	db := newDB(t)
	db.exec(
		`CREATE SCHEMA sales`,
		`CREATE TABLE sales.orders (id bigint PRIMARY KEY, amount numeric(10,2) NOT NULL, note varchar(40), placed timestamptz)`,
		`CREATE TABLE sales."Mixed Case" (k int)`,
		`CREATE VIEW sales.big_orders AS SELECT id FROM sales.orders WHERE amount > 100`,
		`CREATE TABLE public.plain (v text)`,
		`CREATE TABLE sales.parted (id int) PARTITION BY RANGE (id)`,
		`CREATE TABLE sales.parted_1 PARTITION OF sales.parted FOR VALUES FROM (0) TO (10)`,
	)
	src := newSource(t, SourceConfig{DSN: db.dsn, QuerySQL: "SELECT 1"})
	var in datasync.Introspector = src
	ctx := context.Background()

	schemas, err := in.Schemas(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"public", "sales"}, schemas)

	tables, err := in.Tables(ctx, "sales")
	require.NoError(t, err)
	var names []string
	for _, tb := range tables {
		names = append(names, tb.Name)
		assert.Equal(t, "sales", tb.Schema)
	}
	assert.Equal(t, []string{"Mixed Case", "big_orders", "orders", "parted"}, names)
	assert.Equal(t, datasync.TableTypeView, tables[1].Type)
	assert.Equal(t, datasync.TableTypeTable, tables[2].Type)

	tables, err = in.Tables(ctx, "")
	require.NoError(t, err)
	require.Len(t, tables, 1)
	assert.Equal(t, datasync.TableInfo{Schema: "public", Name: "plain", Type: datasync.TableTypeTable}, tables[0])

	cols, err := in.Columns(ctx, "sales", "orders")
	require.NoError(t, err)
	require.Equal(t, []string{"id", "amount", "note", "placed"}, cols.Names())
	assert.Equal(t, datasync.KindInt, cols[0].Kind)
	assert.Equal(t, 1, cols[0].Key)
	assert.Equal(t, datasync.KindDecimal, cols[1].Kind)
	assert.Equal(t, datasync.KindString, cols[2].Kind)
	assert.Equal(t, datasync.KindTimestamp, cols[3].Kind)
	assert.NotEmpty(t, cols[3].Native)

	cols, err = in.Columns(ctx, "sales", "Mixed Case")
	require.NoError(t, err)
	assert.Equal(t, []string{"k"}, cols.Names())

	_, err = in.Columns(ctx, "sales", "no_such_table")
	require.ErrorContains(t, err, "no_such_table")
}
