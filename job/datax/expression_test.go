package datax_test

import (
	"fmt"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/job"
)

// DataX's mysqlreader doc: column entries may be expressions; here a MySQL
// table to PostgreSQL, split by splitPk, checked row by row.
func TestExpressionColumnsJobMySQLToPostgres(t *testing.T) {
	myDSN := testdb.MySQL(t)
	my := openDB(t, "mysql", myDSN)
	exec(t, my, "CREATE TABLE src (id bigint PRIMARY KEY, a varchar(20), b varchar(20))",
		"INSERT INTO src SELECT seq, CONCAT('a', seq), CONCAT('b', seq) FROM seq_1_to_300")
	pgDSN := testdb.Postgres(t)
	pg := openDB(t, "pgx", pgDSN)
	exec(t, pg, "CREATE TABLE dst (id bigint PRIMARY KEY, c text, one bigint, nothing text, ab text, next bigint, at timestamp)")
	cfg, err := gomysql.ParseDSN(myDSN)
	require.NoError(t, err)
	pgURL, pgUser := postgresJDBCURL(t, pgDSN)
	n := runJob(t, fmt.Sprintf(`{"job": {
		"setting": {"speed": {"channel": 3}},
		"content": [{
			"reader": {"name": "mysqlreader", "parameter": {
				"username": %q, "password": %q, "splitPk": "id",
				"column": ["id", "'const'", "1", "null", "concat(a, b)", "id + 1", "now()"],
				"connection": [{"jdbcUrl": [%q], "table": ["src"]}]}},
			"writer": {"name": "postgresqlwriter", "parameter": {
				"username": %q, "column": ["id", "c", "one", "nothing", "ab", "next", "at"],
				"connection": [{"jdbcUrl": %q, "table": ["dst"]}]}}
		}]}}`, cfg.User, cfg.Passwd, mysqlJDBCURL(t, myDSN), pgUser, pgURL), job.Options{})
	assert.Equal(t, int64(300), n)
	assert.Equal(t, "300", queryOne(t, pg, `SELECT count(*) FROM dst WHERE c = 'const' AND one = 1 AND nothing IS NULL
		AND ab = 'a' || id || 'b' || id AND next = id + 1 AND at > '2020-01-01'`))
}

// The same with postgresqlreader, PostgreSQL to MySQL.
func TestExpressionColumnsJobPostgresToMySQL(t *testing.T) {
	pgDSN := testdb.Postgres(t)
	pg := openDB(t, "pgx", pgDSN)
	exec(t, pg, "CREATE TABLE src (id bigint PRIMARY KEY, a text, b text)",
		"INSERT INTO src SELECT i, 'a' || i, 'b' || i FROM generate_series(1, 300) i")
	myDSN := testdb.MySQL(t)
	my := openDB(t, "mysql", myDSN)
	exec(t, my, "CREATE TABLE dst (id bigint PRIMARY KEY, c varchar(10), one bigint, nothing varchar(10), ab varchar(20), next bigint, at datetime(6))")
	cfg, err := gomysql.ParseDSN(myDSN)
	require.NoError(t, err)
	pgURL, pgUser := postgresJDBCURL(t, pgDSN)
	n := runJob(t, fmt.Sprintf(`{"job": {
		"setting": {"speed": {"channel": 3}},
		"content": [{
			"reader": {"name": "postgresqlreader", "parameter": {
				"username": %q, "splitPk": "id",
				"column": ["id", "'const'", "1", "null", "concat(a, b)", "id + 1", "now()"],
				"connection": [{"jdbcUrl": [%q], "table": ["src"]}]}},
			"writer": {"name": "mysqlwriter", "parameter": {
				"username": %q, "password": %q, "column": ["id", "c", "one", "nothing", "ab", "next", "at"],
				"connection": [{"jdbcUrl": %q, "table": ["dst"]}]}}
		}]}}`, pgUser, pgURL, cfg.User, cfg.Passwd, mysqlJDBCURL(t, myDSN)), job.Options{})
	assert.Equal(t, int64(300), n)
	assert.Equal(t, "300", queryOne(t, my, `SELECT count(*) FROM dst WHERE c = 'const' AND one = 1 AND nothing IS NULL
		AND ab = CONCAT('a', id, 'b', id) AND next = id + 1 AND at > '2020-01-01'`))
}
