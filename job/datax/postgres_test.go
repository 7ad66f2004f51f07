package datax_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/job"
	_ "github.com/datasync-go/datasync/job/builtin"
)

// jdbcURL turns a test DSN (a postgres:// URL) into the JDBC URL a DataX job
// would have, with its user.
func postgresJDBCURL(t *testing.T, dsn string) (string, string) {
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	return fmt.Sprintf("jdbc:postgresql://%s%s?sslmode=disable", u.Host, u.Path), u.User.Username()
}

func TestPostgresJobWithShardedTables(t *testing.T) {
	dsn := testdb.Postgres(t)
	db := openDB(t, "pgx", dsn)
	exec(t, db, `CREATE TABLE "Orders_0" (id bigint PRIMARY KEY, note text)`,
		`CREATE TABLE "Orders_1" (id bigint PRIMARY KEY, note text)`,
		`CREATE TABLE copy (id bigint PRIMARY KEY, note text)`,
		`INSERT INTO "Orders_0" SELECT 2*i, 'a' || i FROM generate_series(0, 299) i`,
		`INSERT INTO "Orders_1" SELECT 2*i+1, NULL FROM generate_series(0, 199) i`)
	url, user := postgresJDBCURL(t, dsn)
	j, err := job.Parse([]byte(fmt.Sprintf(`{"job": {
		"setting": {"speed": {"channel": 3}},
		"content": [{
			"reader": {"name": "postgresqlreader", "parameter": {
				"username": %q, "password": "", "column": ["id", "note"], "splitPk": "id", "where": "id >= 0",
				"connection": [{"jdbcUrl": [%q], "table": ["\"Orders_0\"", "\"Orders_1\""]}]}},
			"writer": {"name": "postgresqlwriter", "parameter": {
				"username": %q, "column": ["*"], "writeMode": "update", "batchSize": 1024,
				"preSql": ["DELETE FROM @table WHERE id < 0"],
				"connection": [{"jdbcUrl": %q, "table": ["copy"]}]}}
		}]}}`, user, url, user, url)), job.Options{})
	require.NoError(t, err)
	defer j.Close()
	pipelines, err := j.Pipelines()
	require.NoError(t, err)
	for range 2 { // update mode: running twice gives the same table
		res, err := pipelines[0].Run(context.Background())
		require.NoError(t, err)
		assert.Equal(t, int64(500), res.RecordsWritten)
	}
	assert.Equal(t, "500", queryOne(t, db, "SELECT count(*) FROM copy"))
	assert.Equal(t, "200", queryOne(t, db, "SELECT count(*) FROM copy WHERE note IS NULL"))
}

func TestPostgresJobMistakes(t *testing.T) {
	_, err := job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "postgresqlreader", "parameter": {"username": "u", "password": "hunter2x", "session": ["set x=1"],
			"connection": [{"jdbcUrl": ["jdbc:mysql://h/db"], "table": ["t"]}]}},
		"writer": {"name": "postgresqlwriter", "parameter": {"connection": [{"jdbcUrl": "jdbc:postgresql://h/db"}]}}
	}]}}`), job.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `job.content[0].reader.parameter.session: not supported by the PostgreSQL reader`)
	assert.Contains(t, err.Error(), `job.content[0].writer.parameter.connection[0].table: missing required setting`)
	assert.NotContains(t, err.Error(), "hunter2x")
}
