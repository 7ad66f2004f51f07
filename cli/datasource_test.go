package cli

import (
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/connector/oss/osstest"
	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/internal/testsvc"
)

// noDefaultCatalog points the default catalog location at an empty
// directory, so that no test reads the user's.
func noDefaultCatalog(t *testing.T) string {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	t.Setenv("DATASYNC_DATASOURCES", "")
	return filepath.Join(dir, "datasync", "datasources.json")
}

func TestDatasourceAddListAndRemove(t *testing.T) {
	noDefaultCatalog(t)
	catalog := filepath.Join(t.TempDir(), "conf", "datasources.json")
	add := func(args ...string) result {
		return runIn(t, append([]string{"datasource", "add", "--datasources", catalog}, args...)...)
	}
	r := add("orders_rds", "--type", "mysql", "--jdbc-url", "jdbc:mysql://rds.example.com:3306/shop?useSSL=false",
		"--username", "etl", "--password-env", "ORDERS_RDS_PASSWORD")
	require.Equal(t, ExitOK, r.code, r.stderr)
	assert.Equal(t, `added data source "orders_rds" (mysql, rds.example.com:3306/shop) to `+catalog+"\n", r.stdout)
	r = add("dw_pg", "--type", "postgresql", "--host", "pg.example.com", "--database", "dw",
		"--property", "sslmode=require", "--username", "loader", "--password-file", "/run/secrets/dw_pg")
	require.Equal(t, ExitOK, r.code, r.stderr)
	r = add("lake", "--type", "oss", "--endpoint", "https://oss-cn-hangzhou.aliyuncs.com", "--bucket", "lake",
		"--access-id-env", "OSS_ACCESS_KEY_ID", "--access-key-env", "OSS_ACCESS_KEY_SECRET")
	require.Equal(t, ExitOK, r.code, r.stderr)

	info, err := os.Stat(catalog)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the catalog is its owner's only")
	var file struct {
		DataSources []map[string]any `json:"datasources"`
	}
	data, err := os.ReadFile(catalog)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &file))
	require.Len(t, file.DataSources, 3)
	assert.Equal(t, map[string]any{"env": "ORDERS_RDS_PASSWORD"}, file.DataSources[0]["password"], "a reference, not a value")
	assert.Equal(t, map[string]any{"file": "/run/secrets/dw_pg"}, file.DataSources[1]["password"])

	r = add("orders_rds", "--type", "mysql", "--host", "other", "--database", "x")
	assert.Equal(t, ExitInvalid, r.code, "a name is added once")
	assert.Contains(t, r.stderr, "orders_rds")
	r = add("bad", "--type", "mysql", "--host", "h")
	assert.Equal(t, ExitInvalid, r.code)
	assert.Contains(t, r.stderr, "database: missing required setting")
	r = add("bad", "--type", "mysqll", "--host", "h", "--database", "x")
	assert.Equal(t, ExitInvalid, r.code)
	assert.Contains(t, r.stderr, `unknown type "mysqll"`)

	r = runIn(t, "datasource", "list", "--datasources", catalog)
	require.Equal(t, ExitOK, r.code, r.stderr)
	assert.Equal(t, "NAME        TYPE        WHERE\n"+
		"orders_rds  mysql       rds.example.com:3306/shop\n"+
		"dw_pg       postgresql  pg.example.com:5432/dw\n"+
		"lake        oss         https://oss-cn-hangzhou.aliyuncs.com/lake\n", r.stdout)

	r = runIn(t, "datasource", "remove", "dw_pg", "--datasources", catalog)
	require.Equal(t, ExitOK, r.code, r.stderr)
	r = runIn(t, "datasource", "remove", "dw_pg", "--datasources", catalog)
	assert.Equal(t, ExitInvalid, r.code)
	assert.Contains(t, r.stderr, `no data source named "dw_pg"`)
	r = runIn(t, "datasource", "list", "--datasources", catalog)
	assert.NotContains(t, r.stdout, "dw_pg")
	assert.Contains(t, r.stdout, "lake")
}

func TestDatasourceAddRefusesSecretsOnTheCommandLine(t *testing.T) {
	noDefaultCatalog(t)
	catalog := filepath.Join(t.TempDir(), "datasources.json")
	cases := map[string][]string{
		"--password":           {"--type", "mysql", "--host", "h", "--database", "d", "--password", "hunter22"},
		"--password=":          {"--type", "mysql", "--host", "h", "--database", "d", "--password=hunter22"},
		"-password":            {"--type", "mysql", "--host", "h", "--database", "d", "-password", "hunter22"},
		"--access-key":         {"--type", "oss", "--endpoint", "e", "--access-key", "hunter22"},
		"--security-token":     {"--type", "oss", "--endpoint", "e", "--security-token=hunter22"},
		"password in the URL":  {"--type", "mysql", "--jdbc-url", "jdbc:mysql://h:3306/d?user=u&password=hunter22"},
		"password as property": {"--type", "mysql", "--host", "h", "--database", "d", "--property", "password=hunter22"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			r := runIn(t, append([]string{"datasource", "add", "x", "--datasources", catalog}, args...)...)
			assert.Equal(t, ExitInvalid, r.code)
			assert.Contains(t, r.stderr, "refusing")
			assert.Contains(t, r.stderr, "-env VAR or --")
			assert.NotContains(t, r.stderr, "hunter22", "the refusal does not repeat the secret")
			assert.NoFileExists(t, catalog)
		})
	}
}

func TestDatasourceCatalogLocation(t *testing.T) {
	defaultPath := noDefaultCatalog(t)
	r := runIn(t, "datasource", "list")
	require.Equal(t, ExitOK, r.code, "a missing default catalog is an empty one: %s", r.stderr)
	assert.Equal(t, "NAME  TYPE  WHERE\n", r.stdout)

	missing := filepath.Join(t.TempDir(), "nope.json")
	r = runIn(t, "datasource", "list", "--datasources", missing)
	assert.Equal(t, ExitInvalid, r.code, "a missing catalog named explicitly is an error")
	assert.Contains(t, r.stderr, "nope.json")

	r = runIn(t, "datasource", "add", "pg", "--type", "postgresql", "--host", "h", "--database", "d")
	require.Equal(t, ExitOK, r.code, r.stderr)
	assert.FileExists(t, defaultPath)

	other := filepath.Join(t.TempDir(), "env.json")
	t.Setenv("DATASYNC_DATASOURCES", other)
	r = runIn(t, "datasource", "add", "pg2", "--type", "postgresql", "--host", "h", "--database", "d")
	require.Equal(t, ExitOK, r.code, r.stderr)
	r = runIn(t, "datasource", "list")
	assert.Contains(t, r.stdout, "pg2")
	assert.NotContains(t, r.stdout, "pg ", "the environment variable names the catalog")
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

func TestDatasourceTest(t *testing.T) {
	noDefaultCatalog(t)
	catalog := filepath.Join(t.TempDir(), "datasources.json")
	add := func(args ...string) {
		t.Helper()
		r := runIn(t, append([]string{"datasource", "add", "--datasources", catalog}, args...)...)
		require.Equal(t, ExitOK, r.code, r.stderr)
	}
	test := func(name string) result {
		return runIn(t, "datasource", "test", name, "--datasources", catalog)
	}

	my, err := gomysql.ParseDSN(testdb.MySQL(t))
	require.NoError(t, err)
	add("my", "--type", "mysql", "--jdbc-url", "jdbc:mysql://"+my.Addr+"/"+my.DBName, "--username", my.User)
	pg, err := url.Parse(testdb.Postgres(t))
	require.NoError(t, err)
	add("pg", "--type", "postgresql", "--jdbc-url", "jdbc:postgresql://"+pg.Host+pg.Path+"?sslmode=disable", "--username", pg.User.Username())
	srv := osstest.NewServer(osstest.WithBuckets("lake"))
	defer srv.Close()
	t.Setenv("TEST_OSS_ID", srv.AccessKeyID)
	t.Setenv("TEST_OSS_KEY", srv.AccessKeySecret)
	add("lake", "--type", "oss", "--endpoint", srv.Endpoint, "--bucket", "lake", "--access-id-env", "TEST_OSS_ID", "--access-key-env", "TEST_OSS_KEY")
	down := closedPort(t)
	add("down", "--type", "mysql", "--jdbc-url", "jdbc:mysql://"+down+"/shop", "--username", "etl")
	add("pgdown", "--type", "postgresql", "--jdbc-url", "jdbc:postgresql://"+down+"/dw", "--username", "loader")

	t.Run("reachable", func(t *testing.T) {
		r := test("my")
		require.Equal(t, ExitOK, r.code, r.stderr)
		assert.Contains(t, r.stdout, `data source "my" (mysql at `+my.Addr+"/"+my.DBName+"): connected\n")
		assert.Contains(t, r.stdout, "reader:          ok (SELECT)")
		assert.Contains(t, r.stdout, "LOAD DATA LOCAL: available")

		r = test("pg")
		require.Equal(t, ExitOK, r.code, r.stderr)
		assert.Contains(t, r.stdout, `data source "pg" (postgresql at `)
		assert.Contains(t, r.stdout, "COPY:            available")

		r = test("lake")
		require.Equal(t, ExitOK, r.code, r.stderr)
		assert.Contains(t, r.stdout, "list:            ok")
		assert.NotContains(t, r.stdout, srv.AccessKeySecret)
	})

	t.Run("redis and memcache", func(t *testing.T) {
		redisAddr, _ := testsvc.Redis(t)
		host, port, err := net.SplitHostPort(redisAddr)
		require.NoError(t, err)
		add("cache", "--type", "redis", "--host", host, "--port", port, "--database", "2")
		r := test("cache")
		require.Equal(t, ExitOK, r.code, r.stderr)
		assert.Contains(t, r.stdout, `data source "cache" (redis at `+redisAddr+"/2): connected\n")
		assert.Contains(t, r.stdout, "role:            master")

		mcAddr, _ := testsvc.Memcache(t)
		host, port, err = net.SplitHostPort(mcAddr)
		require.NoError(t, err)
		add("mc", "--type", "memcache", "--host", host, "--port", port)
		r = test("mc")
		require.Equal(t, ExitOK, r.code, r.stderr)
		assert.Contains(t, r.stdout, "(all answer)")

		add("cachedown", "--type", "redis", "--host", "127.0.0.1", "--port", strings.TrimPrefix(down, "127.0.0.1:"))
		r = test("cachedown")
		assert.Equal(t, ExitFailed, r.code)
		assert.Contains(t, r.stderr, down)
	})

	t.Run("unreachable", func(t *testing.T) {
		for _, name := range []string{"down", "pgdown"} {
			r := test(name)
			assert.Equal(t, ExitFailed, r.code)
			assert.Contains(t, r.stderr, `data source "`+name+`"`)
			assert.Contains(t, r.stderr, down, "the error names the address")
			assert.Contains(t, r.stderr, "connection refused")
			assert.Empty(t, r.stdout)
		}
	})

	t.Run("bad password", func(t *testing.T) {
		db, err := sql.Open("mysql", testdb.MySQLServer(t))
		require.NoError(t, err)
		defer db.Close()
		user := "dscli_" + strings.ToLower(rand.Text()[:10]) // unique: tests of other packages may run at once
		_, err = db.Exec("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'right-password'")
		require.NoError(t, err)
		defer db.Exec("DROP USER '" + user + "'@'%'")
		t.Setenv("TEST_MY_PASSWORD", "wrong-password")
		add("mybad", "--type", "mysql", "--jdbc-url", "jdbc:mysql://"+my.Addr+"/"+my.DBName, "--username", user, "--password-env", "TEST_MY_PASSWORD")
		r := test("mybad")
		assert.Equal(t, ExitFailed, r.code)
		assert.Contains(t, r.stderr, `data source "mybad" (mysql at `+my.Addr)
		assert.Contains(t, r.stderr, "Access denied for user '"+user+"'")
		assert.NotContains(t, r.stderr, "wrong-password")
	})

	t.Run("unknown name", func(t *testing.T) {
		r := test("mi")
		assert.Equal(t, ExitInvalid, r.code)
		assert.Contains(t, r.stderr, `no data source named "mi"`)
	})

	t.Run("unset password variable", func(t *testing.T) {
		add("unset", "--type", "mysql", "--jdbc-url", "jdbc:mysql://"+my.Addr+"/x", "--username", "u", "--password-env", "TEST_NOT_SET_ANYWHERE")
		r := test("unset")
		assert.Equal(t, ExitFailed, r.code)
		assert.Contains(t, r.stderr, "TEST_NOT_SET_ANYWHERE")
	})
}
