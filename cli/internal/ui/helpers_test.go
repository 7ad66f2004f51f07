package ui

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/builtin"
	"github.com/datasync-go/datasync/job/datasource"
)

// fixture is a UI server over a catalog of two fresh databases: "shop"
// (MariaDB) and "dw" (PostgreSQL).
type fixture struct {
	t       *testing.T
	srv     *Server
	ts      *httptest.Server
	host    string
	dir     string
	catPath string
	mysql   *sql.DB
	pg      *pgx.Conn
}

// passwordValue is the value of the environment variable the data sources'
// passwords name: it must never reach the browser.
const passwordValue = "n0t-for-the-browser"

func newFixture(t *testing.T) *fixture {
	t.Helper()
	myDSN := testdb.MySQL(t)
	pgDSN := testdb.Postgres(t)
	f := &fixture{t: t, dir: t.TempDir()}
	f.catPath = filepath.Join(f.dir, "datasources.json")
	t.Setenv("UI_TEST_UNUSED_PASSWORD", passwordValue)

	mc, err := gomysql.ParseDSN(myDSN)
	require.NoError(t, err)
	host, port, err := net.SplitHostPort(mc.Addr)
	require.NoError(t, err)
	p, _ := strconv.Atoi(port)
	shop := datasource.DataSource{Name: "shop", Type: datasource.MySQL, Host: host, Port: p, Database: mc.DBName,
		Username: datasource.Inline(mc.User)}
	if mc.Passwd != "" {
		t.Setenv("UI_TEST_MYSQL_PASSWORD", mc.Passwd)
		shop.Password = datasource.Env("UI_TEST_MYSQL_PASSWORD")
	}
	u, err := url.Parse(pgDSN)
	require.NoError(t, err)
	pgPort, _ := strconv.Atoi(u.Port())
	dw := datasource.DataSource{Name: "dw", Type: datasource.PostgreSQL, Host: u.Hostname(), Port: pgPort,
		Database: strings.TrimPrefix(u.Path, "/"), Username: datasource.Inline(u.User.Username())}
	if props := u.Query(); len(props) > 0 {
		dw.Properties = map[string]string{}
		for k := range props {
			dw.Properties[k] = props.Get(k)
		}
	}
	if pw, ok := u.User.Password(); ok {
		t.Setenv("UI_TEST_PG_PASSWORD", pw)
		dw.Password = datasource.Env("UI_TEST_PG_PASSWORD")
	}
	// A data source the UI cannot read, whose secret must stay hidden too.
	other := datasource.DataSource{Name: "lake", Type: datasource.OSS, Endpoint: "http://127.0.0.1:1", Bucket: "lake-bucket",
		AccessID: datasource.Inline("id"), AccessKey: datasource.Env("UI_TEST_UNUSED_PASSWORD")}
	cat, err := datasource.New(shop, dw, other)
	require.NoError(t, err)
	require.NoError(t, cat.Save(f.catPath))

	reg := job.NewRegistry()
	builtin.Register(reg)
	f.srv, err = New(Config{
		Registry:    reg,
		LoadCatalog: func() (*datasource.Catalog, error) { return datasource.Load(f.catPath) },
		SaveCatalog: func(c *datasource.Catalog) (string, error) { return f.catPath, c.Save(f.catPath) },
		Probe: func(ctx context.Context, r datasource.Resolved) (fmt.Stringer, error) {
			return stringer("probed " + r.DataSource.Name), nil
		},
		Dir:    f.dir,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	require.NoError(t, err)
	f.ts = httptest.NewUnstartedServer(nil)
	f.host = f.ts.Listener.Addr().String()
	f.ts.Config.Handler = f.srv.Handler(f.host)
	f.ts.Start()
	t.Cleanup(func() { f.ts.Close(); f.srv.Close() })

	f.mysql, err = sql.Open("mysql", myDSN)
	require.NoError(t, err)
	t.Cleanup(func() { f.mysql.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	f.pg, err = pgx.Connect(ctx, pgDSN)
	require.NoError(t, err)
	t.Cleanup(func() { f.pg.Close(context.Background()) })
	return f
}

type stringer string

func (s stringer) String() string { return string(s) }

// tables creates the tables of the MySQL -> PostgreSQL job the tests
// build: the target's columns are in another order than the source's, so
// that mapping by row is wrong and mapping by name is right.
func (f *fixture) tables(rows int) {
	f.t.Helper()
	f.mysqlExec(
		"CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(40) NOT NULL, placed DATETIME(3) NOT NULL, amount DECIMAL(10,2) NOT NULL)",
	)
	for i := 1; i <= rows; i++ {
		f.mysqlExec("INSERT INTO orders VALUES (" + strconv.Itoa(i) + ", 'customer " + strconv.Itoa(i) + "', '2026-11-" +
			strconv.Itoa(10+i%10) + " 10:00:00.250', " + strconv.Itoa(i) + ".50)")
	}
	f.pgExec(`CREATE TABLE orders_copy (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(10,2) NOT NULL, placed timestamp(3) NOT NULL)`)
}

func (f *fixture) mysqlExec(stmts ...string) {
	f.t.Helper()
	for _, s := range stmts {
		_, err := f.mysql.Exec(s)
		require.NoError(f.t, err, s)
	}
}

func (f *fixture) pgExec(stmts ...string) {
	f.t.Helper()
	for _, s := range stmts {
		_, err := f.pg.Exec(context.Background(), s)
		require.NoError(f.t, err, s)
	}
}

func (f *fixture) pgCount(table string) int {
	f.t.Helper()
	var n int
	require.NoError(f.t, f.pg.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n))
	return n
}

// call makes an API call with the token and returns the status and body.
func (f *fixture) call(method, path string, body any) (int, []byte) {
	f.t.Helper()
	return f.request(method, path, body, func(r *http.Request) { r.Header.Set(tokenHeader, f.srv.Token()) })
}

func (f *fixture) request(method, path string, body any, edit func(*http.Request)) (int, []byte) {
	f.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(f.t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, f.ts.URL+path, rd)
	require.NoError(f.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if edit != nil {
		edit(req)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(f.t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(f.t, err)
	return resp.StatusCode, out
}

// callJSON makes an API call, requires status want, and decodes the reply.
func callJSON[T any](f *fixture, method, path string, body any, want int) T {
	f.t.Helper()
	status, out := f.call(method, path, body)
	require.Equal(f.t, want, status, "%s %s: %s", method, path, out)
	var v T
	require.NoError(f.t, json.Unmarshal(out, &v), "%s", out)
	return v
}

// ordersModel is the job of the tests, mapped as given.
func ordersModel(mapping ...Pair) Model {
	return Model{
		Source:  Endpoint{DataSource: "shop", Table: "orders"},
		Target:  Endpoint{DataSource: "dw", Schema: "public", Table: "orders_copy"},
		Mapping: mapping,
		Channel: Channel{Concurrent: 2},
	}
}

var (
	byRow  = []Pair{{"id", "id"}, {"customer", "customer"}, {"placed", "amount"}, {"amount", "placed"}}
	byName = []Pair{{"id", "id"}, {"customer", "customer"}, {"amount", "amount"}, {"placed", "placed"}}
)
