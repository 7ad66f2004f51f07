package mysql_test

import (
	"context"
	"fmt"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	_ "github.com/datasync-go/datasync/connector/stream"
	"github.com/datasync-go/datasync/job"
)

// jdbcURL turns the test DSN into the JDBC URL a DataX job would have.
func jdbcURL(t *testing.T, dsn string) string {
	cfg, err := gomysql.ParseDSN(dsn)
	require.NoError(t, err)
	return fmt.Sprintf("jdbc:mysql://%s/%s?useUnicode=true&characterEncoding=utf8&useSSL=false", cfg.Addr, cfg.DBName)
}

func TestDataXJobWithShardedTables(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE orders_0 (id bigint PRIMARY KEY, note varchar(20))",
		"CREATE TABLE orders_1 (id bigint PRIMARY KEY, note varchar(20))",
		"CREATE TABLE copy (id bigint PRIMARY KEY, note varchar(20))")
	insertRows(e, "orders_0", 300, func(i int) string { return fmt.Sprintf("(%d, 'a%d')", 2*i, i) })
	insertRows(e, "orders_1", 200, func(i int) string { return fmt.Sprintf("(%d, NULL)", 2*i+1) })
	cfg, _ := gomysql.ParseDSN(e.dsn)
	url := jdbcURL(t, e.dsn)

	j, err := job.Parse([]byte(fmt.Sprintf(`{"job": {
		"setting": {"speed": {"channel": 3}},
		"content": [{
			"reader": {"name": "mysqlreader", "parameter": {
				"username": %q, "password": %q, "column": ["id", "note"], "splitPk": "id", "where": "id >= 0",
				"connection": [{"jdbcUrl": [%q], "table": ["orders_0", "orders_1"]}]}},
			"writer": {"name": "mysqlwriter", "parameter": {
				"username": %q, "password": %q, "column": ["*"], "writeMode": "replace",
				"preSql": ["DELETE FROM @table WHERE id < 0"],
				"connection": [{"jdbcUrl": %q, "table": ["copy"]}]}}
		}]}}`, cfg.User, cfg.Passwd, url, cfg.User, cfg.Passwd, url)), nil)
	require.NoError(t, err)
	defer j.Close()
	pipelines, err := j.Pipelines()
	require.NoError(t, err)
	res, err := pipelines[0].Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(500), res.RecordsWritten)
	assert.Equal(t, int64(500), e.count("copy"))
	assert.Equal(t, []int64{200}, e.ints("SELECT COUNT(*) FROM copy WHERE note IS NULL"))
}

func TestDataXJobMistakes(t *testing.T) {
	_, err := job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "mysqlreader", "parameter": {"username": "u", "password": "hunter2x",
			"connection": [{"jdbcUrl": ["jdbc:postgresql://h/db"], "table": ["t"]}], "splitPK": "id"}},
		"writer": {"name": "mysqlwriter", "parameter": {"connection": [{"jdbcUrl": "jdbc:mysql://h/db", "table": ["a", "b"]}]}}
	}]}}`), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `job.content[0].reader.parameter.splitPK: unknown setting "splitPK"; did you mean "splitPk"?`)
	assert.NotContains(t, err.Error(), "hunter2x")

	_, err = job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "mysqlreader", "parameter": {"connection": [{"jdbcUrl": ["jdbc:postgresql://h/db"], "table": ["t"]}]}},
		"writer": {"name": "mysqlwriter", "parameter": {"connection": [{"jdbcUrl": "jdbc:mysql://h/db", "table": ["a", "b"]}]}}
	}]}}`), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `job.content[0].reader.parameter: connection[0].jdbcUrl[0]: "jdbc:postgresql://h/db" is not a jdbc:mysql://URL`)
	assert.Contains(t, err.Error(), `job.content[0].writer.parameter: connection[0].table: give exactly one table, not 2`)
}
