package datasource_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/job/datasource"
)

const catalogJSON = `{"datasources": [
  {"name": "orders_rds", "type": "mysql", "jdbcUrl": "jdbc:mysql://rds.example.com:3306/shop?useSSL=false",
   "username": "etl", "password": {"env": "TEST_ORDERS_PW"}},
  {"name": "dw_pg", "type": "postgresql", "host": "pg.example.com", "database": "dw",
   "properties": {"sslmode": "disable"}, "username": {"env": "TEST_DW_USER"}, "password": {"file": "PWFILE"}},
  {"name": "lake", "type": "oss", "endpoint": "http://127.0.0.1:9000", "bucket": "lake",
   "accessId": "AKID", "accessKey": "inline-access-key"}
]}`

func parseCatalog(t *testing.T) (*datasource.Catalog, string) {
	t.Helper()
	pwFile := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(pwFile, []byte("file-secret-pw\n"), 0o600))
	c, err := datasource.Parse([]byte(strings.ReplaceAll(catalogJSON, "PWFILE", pwFile)))
	require.NoError(t, err)
	return c, pwFile
}

func TestCatalogParseAndResolve(t *testing.T) {
	c, pwFile := parseCatalog(t)
	assert.Equal(t, []string{"dw_pg", "lake", "orders_rds"}, c.Names())

	d, ok := c.Lookup("orders_rds")
	require.True(t, ok)
	assert.Equal(t, datasource.MySQL, d.Type)
	assert.Equal(t, "jdbc:mysql://rds.example.com:3306/shop?useSSL=false", d.URL())

	// Secrets are resolved lazily: an unset variable is an error only now,
	// naming the data source and the variable.
	_, err := d.Resolve()
	assert.EqualError(t, err, `data source "orders_rds": password: environment variable TEST_ORDERS_PW is not set`)
	t.Setenv("TEST_ORDERS_PW", "env-secret-pw")
	r, err := d.Resolve()
	require.NoError(t, err)
	assert.Equal(t, "etl", r.Username)
	assert.Equal(t, "env-secret-pw", r.Password)
	assert.Equal(t, []string{"env-secret-pw"}, r.Secrets())

	pg, _ := c.Lookup("dw_pg")
	assert.Equal(t, "jdbc:postgresql://pg.example.com:5432/dw?sslmode=disable", pg.URL())
	t.Setenv("TEST_DW_USER", "loader")
	r, err = pg.Resolve()
	require.NoError(t, err)
	assert.Equal(t, "loader", r.Username)
	assert.Equal(t, "file-secret-pw", r.Password, "one trailing newline is dropped")

	require.NoError(t, os.Remove(pwFile))
	_, err = pg.Resolve()
	assert.ErrorContains(t, err, `data source "dw_pg": password: read the secret file: open `+pwFile)

	lake, _ := c.Lookup("lake")
	r, err = lake.Resolve()
	require.NoError(t, err)
	assert.Equal(t, "AKID", r.AccessID)
	assert.Equal(t, "inline-access-key", r.AccessKey)
	assert.Equal(t, []string{`data source "lake": accessKey is written inline; prefer {"env": "VARIABLE"} or {"file": "/path"}`}, c.Warnings())
}

func TestCatalogMistakes(t *testing.T) {
	_, err := datasource.Parse([]byte(`{"datasources": [
	  {"name": "a", "type": "mysql", "jdbcUrl": "jdbc:postgresql://h/db", "bucket": "x", "password": {"evn": "X"}},
	  {"name": "a", "type": "postgresql", "host": "h"},
	  {"name": "9lives", "type": "mysq", "host": "h"},
	  {"type": "oss", "accessKey": {"env": "A", "file": "/b"}},
	  {"name": "b", "type": "mysql", "jdbcUrl": "jdbc:mysql://h/db", "host": "h", "port": "x"}
	], "datasource": []}`))
	require.Error(t, err)
	var ce *datasource.Error
	require.ErrorAs(t, err, &ce)
	for _, want := range []string{
		`datasource: unknown setting "datasource"; did you mean "datasources"?`,
		`datasources[0].password.evn: unknown setting "evn"; did you mean "env"?`,
		`datasources[0].bucket: not a setting of a mysql data source`,
		`datasources[0].jdbcUrl: "jdbc:postgresql://h/db" does not start with jdbc:mysql://`,
		`datasources[1].database: missing required setting`,
		`datasources[1].name: "a" is already the name of datasources[0]`,
		`datasources[2].name: "9lives" is not a data source name`,
		`datasources[2].type: unknown type "mysq"; did you mean "mysql"?`,
		`datasources[3].accessKey: give "env" or "file", not both`,
		`datasources[3].name: missing required setting`,
		`datasources[3].endpoint: missing required setting`,
		`datasources[4].port: want a whole number, got a string`,
	} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestCatalogBuiltInGo(t *testing.T) {
	c, err := datasource.New(datasource.DataSource{
		Name: "orders_rds", Type: datasource.MySQL, Host: "10.0.0.1", Port: 3307, Database: "shop",
		Username: datasource.Inline("etl"), Password: datasource.Env("X"),
	})
	require.NoError(t, err)
	assert.Equal(t, "jdbc:mysql://10.0.0.1:3307/shop", mustGet(t, c, "orders_rds").URL())

	err = c.Add(datasource.DataSource{Name: "orders_rds", Type: datasource.OSS, Endpoint: "e"})
	assert.EqualError(t, err, `data source "orders_rds": the catalog already has one of that name`)
	err = c.Add(datasource.DataSource{Name: "lake", Type: datasource.OSS})
	assert.EqualError(t, err, `data source "lake": endpoint: missing required setting`)
	require.NoError(t, c.Add(datasource.DataSource{Name: "lake", Type: datasource.OSS, Endpoint: "e"}))

	_, err = c.Get("orders_rsd")
	assert.EqualError(t, err, `no data source named "orders_rsd" in the catalog; did you mean "orders_rds"?`)
	_, err = c.Get("zzz")
	assert.EqualError(t, err, `no data source named "zzz" in the catalog; it has lake, orders_rds`)

	assert.True(t, c.Remove("lake"))
	assert.False(t, c.Remove("lake"))
	assert.Equal(t, []string{"orders_rds"}, c.Names())
}

func mustGet(t *testing.T, c *datasource.Catalog, name string) datasource.DataSource {
	t.Helper()
	d, err := c.Get(name)
	require.NoError(t, err)
	return d
}

func TestCatalogSaveAndLoad(t *testing.T) {
	c, _ := parseCatalog(t)
	path := filepath.Join(t.TempDir(), "conf", "datasources.json")
	require.NoError(t, c.Save(path))
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left behind")

	loaded, err := datasource.Load(path)
	require.NoError(t, err)
	assert.Equal(t, path, loaded.Path())
	assert.Equal(t, c.All(), loaded.All(), "a saved catalog loads back the same, inline secrets included")

	require.NoError(t, loaded.Add(datasource.DataSource{Name: "more", Type: datasource.OSS, Endpoint: "e"}))
	require.NoError(t, loaded.Save(""))
	again, err := datasource.Load(path)
	require.NoError(t, err)
	assert.Contains(t, again.Names(), "more")

	_, err = datasource.Load(filepath.Join(t.TempDir(), "none.json"))
	assert.ErrorContains(t, err, "data source catalog ")
	assert.ErrorContains(t, err, "none.json")
}

func TestDefaultPath(t *testing.T) {
	t.Setenv(datasource.EnvPath, "/etc/datasync/ds.json")
	p, err := datasource.DefaultPath()
	require.NoError(t, err)
	assert.Equal(t, "/etc/datasync/ds.json", p)

	home := t.TempDir()
	t.Setenv(datasource.EnvPath, "")
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("HOME", home)
	p, err = datasource.DefaultPath()
	require.NoError(t, err)
	dir, _ := os.UserConfigDir()
	assert.Equal(t, filepath.Join(dir, "datasync", "datasources.json"), p)

	c, err := datasource.LoadDefault()
	require.NoError(t, err, "no file at the default place is an empty catalog")
	assert.Empty(t, c.Names())
	assert.Equal(t, p, c.Path())
}

// Nothing shown of a data source carries a secret's value.
func TestRedaction(t *testing.T) {
	t.Setenv("TEST_PW", "env-secret-pw")
	d := datasource.DataSource{Name: "x", Type: datasource.MySQL,
		JdbcURL:  "jdbc:mysql://h/db?password=url-secret-pw",
		Username: datasource.Inline("etl"), Password: datasource.Inline("inline-secret-pw")}
	o := datasource.DataSource{Name: "o", Type: datasource.OSS, Endpoint: "e",
		AccessID: datasource.Env("TEST_PW"), AccessKey: datasource.Inline("inline-secret-key")}
	r, err := d.Resolve()
	require.NoError(t, err)
	ro, err := o.Resolve()
	require.NoError(t, err)
	var logged strings.Builder
	logger := slog.New(slog.NewTextHandler(&logged, nil))
	for _, v := range []any{d, r, o, ro, d.Password, o.AccessKey} {
		js, err := json.Marshal(v)
		require.NoError(t, err)
		logger.Info("x", "v", v)
		for _, shown := range []string{fmt.Sprint(v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v), string(js), logged.String()} {
			for _, secret := range []string{"url-secret-pw", "inline-secret-pw", "inline-secret-key"} {
				assert.NotContains(t, shown, secret)
			}
		}
	}
	assert.Contains(t, fmt.Sprint(o), "accessId env:TEST_PW")
	assert.ElementsMatch(t, []string{"inline-secret-pw", "url-secret-pw"}, r.Secrets())
}

func TestFamilyTypesSpeakTheirEngine(t *testing.T) {
	for _, tc := range []struct {
		d      datasource.DataSource
		engine datasource.Type
		url    string
		errs   string
	}{
		{datasource.DataSource{Name: "a", Type: datasource.DRDS, Host: "h", Database: "d"}, datasource.MySQL, "jdbc:mysql://h:3306/d", ""},
		{datasource.DataSource{Name: "a", Type: datasource.AnalyticDBForPostgreSQL, Host: "h", Database: "d"}, datasource.PostgreSQL, "jdbc:postgresql://h:5432/d", ""},
		{datasource.DataSource{Name: "a", Type: datasource.PolarDB, JdbcURL: "jdbc:postgresql://h/d"}, datasource.PostgreSQL, "jdbc:postgresql://h/d", ""},
		{datasource.DataSource{Name: "a", Type: datasource.PolarDB, JdbcURL: "jdbc:mysql://h/d"}, datasource.MySQL, "jdbc:mysql://h/d", ""},
		{datasource.DataSource{Name: "a", Type: datasource.OceanBase, JdbcURL: "||_dsc_ob10_dsc_||c:t||_dsc_ob10_dsc_||jdbc:mysql://h/d"}, datasource.MySQL, "||_dsc_ob10_dsc_||c:t||_dsc_ob10_dsc_||jdbc:mysql://h/d", ""},
		{datasource.DataSource{Name: "a", Type: datasource.PPAS, JdbcURL: "jdbc:mysql://h/d"}, datasource.PostgreSQL, "", "does not start with jdbc:postgresql://"},
		{datasource.DataSource{Name: "a", Type: datasource.MongoDB, Database: "d"}, "", "", "address: missing required setting"},
	} {
		assert.Equal(t, tc.engine, tc.d.Engine(), tc.d.Name)
		errs := tc.d.Check("")
		if tc.errs == "" {
			assert.Empty(t, errs, "%v", tc.d)
			assert.Equal(t, tc.url, tc.d.URL())
		} else {
			require.NotEmpty(t, errs)
			assert.ErrorContains(t, errs[0], tc.errs)
		}
	}
}

func TestRedisAndMemcacheDataSources(t *testing.T) {
	c, err := datasource.New(
		datasource.DataSource{Name: "cache", Type: datasource.Redis, Host: "10.0.0.2", Database: "3", Password: datasource.Inline("redis-pw-1")},
		datasource.DataSource{Name: "mc", Type: datasource.Memcache, Host: "10.0.0.3"},
	)
	require.NoError(t, err)
	cache := mustGet(t, c, "cache")
	assert.Equal(t, "10.0.0.2:6379", cache.Addr())
	assert.Equal(t, "10.0.0.3:11211", mustGet(t, c, "mc").Addr())
	assert.NotContains(t, cache.String(), "redis-pw-1")
	assert.Contains(t, cache.String(), `addr "10.0.0.2:6379", database "3"`)

	for _, tt := range []struct {
		d    datasource.DataSource
		want string
	}{
		{datasource.DataSource{Name: "r", Type: datasource.Redis}, "host: missing required setting"},
		{datasource.DataSource{Name: "r", Type: datasource.Redis, Host: "h", Database: "zero"}, `database: "zero" is not a Redis database number`},
		{datasource.DataSource{Name: "m", Type: datasource.Memcache, Host: "h", Password: datasource.Env("X")}, "password: not a setting of a memcache data source (it takes host, port)"},
		{datasource.DataSource{Name: "r", Type: datasource.Redis, Host: "h", Endpoint: "e"}, "endpoint: not a setting of a redis data source"},
	} {
		assert.ErrorContains(t, c.Add(tt.d), tt.want)
	}
}
