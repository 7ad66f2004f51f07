package datax_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datasource"
)

// mysqlUser creates a MySQL user with a random password and every
// privilege on the database of dsn, dropped when the test ends, so that a
// password given through a data source is really checked.
func mysqlUser(t *testing.T, db *sql.DB, dsn string) (user, password string) {
	t.Helper()
	cfg, err := gomysql.ParseDSN(dsn)
	require.NoError(t, err)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	user, password = "ds_"+hex.EncodeToString(b), "pw-"+hex.EncodeToString(b)+"-secret"
	exec(t, db, fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY '%s'", user, password),
		fmt.Sprintf("GRANT ALL ON `%s`.* TO '%s'@'%%'", cfg.DBName, user))
	t.Cleanup(func() { _, _ = db.Exec(fmt.Sprintf("DROP USER '%s'@'%%'", user)) })
	return user, password
}

// writeCatalog writes a catalog file and returns its path.
func writeCatalog(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "datasources.json")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

func TestDataXJobNamesDataSources(t *testing.T) {
	dsn := testdb.MySQL(t)
	db := openDB(t, "mysql", dsn)
	exec(t, db, "CREATE TABLE orders (id bigint PRIMARY KEY, note varchar(20))",
		"CREATE TABLE copy (id bigint PRIMARY KEY, note varchar(20))",
		"INSERT INTO orders SELECT seq, CONCAT('n', seq) FROM seq_1_to_100")
	user, password := mysqlUser(t, db, dsn)
	cfg, _ := gomysql.ParseDSN(dsn)
	host, port, _ := splitAddr(cfg.Addr)
	path := writeCatalog(t, fmt.Sprintf(`{"datasources": [
		{"name": "orders_rds", "type": "mysql", "host": %q, "port": %s, "database": %q,
		 "properties": {"useSSL": "false"}, "username": %q, "password": {"env": "DS_TEST_ORDERS_PW"}}]}`,
		host, port, cfg.DBName, user))
	t.Setenv("DS_TEST_ORDERS_PW", password)
	cat, err := datasource.Load(path)
	require.NoError(t, err)

	// The connection entry names the reader's data source; the writer's is
	// named at the top level beside "table", as DataWorks writes it.
	j, err := job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "mysqlreader", "parameter": {"column": ["id", "note"], "splitPk": "id",
			"connection": [{"datasource": "orders_rds", "table": ["orders"]}]}},
		"writer": {"name": "mysqlwriter", "parameter": {"datasource": "orders_rds", "table": "copy",
			"column": ["id", "note"]}}}]}}`), job.Options{DataSources: cat})
	require.NoError(t, err)
	defer j.Close()
	pipelines, err := j.Pipelines()
	require.NoError(t, err)
	res, err := pipelines[0].Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(100), res.RecordsWritten)
	assert.Equal(t, "100", queryOne(t, db, "SELECT count(*) FROM copy"))
	assert.Equal(t, "a "+job.Mask+" b", j.Redact("a "+password+" b"), "the catalog's password is redacted")

	// Without the variable, the job names the data source and the variable.
	require.NoError(t, os.Unsetenv("DS_TEST_ORDERS_PW"))
	_, err = job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "mysqlreader", "parameter": {"connection": [{"datasource": "orders_rds", "table": ["orders"]}]}},
		"writer": {"name": "streamwriter", "parameter": {}}}]}}`), job.Options{DataSources: cat})
	assert.ErrorContains(t, err, `job.content[0].reader.parameter.connection[0].datasource: data source "orders_rds": password: environment variable DS_TEST_ORDERS_PW is not set`)
}

func splitAddr(addr string) (host, port string, ok bool) {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			return addr[:i], addr[i+1:], true
		}
	}
	return addr, "3306", false
}

func TestDataSourceMistakes(t *testing.T) {
	path := writeCatalog(t, `{"datasources": [
		{"name": "orders_rds", "type": "mysql", "jdbcUrl": "jdbc:mysql://h/db", "username": "u", "password": "inline-pw-123"},
		{"name": "dw_pg", "type": "postgresql", "host": "h", "database": "dw"},
		{"name": "lake", "type": "oss", "endpoint": "http://e", "accessId": "id", "accessKey": "inline-key-123"}]}`)
	cat, err := datasource.Load(path)
	require.NoError(t, err)
	_, err = job.Parse([]byte(`{"job": {"content": [
		{"reader": {"name": "mysqlreader", "parameter": {"connection": [{"datasource": "orders_rsd", "table": ["t"]}]}},
		 "writer": {"name": "postgresqlwriter", "parameter": {"datasource": "orders_rds", "table": "t"}}},
		{"reader": {"name": "postgresqlreader", "parameter": {"datasource": "dw_pg", "password": "x",
			"connection": [{"jdbcUrl": ["jdbc:postgresql://h/db"], "table": ["t"]}]}},
		 "writer": {"name": "osswriter", "parameter": {"datasource": "lake", "endpoint": "http://other", "object": "o", "fileFormat": "csv"}}},
		{"reader": {"name": "mysqlreader", "parameter": {"datasource": "orders_rds"}},
		 "writer": {"name": "mysqlwriter", "parameter": {"datasource": "orders_rds"}}}
	]}}`), job.Options{DataSources: cat})
	require.Error(t, err)
	for _, want := range []string{
		`job.content[0].reader.parameter.connection[0].datasource: no data source named "orders_rsd" in catalog ` + path + `; did you mean "orders_rds"?`,
		`job.content[0].writer.parameter.datasource: data source orders_rds is mysql, the postgresqlwriter needs postgresql`,
		`job.content[1].reader.parameter.connection[0].jdbcUrl: give jdbcUrl or datasource ("dw_pg"), not both`,
		`job.content[1].writer.parameter.endpoint: comes from data source "lake"; remove it`,
		`job.content[2].reader.parameter.table: missing: give the tables to read`,
		`job.content[2].writer.parameter.table: missing required setting`,
	} {
		assert.Contains(t, err.Error(), want)
	}
	assert.NotContains(t, err.Error(), "inline-pw-123")
	assert.NotContains(t, err.Error(), "inline-key-123")

	_, err = job.Parse([]byte(`{"job": {"content": [
		{"reader": {"name": "mysqlreader", "parameter": {"datasource": "orders_rds", "username": "other", "table": ["t"]}},
		 "writer": {"name": "streamwriter", "parameter": {}}}]}}`), job.Options{DataSources: cat})
	assert.ErrorContains(t, err, `job.content[0].reader.parameter.username: comes from data source "orders_rds"; remove it`)
}

// With no catalog given, a job naming a data source reads the one at
// DATASYNC_DATASOURCES.
func TestDefaultCatalog(t *testing.T) {
	t.Setenv("DS_TEST_KEY", "k")
	t.Setenv(datasource.EnvPath, writeCatalog(t, `{"datasources": [{"name": "lake", "type": "oss", "endpoint": "http://127.0.0.1:1", "bucket": "lake", "accessId": "id", "accessKey": {"env": "DS_TEST_KEY"}}]}`))
	j, err := job.Parse([]byte(`{"job": {"content": [
		{"reader": {"name": "ossreader", "parameter": {"datasource": "lake", "object": ["x.csv"], "fileFormat": "csv", "column": ["*"]}},
		 "writer": {"name": "streamwriter", "parameter": {}}}]}}`), job.Options{})
	require.NoError(t, err)
	j.Close()

	t.Setenv(datasource.EnvPath, filepath.Join(t.TempDir(), "missing.json"))
	_, err = job.Parse([]byte(`{"job": {"content": [
		{"reader": {"name": "ossreader", "parameter": {"datasource": "lake", "object": ["x.csv"]}},
		 "writer": {"name": "streamwriter", "parameter": {}}}]}}`), job.Options{})
	assert.ErrorContains(t, err, `job.content[0].reader.parameter.datasource: data source "lake": data source catalog `)
}
