package datax_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/connector/oss/osstest"
	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datasource"
)

// The script of issue 12, as DataWorks' code editor writes it.
const issueScript = `{"type": "job", "version": "2.0",
 "steps": [
   {"stepType": "mysql", "category": "reader", "name": "Reader",
    "parameter": {"datasource": "orders_rds", "column": ["id", "name"],
                  "connection": [{"datasource": "orders_rds", "table": ["orders"]}],
                  "where": "", "splitPk": "id", "encoding": "UTF-8"}},
   {"stepType": "postgresql", "category": "writer", "name": "Writer",
    "parameter": {"datasource": "dw_pg", "table": "orders", "column": ["id", "name"],
                  "writeMode": "insert", "preSql": [], "postSql": []}}],
 "setting": {"errorLimit": {"record": "0"},
             "speed": {"throttle": true, "concurrent": 2, "mbps": "12", "dmu": 1}},
 "order": {"hops": [{"from": "Reader", "to": "Writer"}]}}`

// warehouse is a MySQL and a PostgreSQL test database, and a catalog file
// naming them orders_rds and dw_pg, whose passwords are in environment
// variables (the MySQL one checked by the server: a user made for the
// test).
type warehouse struct {
	my, pg      *sql.DB
	catalog     *datasource.Catalog
	catalogPath string
	myPassword  string
	pgPassword  string
}

func newWarehouse(t *testing.T, extra ...string) *warehouse {
	myDSN, pgDSN := testdb.MySQL(t), testdb.Postgres(t)
	w := &warehouse{my: openDB(t, "mysql", myDSN), pg: openDB(t, "pgx", pgDSN)}
	user, password := mysqlUser(t, w.my, myDSN)
	w.myPassword = password
	w.pgPassword = "pg-password-from-env" // the local server trusts; the password still travels
	t.Setenv("DW_TEST_ORDERS_RDS_PASSWORD", w.myPassword)
	t.Setenv("DW_TEST_DW_PG_PASSWORD", w.pgPassword)
	mc, err := gomysql.ParseDSN(myDSN)
	require.NoError(t, err)
	pu, err := url.Parse(pgDSN)
	require.NoError(t, err)
	sources := []string{
		fmt.Sprintf(`{"name": "orders_rds", "type": "mysql", "jdbcUrl": "jdbc:mysql://%s/%s?useSSL=false",
			"username": %q, "password": {"env": "DW_TEST_ORDERS_RDS_PASSWORD"}}`, mc.Addr, mc.DBName, user),
		fmt.Sprintf(`{"name": "dw_pg", "type": "postgresql", "host": %q, "port": %s, "database": %q,
			"properties": {"sslmode": "disable"}, "username": %q, "password": {"env": "DW_TEST_DW_PG_PASSWORD"}}`,
			pu.Hostname(), pu.Port(), strings.TrimPrefix(pu.Path, "/"), pu.User.Username()),
	}
	w.catalogPath = writeCatalog(t, `{"datasources": [`+strings.Join(append(sources, extra...), ",\n")+`]}`)
	w.catalog, err = datasource.Load(w.catalogPath)
	require.NoError(t, err)
	return w
}

// run parses script with the warehouse's catalog and runs every task.
func (w *warehouse) run(t *testing.T, script string) (*job.Job, int64) {
	t.Helper()
	j, err := job.Parse([]byte(script), job.Options{DataSources: w.catalog})
	require.NoError(t, err)
	t.Cleanup(func() { _ = j.Close() })
	assert.Equal(t, job.DataWorks, j.Dialect)
	pipelines, err := j.Pipelines()
	require.NoError(t, err)
	var written int64
	for _, p := range pipelines {
		res, err := p.Run(context.Background())
		require.NoError(t, err)
		written += res.RecordsWritten
	}
	return j, written
}

func TestDataWorksMySQLToPostgreSQL(t *testing.T) {
	w := newWarehouse(t)
	exec(t, w.my, "CREATE TABLE orders (id bigint PRIMARY KEY, name varchar(40)) CHARACTER SET utf8mb4",
		"INSERT INTO orders SELECT seq, CONCAT('order ', seq, ' 😀') FROM seq_1_to_1000")
	exec(t, w.pg, "CREATE TABLE orders (id bigint PRIMARY KEY, name text)")

	j, written := w.run(t, issueScript)
	assert.Equal(t, int64(1000), written)
	assert.Equal(t, "1000", queryOne(t, w.pg, "SELECT count(*) FROM orders"))
	assert.Equal(t, "order 7 😀", queryOne(t, w.pg, "SELECT name FROM orders WHERE id = 7"))
	assert.Equal(t, 2, j.Setting.Speed.Channel)

	// The catalog's secrets appear nowhere: not in the plan, not in
	// errors, and the job's redactor blots them out.
	plans, err := j.Plan(context.Background())
	require.NoError(t, err)
	plan, err := json.Marshal(plans)
	require.NoError(t, err)
	shown := j.Redact(string(plan) + fmt.Sprint(j.Tasks[0].Source, j.Tasks[0].Sink) + "pw=" + w.myPassword + " pg=" + w.pgPassword)
	assert.NotContains(t, shown, w.myPassword)
	assert.NotContains(t, shown, w.pgPassword)
	assert.Contains(t, shown, "pw="+job.Mask)

	exec(t, w.pg, "DROP TABLE orders")
	j, err = job.Parse([]byte(issueScript), job.Options{DataSources: w.catalog})
	require.NoError(t, err)
	defer j.Close()
	pipelines, err := j.Pipelines()
	require.NoError(t, err)
	_, err = pipelines[0].Run(context.Background())
	require.Error(t, err, "the target table is gone")
	text := j.Redact(err.Error())
	assert.NotContains(t, text, w.myPassword)
	assert.NotContains(t, text, w.pgPassword)
}

func TestDataWorksPostgreSQLToMySQL(t *testing.T) {
	w := newWarehouse(t)
	exec(t, w.pg, "CREATE TABLE orders (id bigint PRIMARY KEY, name text, amount numeric(12,2))",
		"INSERT INTO orders SELECT i, 'n' || i, i * 1.5 FROM generate_series(1, 500) i")
	exec(t, w.my, "CREATE TABLE orders_copy (id bigint PRIMARY KEY, name varchar(40), amount decimal(12,2))")
	_, written := w.run(t, `{"type": "job", "version": "2.0",
	 "steps": [
	   {"stepType": "postgresql", "category": "reader", "name": "pg",
	    "parameter": {"datasource": "dw_pg", "column": ["id", "name", "amount"],
	                  "connection": [{"datasource": "dw_pg", "table": ["orders"]}], "where": "id <= 400", "splitPk": "id"}},
	   {"stepType": "mysql", "category": "writer", "name": "my",
	    "parameter": {"datasource": "orders_rds", "table": "orders_copy", "column": ["id", "name", "amount"],
	                  "writeMode": "replace", "preSql": ["DELETE FROM orders_copy"], "postSql": []}}],
	 "setting": {"errorLimit": {"record": 0}, "speed": {"throttle": false, "concurrent": 3, "mbps": "1"}},
	 "order": {"hops": [{"from": "pg", "to": "my"}]}}`)
	assert.Equal(t, int64(400), written)
	assert.Equal(t, "400", queryOne(t, w.my, "SELECT count(*) FROM orders_copy"))
	assert.Equal(t, "600.00", queryOne(t, w.my, "SELECT amount FROM orders_copy WHERE id = 400"))
}

func TestDataWorksOSSToMySQL(t *testing.T) {
	srv := osstest.NewServer(osstest.WithBuckets("lake"))
	defer srv.Close()
	t.Setenv("DW_TEST_OSS_ID", srv.AccessKeyID)
	t.Setenv("DW_TEST_OSS_KEY", srv.AccessKeySecret)
	w := newWarehouse(t, fmt.Sprintf(`{"name": "lake", "type": "oss", "endpoint": %q, "bucket": "lake",
		"accessId": {"env": "DW_TEST_OSS_ID"}, "accessKey": {"env": "DW_TEST_OSS_KEY"}}`, srv.Endpoint))
	srv.PutObject("lake", "in/20261123/orders.csv", []byte("id,name\n1,ada\n2,\"grace, h.\"\n3,edsger\n"))
	exec(t, w.my, "CREATE TABLE orders (id bigint PRIMARY KEY, name varchar(40))")

	j, err := job.Parse([]byte(`{"type": "job", "version": "2.0",
	 "steps": [
	   {"stepType": "oss", "category": "reader", "name": "Reader",
	    "parameter": {"datasource": "lake", "object": ["in/${bizdate}/orders.csv"], "fileFormat": "csv",
	                  "fieldDelimiter": ",", "encoding": "UTF-8", "skipHeader": "true",
	                  "column": [{"index": 0, "type": "long"}, {"index": 1, "type": "string"}]}},
	   {"stepType": "mysql", "category": "writer", "name": "Writer",
	    "parameter": {"datasource": "orders_rds", "table": "orders", "column": ["id", "name"], "writeMode": "insert"}}],
	 "setting": {"errorLimit": {"record": "0"}, "speed": {"concurrent": 1}},
	 "order": {"hops": [{"from": "Reader", "to": "Writer"}]}}`), job.Options{DataSources: w.catalog, RunDate: mustDate(t, "2026-11-24")})
	require.NoError(t, err)
	defer j.Close()
	pipelines, err := j.Pipelines()
	require.NoError(t, err)
	res, err := pipelines[0].Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(3), res.RecordsWritten)
	assert.Equal(t, "grace, h.", queryOne(t, w.my, "SELECT name FROM orders WHERE id = 2"))
	assert.Equal(t, "x "+job.Mask, j.Redact("x "+srv.AccessKeySecret), "the access key from the catalog is redacted")
}

func TestDataWorksScriptDataSourceMistakes(t *testing.T) {
	path := writeCatalog(t, `{"datasources": [
		{"name": "orders_rds", "type": "mysql", "jdbcUrl": "jdbc:mysql://h/db", "username": "u", "password": "inline-pw-123"},
		{"name": "dw_pg", "type": "postgresql", "host": "h", "database": "dw"}]}`)
	cat, err := datasource.Load(path)
	require.NoError(t, err)
	_, err = job.Parse([]byte(strings.NewReplacer(
		`"connection": [{"datasource": "orders_rds", "table": ["orders"]}]`, `"connection": [{"datasource": "orders_rdss", "tabel": ["orders"]}]`,
		`"datasource": "dw_pg", "table": "orders"`, `"datasource": "orders_rds", "table": "orders"`,
	).Replace(issueScript)), job.Options{DataSources: cat})
	require.Error(t, err)
	for _, want := range []string{
		`steps[0].parameter.connection[0].tabel: unknown setting "tabel"; did you mean "table"?`,
		`steps[1].parameter.datasource: data source orders_rds is mysql, the postgresqlwriter needs postgresql`,
	} {
		assert.Contains(t, err.Error(), want)
	}
	assert.NotContains(t, err.Error(), "inline-pw-123")

	_, err = job.Parse([]byte(strings.Replace(issueScript, `{"datasource": "orders_rds", "table": ["orders"]}`, `{"datasource": "orders_rdss", "table": ["orders"]}`, 1)), job.Options{DataSources: cat})
	assert.ErrorContains(t, err, `steps[0].parameter.connection[0].datasource: no data source named "orders_rdss" in catalog `+path+`; did you mean "orders_rds"?`)
}
