package datax_test

import (
	"context"
	"fmt"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/job"
	_ "github.com/datasync-go/datasync/job/builtin"
)

// jdbcURL turns the test DSN into the JDBC URL a DataX job would have.
func mysqlJDBCURL(t *testing.T, dsn string) string {
	cfg, err := gomysql.ParseDSN(dsn)
	require.NoError(t, err)
	return fmt.Sprintf("jdbc:mysql://%s/%s?useUnicode=true&characterEncoding=utf8&useSSL=false", cfg.Addr, cfg.DBName)
}

func TestMySQLJobWithShardedTables(t *testing.T) {
	dsn := testdb.MySQL(t)
	db := openDB(t, "mysql", dsn)
	exec(t, db, "CREATE TABLE orders_0 (id bigint PRIMARY KEY, note varchar(20))",
		"CREATE TABLE orders_1 (id bigint PRIMARY KEY, note varchar(20))",
		"CREATE TABLE copy (id bigint PRIMARY KEY, note varchar(20))")
	exec(t, db, "INSERT INTO orders_0 SELECT 2*seq, CONCAT('a', seq) FROM seq_0_to_299",
		"INSERT INTO orders_1 SELECT 2*seq+1, NULL FROM seq_0_to_199")
	cfg, _ := gomysql.ParseDSN(dsn)
	url := mysqlJDBCURL(t, dsn)

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
		}]}}`, cfg.User, cfg.Passwd, url, cfg.User, cfg.Passwd, url)), job.Options{})
	require.NoError(t, err)
	defer j.Close()
	pipelines, err := j.Pipelines()
	require.NoError(t, err)
	res, err := pipelines[0].Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(500), res.RecordsWritten)
	assert.Equal(t, "500", queryOne(t, db, "SELECT COUNT(*) FROM copy"))
	assert.Equal(t, "200", queryOne(t, db, "SELECT COUNT(*) FROM copy WHERE note IS NULL"))
}

func TestMySQLJobMistakes(t *testing.T) {
	_, err := job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "mysqlreader", "parameter": {"username": "u", "password": "hunter2x",
			"connection": [{"jdbcUrl": ["jdbc:postgresql://h/db"], "table": ["t"]}], "splitPK": "id"}},
		"writer": {"name": "mysqlwriter", "parameter": {"connection": [{"jdbcUrl": "jdbc:mysql://h/db", "table": ["a", "b"]}]}}
	}]}}`), job.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `job.content[0].reader.parameter.splitPK: unknown setting "splitPK"; did you mean "splitPk"?`)
	assert.NotContains(t, err.Error(), "hunter2x")

	_, err = job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "mysqlreader", "parameter": {"connection": [{"jdbcUrl": ["jdbc:postgresql://h/db"], "table": ["t"]}]}},
		"writer": {"name": "mysqlwriter", "parameter": {"connection": [{"jdbcUrl": "jdbc:mysql://h/db", "table": ["a", "b"]}]}}
	}]}}`), job.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `job.content[0].reader.parameter.connection[0].jdbcUrl[0]: "jdbc:postgresql://h/db" is not a jdbc:mysql://URL`)
	assert.Contains(t, err.Error(), `job.content[0].writer.parameter.connection[0].table: give exactly one table, not 2`)
}
