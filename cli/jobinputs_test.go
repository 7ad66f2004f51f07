package cli

import (
	"database/sql"
	"path/filepath"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/internal/testdb"
)

func TestJobsNameDataSourcesFromTheCatalog(t *testing.T) {
	noDefaultCatalog(t)
	dsn := testdb.MySQL(t)
	db, err := sql.Open("mysql", dsn)
	require.NoError(t, err)
	defer db.Close()
	for _, s := range []string{"CREATE TABLE orders (id INT PRIMARY KEY, note VARCHAR(10))", "INSERT INTO orders VALUES (1, 'a'), (2, 'b')"} {
		_, err := db.Exec(s)
		require.NoError(t, err)
	}
	cfg, err := gomysql.ParseDSN(dsn)
	require.NoError(t, err)
	catalog := filepath.Join(t.TempDir(), "datasources.json")
	r := runIn(t, "datasource", "add", "orders_rds", "--datasources", catalog, "--type", "mysql",
		"--jdbc-url", "jdbc:mysql://"+cfg.Addr+"/"+cfg.DBName, "--username", cfg.User)
	require.Equal(t, ExitOK, r.code, r.stderr)
	path := writeJob(t, `{"job": {"setting": {"speed": {"channel": 1}}, "content": [{
	  "reader": {"name": "mysqlreader", "parameter": {"column": ["id", "note"],
	    "connection": [{"datasource": "orders_rds", "table": ["orders"]}]}},
	  "writer": {"name": "streamwriter", "parameter": {"print": true, "fieldDelimiter": ","}}}]}}`)

	r = runCLI(t, "run", path, "--datasources", catalog)
	require.Equal(t, ExitOK, r.code, r.stderr)
	assert.Equal(t, "1,a\n2,b\n", r.stdout)

	r = runCLI(t, "check", path)
	assert.Equal(t, ExitInvalid, r.code, "the default catalog is empty")
	assert.Contains(t, r.stderr, `job.content[0].reader.parameter.connection[0].datasource: `)
	assert.Contains(t, r.stderr, `no data source named "orders_rds"`)

	t.Setenv("DATASYNC_DATASOURCES", catalog)
	r = runCLI(t, "check", path)
	assert.Equal(t, ExitOK, r.code, "$DATASYNC_DATASOURCES names the catalog: %s", r.stderr)

	missing := filepath.Join(t.TempDir(), "nope.json")
	for _, cmd := range []string{"run", "check", "plan"} {
		r = runCLI(t, cmd, writeJob(t, printJob), "-p", "word=x", "--datasources", missing)
		assert.Equal(t, ExitInvalid, r.code, "%s: a catalog named with --datasources must exist", cmd)
		assert.Contains(t, r.stderr, "--datasources: ")
		assert.Contains(t, r.stderr, missing)
	}
}

func TestRunDateMustBeADate(t *testing.T) {
	for _, cmd := range []string{"run", "check", "plan"} {
		r := runIn(t, cmd, writeJob(t, printJob), "-p", "word=x", "--run-date", "25/11/2026")
		assert.Equal(t, ExitInvalid, r.code)
		assert.Contains(t, r.stderr, `invalid value "25/11/2026" for flag -run-date: want a date such as 2026-11-25`)
	}
}
