package jobs_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/connector/oss/osstest"
	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/job/datasource"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "datasync-jobs")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "datasync")
	if out, err := exec.Command("go", "build", "-o", binary, "../../cmd/datasync").CombinedOutput(); err != nil {
		panic("build datasync: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// databases holds a MySQL and a PostgreSQL test database, each with an
// orders table, and the job variables that reach them.
type databases struct {
	my   *sql.DB
	pg   *pgx.Conn
	vars []string

	myDSN, pgDSN string
}

// form is one shape of an example: the DataX job (name.json), whose
// connections are -p variables, or the DataWorks script
// (name.dataworks.json), whose connections are data sources.
type form struct {
	name   string
	suffix string
}

var forms = []form{{"datax", ".json"}, {"dataworks", ".dataworks.json"}}

// args returns the command-line arguments that reach the databases (and
// the OSS server, if any) in form f. For the DataWorks form they are a
// catalog file, found through DATASYNC_DATASOURCES, naming shop_mysql,
// warehouse_pg and lake, with passwords in environment variables (MySQL's
// checked: a user made for the test).
func (d *databases) args(t *testing.T, f form, srv *osstest.Server) []string {
	if f.name == "datax" {
		args := slices.Clone(d.vars)
		if srv != nil {
			args = append(args, "-p", "oss_endpoint="+srv.Endpoint, "-p", "oss_access_id="+srv.AccessKeyID,
				"-p", "oss_access_key="+srv.AccessKeySecret, "-p", "oss_bucket=lake")
		}
		return args
	}
	mc, err := gomysql.ParseDSN(d.myDSN)
	require.NoError(t, err)
	user, password := "ex_"+strings.ReplaceAll(mc.DBName, "dstest_", ""), "pw-"+mc.DBName
	_, err = d.my.Exec(fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY '%s'", user, password))
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = d.my.Exec(fmt.Sprintf("DROP USER '%s'@'%%'", user)) })
	_, err = d.my.Exec(fmt.Sprintf("GRANT ALL ON `%s`.* TO '%s'@'%%'", mc.DBName, user))
	require.NoError(t, err)
	pu, err := url.Parse(d.pgDSN)
	require.NoError(t, err)
	t.Setenv("EXAMPLE_SHOP_MYSQL_PASSWORD", password)
	t.Setenv("EXAMPLE_WAREHOUSE_PG_PASSWORD", "trusted-anyway")
	sources := []string{
		fmt.Sprintf(`{"name": "shop_mysql", "type": "mysql", "jdbcUrl": "jdbc:mysql://%s/%s?useSSL=false",
			"username": %q, "password": {"env": "EXAMPLE_SHOP_MYSQL_PASSWORD"}}`, mc.Addr, mc.DBName, user),
		fmt.Sprintf(`{"name": "warehouse_pg", "type": "postgresql", "host": %q, "port": %s, "database": %q,
			"properties": {"sslmode": "disable"}, "username": %q, "password": {"env": "EXAMPLE_WAREHOUSE_PG_PASSWORD"}}`,
			pu.Hostname(), pu.Port(), strings.TrimPrefix(pu.Path, "/"), pu.User.Username()),
	}
	if srv != nil {
		t.Setenv("EXAMPLE_OSS_ID", srv.AccessKeyID)
		t.Setenv("EXAMPLE_OSS_KEY", srv.AccessKeySecret)
		sources = append(sources, fmt.Sprintf(`{"name": "lake", "type": "oss", "endpoint": %q, "bucket": "lake",
			"accessId": {"env": "EXAMPLE_OSS_ID"}, "accessKey": {"env": "EXAMPLE_OSS_KEY"}}`, srv.Endpoint))
	}
	catalog := filepath.Join(t.TempDir(), "datasources.json")
	require.NoError(t, os.WriteFile(catalog, []byte(`{"datasources": [`+strings.Join(sources, ",")+`]}`), 0o600))
	t.Setenv("DATASYNC_DATASOURCES", catalog)
	return nil
}

func newDatabases(t *testing.T) *databases {
	myDSN, pgDSN := testdb.MySQL(t), testdb.Postgres(t)
	my, err := sql.Open("mysql", myDSN)
	require.NoError(t, err)
	t.Cleanup(func() { my.Close() })
	_, err = my.Exec(`CREATE TABLE orders (id bigint PRIMARY KEY, customer varchar(40), amount decimal(12,2),
		placed_at datetime(6), note text) CHARACTER SET utf8mb4`)
	require.NoError(t, err)
	pg, err := pgx.Connect(context.Background(), pgDSN)
	require.NoError(t, err)
	t.Cleanup(func() { pg.Close(context.Background()) })
	_, err = pg.Exec(context.Background(), `CREATE TABLE orders (id bigint PRIMARY KEY, customer varchar(40),
		amount numeric(12,2), placed_at timestamp(6), note text)`)
	require.NoError(t, err)

	mc, err := gomysql.ParseDSN(myDSN)
	require.NoError(t, err)
	pu, err := url.Parse(pgDSN)
	require.NoError(t, err)
	pgPassword, _ := pu.User.Password()
	return &databases{my: my, pg: pg, myDSN: myDSN, pgDSN: pgDSN, vars: []string{
		"-p", fmt.Sprintf("mysql_jdbc=jdbc:mysql://%s/%s?useSSL=false", mc.Addr, mc.DBName),
		"-p", "mysql_user=" + mc.User, "-p", "mysql_password=" + mc.Passwd,
		"-p", fmt.Sprintf("pg_jdbc=jdbc:postgresql://%s%s?sslmode=disable", pu.Host, pu.Path),
		"-p", "pg_user=" + pu.User.Username(), "-p", "pg_password=" + pgPassword,
	}}
}

func run(t *testing.T, jobFile string, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"run", jobFile}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	check := exec.Command(binary, append([]string{"check", jobFile}, args...)...)
	out, err := check.CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), "ok,")
	return stderr.String()
}

func (d *databases) myRows(t *testing.T) []string {
	rows, err := d.my.Query(`SELECT CONCAT_WS('|', id, IFNULL(customer, 'NULL'), IFNULL(amount, 'NULL'),
		IFNULL(placed_at, 'NULL'), IFNULL(note, 'NULL')) FROM orders ORDER BY id`)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		out = append(out, s)
	}
	return out
}

func TestMySQLToPostgres(t *testing.T) {
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) { testMySQLToPostgres(t, f) })
	}
}

func testMySQLToPostgres(t *testing.T, f form) {
	d := newDatabases(t)
	_, err := d.my.Exec(`INSERT INTO orders VALUES
		(1, 'ada', 12.50, '2026-11-24 10:00:00.123456', NULL),
		(2, 'grace', 0.00, '2026-11-24 11:00:00', 'first order 😀'),
		(3, NULL, 7.25, NULL, ''),
		(4, 'edsger', -1.00, '2026-11-24 12:00:00', 'refund: filtered out by where')`)
	require.NoError(t, err)
	args := d.args(t, f, nil)
	report := run(t, "mysql-to-postgres"+f.suffix, args...)
	assert.Regexp(t, `Records written\s+:\s+3\n`, report)
	if password := os.Getenv("EXAMPLE_SHOP_MYSQL_PASSWORD"); f.name == "dataworks" {
		plan, err := exec.Command(binary, append([]string{"plan", "mysql-to-postgres" + f.suffix}, args...)...).CombinedOutput()
		require.NoError(t, err, string(plan))
		assert.Contains(t, string(plan), `"id"`, "a plan of splits")
		assert.NotContains(t, string(plan)+report, password, "the catalog's password is never printed")
	}

	rows, err := d.pg.Query(context.Background(), `SELECT concat_ws('|', id, coalesce(customer, 'NULL'), amount,
		coalesce(placed_at::text, 'NULL'), coalesce(note, 'NULL')) FROM orders ORDER BY id`)
	require.NoError(t, err)
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	assert.Equal(t, []string{
		"1|ada|12.50|2026-11-24 10:00:00.123456|NULL",
		"2|grace|0.00|2026-11-24 11:00:00|first order 😀",
		"3|NULL|7.25|NULL|",
	}, got)
}

func TestPostgresToOSS(t *testing.T) {
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) { testPostgresToOSS(t, f) })
	}
}

func testPostgresToOSS(t *testing.T, f form) {
	d := newDatabases(t)
	_, err := d.pg.Exec(context.Background(), `INSERT INTO orders SELECT i, 'c' || i, i * 1.25, '2026-01-01'::timestamp + i * interval '1 minute',
		CASE WHEN i % 10 = 0 THEN NULL ELSE 'note, with "quotes"' END FROM generate_series(1, 1000) i`)
	require.NoError(t, err)
	srv := osstest.NewServer(osstest.WithBuckets("lake"))
	defer srv.Close()
	args := append(d.args(t, f, srv), "-p", "bizdate=20261124")
	report := run(t, "postgres-to-oss"+f.suffix, args...)
	assert.Regexp(t, `Records written\s+:\s+1,000\n`, report)
	assert.NotContains(t, report, srv.AccessKeySecret, "the access key is never printed")

	keys := srv.Keys("lake", "exports/20261124/")
	require.NotEmpty(t, keys)
	lines := 0
	for _, k := range keys {
		assert.True(t, strings.HasSuffix(k, ".csv.gz"), k)
		data, ok := srv.Object("lake", k)
		require.True(t, ok)
		zr, err := gzip.NewReader(bytes.NewReader(data))
		require.NoError(t, err)
		text, err := io.ReadAll(zr)
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(string(text), "id,customer,amount,placed_at,note\n"), "each object has the header")
		lines += strings.Count(string(text), "\n") - 1
	}
	assert.Equal(t, 1000, lines)
}

func TestCSVToMySQL(t *testing.T) {
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) { testCSVToMySQL(t, f) })
	}
}

func testCSVToMySQL(t *testing.T, f form) {
	d := newDatabases(t)
	dir := t.TempDir()
	csv := "id,customer,amount,placed_at,note\n" +
		"1,ada,12.50,2026-11-24 10:00:00,\n" +
		"2,grace,not-a-number,2026-11-24 11:00:00,dirty: bad amount\n" +
		"3,\"edsger, w.\",7.25,2026-11-24 12:00:00,\"multi\nline\"\n" +
		"4,,1.00,,\"\"\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "orders.csv"), []byte(csv), 0o644))
	dirty := filepath.Join(dir, "dirty.jsonl")
	args := append(d.args(t, f, nil), "-p", "csv_path="+filepath.Join(dir, "*.csv"), "-p", "dirty_path="+dirty)
	report := run(t, "csv-to-mysql"+f.suffix, args...)
	assert.Regexp(t, `Dirty records\s+:\s+1\n`, report)
	assert.Equal(t, []string{
		"1|ada|12.50|2026-11-24 10:00:00.000000|NULL",
		"3|edsger, w.|7.25|2026-11-24 12:00:00.000000|multi\nline",
		"4|NULL|1.00|NULL|",
	}, d.myRows(t))
	lines, err := os.ReadFile(dirty)
	require.NoError(t, err)
	assert.Contains(t, string(lines), `"value":"not-a-number"`)
	assert.Contains(t, string(lines), "orders.csv:3")

	run(t, "csv-to-mysql"+f.suffix, args...) // replace mode: a second run changes nothing
	assert.Len(t, d.myRows(t), 3)
}

// The example catalog is a valid one.
func TestExampleCatalog(t *testing.T) {
	c, err := datasource.Load("datasources.example.json")
	require.NoError(t, err)
	assert.Equal(t, []string{"lake", "shop_mysql", "warehouse_pg"}, c.Names())
	assert.Empty(t, c.Warnings(), "no secret written inline")
}
