package datax_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/job"
)

// Every MySQL-speaking member copies a table through its reader and its
// writer, against the local MariaDB.
func TestFamilyMySQLMembersRunJobs(t *testing.T) {
	dsn := testdb.MySQL(t)
	db := openDB(t, "mysql", dsn)
	exec(t, db, "CREATE TABLE src (id bigint PRIMARY KEY, name varchar(20), price decimal(10,2))",
		"INSERT INTO src SELECT seq, CONCAT('n', seq), seq / 4 FROM seq_1_to_300")
	cfg, err := gomysql.ParseDSN(dsn)
	require.NoError(t, err)
	jdbc := mysqlJDBCURL(t, dsn)
	for _, tc := range []struct{ reader, writer, extra string }{
		{"polardbreader", "polardbwriter", ""},
		{"drdsreader", "drdswriter", `"writeMode": "replace",`},
		{"adbmysqlreader", "adbmysqlwriter", ""},
		{"hybriddbmysqlreader", "hybriddbmysqlwriter", ""},
		{"oceanbasev10reader", "oceanbasev10writer", `"obWriteMode": "update",`},
	} {
		t.Run(tc.writer, func(t *testing.T) {
			exec(t, db, "DROP TABLE IF EXISTS dst", "CREATE TABLE dst LIKE src")
			written := runJob(t, fmt.Sprintf(`{"job": {"setting": {"speed": {"channel": 2}}, "content": [{
				"reader": {"name": %q, "parameter": {"username": %q, "password": %q, "column": ["*"], "splitPk": "id",
					"connection": [{"jdbcUrl": [%q], "table": ["src"]}]}},
				"writer": {"name": %q, "parameter": {"username": %q, "password": %q, "column": ["id", "name", "price"], %s
					"connection": [{"jdbcUrl": %q, "table": ["dst"]}]}}}]}}`,
				tc.reader, cfg.User, cfg.Passwd, jdbc, tc.writer, cfg.User, cfg.Passwd, tc.extra, jdbc), job.Options{})
			assert.EqualValues(t, 300, written)
			assert.Equal(t, "300 11287.50", queryOne(t, db, "SELECT CONCAT(COUNT(*), ' ', SUM(price)) FROM dst"))
		})
	}
}

// Every PostgreSQL-speaking member copies a table through its reader and
// its writer, against the local PostgreSQL; AnalyticDB for PostgreSQL's
// reader plans one split when no splitPk is given, and its writer takes
// DataX's host, port, database and schema.
func TestFamilyPostgreSQLMembersRunJobs(t *testing.T) {
	dsn := testdb.Postgres(t)
	db := openDB(t, "pgx", dsn)
	exec(t, db, "CREATE TABLE src (id bigint PRIMARY KEY, name text, price numeric(10,2))",
		"INSERT INTO src SELECT i, 'n' || i, i / 4.0 FROM generate_series(1, 300) i")
	jdbc, user := postgresJDBCURL(t, dsn)
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	for _, tc := range []struct {
		reader, writer, readerExtra, target string
		splits                              int
	}{
		{"polardbreader", "polardbwriter", `"splitPk": "id", "splits": 3,`, fmt.Sprintf(`"connection": [{"jdbcUrl": %q, "table": ["dst"]}]`, jdbc), 3},
		{"ppasreader", "ppaswriter", `"splitPk": "id", "splits": 3,`, fmt.Sprintf(`"connection": [{"jdbcUrl": %q, "table": ["dst"]}]`, jdbc), 3},
		{"adbpgreader", "adbpgwriter", "", fmt.Sprintf(`"host": %q, "port": %s, "database": %q, "schema": "public", "table": ["dst"]`,
			u.Hostname(), u.Port(), strings.TrimPrefix(u.Path, "/")), 1},
	} {
		t.Run(tc.writer, func(t *testing.T) {
			exec(t, db, "DROP TABLE IF EXISTS dst", "CREATE TABLE dst (LIKE src INCLUDING ALL)")
			text := fmt.Sprintf(`{"job": {"setting": {"speed": {"channel": 2}}, "content": [{
				"reader": {"name": %q, "parameter": {"username": %q, "column": ["*"], %s
					"connection": [{"jdbcUrl": [%q], "table": ["src"]}]}},
				"writer": {"name": %q, "parameter": {"username": %q, "column": ["id", "name", "price"], %s}}}]}}`,
				tc.reader, user, tc.readerExtra, jdbc, tc.writer, user, tc.target)
			j, err := job.Parse([]byte(text), job.Options{})
			require.NoError(t, err)
			plans, err := j.Plan(context.Background())
			require.NoError(t, err)
			require.NoError(t, j.Close())
			assert.Len(t, plans[0], tc.splits)
			assert.EqualValues(t, 300, runJob(t, text, job.Options{}))
			assert.Equal(t, "300 11287.50", queryOne(t, db, "SELECT count(*) || ' ' || sum(price) FROM dst"))
		})
	}
}

// DataWorks scripts name the family's stepTypes and data sources of their
// types.
func TestDataWorksFamilyStepTypesAndDataSources(t *testing.T) {
	myDSN, pgDSN := testdb.MySQL(t), testdb.Postgres(t)
	mc, err := gomysql.ParseDSN(myDSN)
	require.NoError(t, err)
	pu, err := url.Parse(pgDSN)
	require.NoError(t, err)
	w := newWarehouse(t,
		fmt.Sprintf(`{"name": "orders_drds", "type": "drds", "jdbcUrl": "jdbc:mysql://%s/%s", "username": %q, "password": %q}`, mc.Addr, mc.DBName, mc.User, mc.Passwd),
		fmt.Sprintf(`{"name": "dw_adbpg", "type": "analyticdb_for_postgresql", "host": %q, "port": %s, "database": %q, "properties": {"sslmode": "disable"}, "username": %q}`,
			pu.Hostname(), pu.Port(), strings.TrimPrefix(pu.Path, "/"), pu.User.Username()))
	my := openDB(t, "mysql", myDSN)
	exec(t, my, "CREATE TABLE orders (id bigint PRIMARY KEY, name varchar(40))",
		"INSERT INTO orders SELECT seq, CONCAT('order ', seq) FROM seq_1_to_100")
	pg := openDB(t, "pgx", pgDSN)
	exec(t, pg, "CREATE TABLE orders (id bigint PRIMARY KEY, name text)")
	_, written := w.run(t, `{"type": "job", "version": "2.0",
	 "steps": [
	   {"stepType": "drds", "category": "reader", "name": "Reader",
	    "parameter": {"datasource": "orders_drds", "table": ["orders"], "column": ["id", "name"], "splitPk": "id"}},
	   {"stepType": "analyticdb_for_postgresql", "category": "writer", "name": "Writer",
	    "parameter": {"datasource": "dw_adbpg", "table": "orders", "column": ["id", "name"]}}],
	 "setting": {"errorLimit": {"record": "0"}, "speed": {"concurrent": 2}},
	 "order": {"hops": [{"from": "Reader", "to": "Writer"}]}}`)
	assert.EqualValues(t, 100, written)
	assert.Equal(t, "order 42", queryOne(t, pg, "SELECT name FROM orders WHERE id = 42"))
}

func TestFamilyMistakes(t *testing.T) {
	_, err := job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "drdsreader", "parameter": {"consistent": true, "connection": [{"jdbcUrl": ["jdbc:mysql://h/db"], "table": ["t"]}]}},
		"writer": {"name": "adbpgwriter", "parameter": {"host": "h", "database": "d", "table": ["t"], "loadData": "off"}}
	}]}}`), job.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "reader.parameter.consistent: a PostgreSQL setting; PolarDB-X 1.0 (DRDS) here speaks MySQL")
	assert.Contains(t, err.Error(), "writer.parameter.loadData: a MySQL setting; AnalyticDB for PostgreSQL here speaks PostgreSQL")

	_, err = job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "adbmysqlreader", "parameter": {"connection": [{"jdbcUrl": ["jdbc:postgresql://h/db"], "table": ["t"]}]}},
		"writer": {"name": "streamwriter", "parameter": {}}}]}}`), job.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is not a jdbc:mysql://URL")
}
