package mysql_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
)

func TestIntrospectListsDatabasesTablesAndColumns(t *testing.T) {
	e := newEnv(t)
	e.exec(
		"CREATE TABLE orders (id BIGINT PRIMARY KEY, amount DECIMAL(10,2) NOT NULL, note VARCHAR(40), placed DATETIME(3))",
		"CREATE TABLE `Mixed Case` (k INT)",
		"CREATE VIEW big_orders AS SELECT id FROM orders WHERE amount > 100",
	)
	src := e.source(mysql.SourceConfig{QuerySQL: "SELECT 1"})
	var in datasync.Introspector = src

	var db string
	require.NoError(t, e.db.QueryRow("SELECT DATABASE()").Scan(&db))
	schemas, err := in.Schemas(ctx(t))
	require.NoError(t, err)
	assert.Contains(t, schemas, db)
	assert.NotContains(t, schemas, "information_schema")
	assert.NotContains(t, schemas, "mysql")

	for _, schema := range []string{"", db} {
		tables, err := in.Tables(ctx(t), schema)
		require.NoError(t, err)
		require.Len(t, tables, 3)
		assert.Equal(t, "Mixed Case", tables[0].Name)
		assert.Equal(t, datasync.TableInfo{Schema: db, Name: "big_orders", Type: datasync.TableTypeView}, tables[1])
		assert.Equal(t, "orders", tables[2].Name)
		assert.Equal(t, datasync.TableTypeTable, tables[2].Type)
	}

	cols, err := in.Columns(ctx(t), db, "orders")
	require.NoError(t, err)
	require.Equal(t, []string{"id", "amount", "note", "placed"}, cols.Names())
	assert.Equal(t, datasync.KindInt, cols[0].Kind)
	assert.Equal(t, 1, cols[0].Key)
	assert.False(t, cols[0].Nullable)
	assert.Equal(t, datasync.KindDecimal, cols[1].Kind)
	assert.Equal(t, "decimal(10,2)", cols[1].Native)
	assert.Equal(t, datasync.KindString, cols[2].Kind)
	assert.True(t, cols[2].Nullable)
	assert.Equal(t, datasync.KindTimestamp, cols[3].Kind)

	cols, err = in.Columns(ctx(t), "", "Mixed Case")
	require.NoError(t, err)
	assert.Equal(t, []string{"k"}, cols.Names())

	_, err = in.Columns(ctx(t), db, "no_such_table")
	require.ErrorContains(t, err, "no_such_table")
	tables, err := in.Tables(ctx(t), "no_such_database_here")
	require.NoError(t, err)
	assert.Empty(t, tables)
}
