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
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/connector/oss/osstest"
	"github.com/datasync-go/datasync/internal/testdb"
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
	return &databases{my: my, pg: pg, vars: []string{
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
	d := newDatabases(t)
	_, err := d.my.Exec(`INSERT INTO orders VALUES
		(1, 'ada', 12.50, '2026-11-24 10:00:00.123456', NULL),
		(2, 'grace', 0.00, '2026-11-24 11:00:00', 'first order 😀'),
		(3, NULL, 7.25, NULL, ''),
		(4, 'edsger', -1.00, '2026-11-24 12:00:00', 'refund: filtered out by where')`)
	require.NoError(t, err)
	report := run(t, "mysql-to-postgres.json", d.vars...)
	assert.Regexp(t, `Records written\s+:\s+3\n`, report)

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
	d := newDatabases(t)
	_, err := d.pg.Exec(context.Background(), `INSERT INTO orders SELECT i, 'c' || i, i * 1.25, '2026-01-01'::timestamp + i * interval '1 minute',
		CASE WHEN i % 10 = 0 THEN NULL ELSE 'note, with "quotes"' END FROM generate_series(1, 1000) i`)
	require.NoError(t, err)
	srv := osstest.NewServer(osstest.WithBuckets("lake"))
	defer srv.Close()
	args := append(d.vars, "-p", "oss_endpoint="+srv.Endpoint, "-p", "oss_access_id="+srv.AccessKeyID,
		"-p", "oss_access_key="+srv.AccessKeySecret, "-p", "oss_bucket=lake", "-p", "bizdate=20261124")
	report := run(t, "postgres-to-oss.json", args...)
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
	d := newDatabases(t)
	dir := t.TempDir()
	csv := "id,customer,amount,placed_at,note\n" +
		"1,ada,12.50,2026-11-24 10:00:00,\n" +
		"2,grace,not-a-number,2026-11-24 11:00:00,dirty: bad amount\n" +
		"3,\"edsger, w.\",7.25,2026-11-24 12:00:00,\"multi\nline\"\n" +
		"4,,1.00,,\"\"\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "orders.csv"), []byte(csv), 0o644))
	dirty := filepath.Join(dir, "dirty.jsonl")
	args := append(d.vars, "-p", "csv_path="+filepath.Join(dir, "*.csv"), "-p", "dirty_path="+dirty)
	report := run(t, "csv-to-mysql.json", args...)
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

	run(t, "csv-to-mysql.json", args...) // replace mode: a second run changes nothing
	assert.Len(t, d.myRows(t), 3)
}
