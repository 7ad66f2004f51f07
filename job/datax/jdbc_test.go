package datax_test

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/job/datasource"
	"github.com/datasync-go/datasync/job/datax"
)

func TestMySQLURLs(t *testing.T) {
	u, err := datax.ParseJDBC("jdbc:mysql://db.example.com:3307/shop?useUnicode=true&characterEncoding=utf8&useSSL=false", "mysql")
	require.NoError(t, err)
	dsn, tlsConfig := u.MySQLDSN("app", "p@s/s")
	assert.Nil(t, tlsConfig)
	cfg, err := mysql.ParseDSN(dsn)
	require.NoError(t, err, dsn)
	assert.Equal(t, "app", cfg.User)
	assert.Equal(t, "p@s/s", cfg.Passwd, "a password with @ and / survives")
	assert.Equal(t, "db.example.com:3307", cfg.Addr)
	assert.Equal(t, "shop", cfg.DBName)
	assert.Equal(t, "false", cfg.TLSConfig)

	u, err = datax.ParseJDBC("jdbc:mysql://10.0.0.1,10.0.0.2/shop", "mysql")
	require.NoError(t, err)
	dsn, _ = u.MySQLDSN("root", "")
	assert.Equal(t, "root@tcp(10.0.0.1:3306)/shop?tls=preferred", dsn, "Connector/J's default is PREFERRED")

	u, err = datax.ParseJDBC("jdbc:mysql://[::1]:3306/x?user=u&password=secret123", "mysql")
	require.NoError(t, err)
	dsn, _ = u.MySQLDSN("", "")
	cfg, err = mysql.ParseDSN(dsn)
	require.NoError(t, err)
	assert.Equal(t, "secret123", cfg.Passwd, "user and password may come from the URL")
	assert.Equal(t, "[::1]:3306", cfg.Addr)

	_, err = datax.ParseJDBC("jdbc:postgresql://h/db?password=secret123", "mysql")
	assert.EqualError(t, err, `"jdbc:postgresql://h/db?password=%2A%2A%2A%2A%2A%2A" is not a jdbc:mysql://URL`)
	_, err = datax.ParseJDBC("jdbc:mysql:///db", "mysql")
	assert.ErrorContains(t, err, "has no host")
}

func TestPostgresURLs(t *testing.T) {
	u, err := datax.ParseJDBC("jdbc:postgresql://pg.example.com:5433/warehouse?currentSchema=sales&ssl=true", "postgresql")
	require.NoError(t, err)
	home, err := os.UserHomeDir()
	require.NoError(t, err)
	assert.Equal(t, "postgres://etl:s%3Acret@pg.example.com:5433/warehouse?search_path=sales&sslmode=verify-full&sslrootcert="+
		url.QueryEscape(filepath.Join(home, ".postgresql", "root.crt")), u.PostgresURL("etl", "s:cret"),
		"ssl=true is verify-full against ~/.postgresql/root.crt in pgjdbc")

	u, err = datax.ParseJDBC("jdbc:postgresql://localhost/db", "postgresql")
	require.NoError(t, err)
	assert.Equal(t, "postgres://postgres@localhost/db?sslmode=prefer", u.PostgresURL("postgres", ""))
}

func TestConnectionBlocks(t *testing.T) {
	r := datax.ReaderParams{Connection: []datax.ReaderConnection{
		{JdbcURL: []string{"jdbc:mysql://a/db1"}, Table: []string{"t_0", "t_1"}},
		{JdbcURL: []string{"jdbc:mysql://b/db2"}, QuerySQL: []string{"select 1"}},
	}}
	srcs, err := r.Sources("mysql")
	require.NoError(t, err)
	require.Len(t, srcs, 3)
	assert.Equal(t, "t_1", srcs[1].Table)
	assert.Equal(t, "connection[0].table[1]", srcs[1].Path)
	assert.Equal(t, "db2", srcs[2].URL.Database)
	assert.Equal(t, "select 1", srcs[2].QuerySQL)

	r.Connection[1].Table = []string{"x"}
	_, err = r.Sources("mysql")
	assert.EqualError(t, err, "connection[1]: give table or querySql, not both")

	w := datax.WriterParams{Connection: []datax.WriterConnection{{JdbcURL: "jdbc:postgresql://h/db", Table: []string{"a", "b"}}}}
	_, _, err = w.Target("postgresql")
	assert.EqualError(t, err, "connection[0].table: give exactly one table, not 2")

	assert.Nil(t, datax.Columns([]string{"*"}))
	assert.Equal(t, []string{"a"}, datax.Columns([]string{"a"}))
}

func TestDataSourceDSN(t *testing.T) {
	my := datasource.Resolved{DataSource: datasource.DataSource{Name: "m", Type: datasource.MySQL, Host: "h", Database: "shop",
		Properties: map[string]string{"useSSL": "false"}}, Username: "etl", Password: "p@ss"}
	dsn, _, err := datax.DataSourceDSN(my)
	require.NoError(t, err)
	cfg, err := mysql.ParseDSN(dsn)
	require.NoError(t, err)
	assert.Equal(t, "h:3306", cfg.Addr)
	assert.Equal(t, "p@ss", cfg.Passwd)
	assert.Equal(t, "false", cfg.TLSConfig)

	pg := datasource.Resolved{DataSource: datasource.DataSource{Name: "p", Type: datasource.PostgreSQL,
		JdbcURL: "jdbc:postgresql://pg:5433/dw?sslmode=disable"}, Username: "u", Password: "s"}
	dsn, _, err = datax.DataSourceDSN(pg)
	require.NoError(t, err)
	assert.Equal(t, "postgres://u:s@pg:5433/dw?sslmode=disable", dsn)

	_, _, err = datax.DataSourceDSN(datasource.Resolved{DataSource: datasource.DataSource{Name: "o", Type: datasource.OSS}})
	assert.EqualError(t, err, "data source o is oss, not mysql or postgresql")
}
