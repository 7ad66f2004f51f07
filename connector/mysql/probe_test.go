package mysql_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/connector/mysql"
)

// probeUser creates an account with a password and only the grants given
// (statements with %s for the account and %d for the database), and
// returns a DSN for it.
func probeUser(e *env, password string, grants ...string) string {
	e.t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "dsprobe_" + hex.EncodeToString(b)
	account := "'" + name + "'@'%'"
	e.exec("CREATE USER " + account + " IDENTIFIED BY '" + password + "'")
	e.t.Cleanup(func() { _, _ = e.db.Exec("DROP USER " + account) })
	cfg, err := gomysql.ParseDSN(e.dsn)
	require.NoError(e.t, err)
	for _, g := range grants {
		e.exec(strings.NewReplacer("%s", account, "%d", cfg.DBName).Replace(g))
	}
	cfg.User, cfg.Passwd = name, password
	return cfg.FormatDSN()
}

func TestProbeReportsVersionPrivilegesAndLoadData(t *testing.T) {
	e := newEnv(t)
	r, err := mysql.Probe(context.Background(), e.dsn)
	require.NoError(t, err)
	assert.NotEmpty(t, r.Version)
	assert.Contains(t, r.User, "root@")
	assert.Subset(t, r.Privileges, []string{"SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP"})
	assert.Empty(t, r.Missing("SELECT", "INSERT", "CREATE", "DROP"))
	assert.True(t, r.LocalInfile, "the test server allows LOAD DATA LOCAL")
	assert.NoError(t, r.LoadDataLocal)
	text := r.String()
	assert.Contains(t, text, "reader:          ok (SELECT)")
	assert.Contains(t, text, "LOAD DATA LOCAL: available")
	assert.NotContains(t, text, "password")
}

func TestProbeSaysWhatAReadOnlyAccountLacks(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE orders (id INT PRIMARY KEY)")
	dsn := probeUser(e, "s3cret-pw", "GRANT SELECT ON %d.* TO %s", "GRANT INSERT ON %d.orders TO %s")
	r, err := mysql.Probe(context.Background(), dsn)
	require.NoError(t, err)
	assert.Equal(t, []string{"SELECT"}, r.Privileges)
	assert.Equal(t, []string{"INSERT"}, r.TablePrivileges)
	assert.Equal(t, []string{"INSERT", "CREATE"}, r.Missing("SELECT", "INSERT", "CREATE"))
	require.Error(t, r.LoadDataLocal, "no CREATE TEMPORARY TABLES privilege")
	assert.Contains(t, r.LoadDataLocal.Error(), "not tested: create a temporary table")
	text := r.String()
	assert.Contains(t, text, "reader:          ok (SELECT)")
	assert.Contains(t, text, "writer:          on some tables only (INSERT granted per table)")
	assert.Contains(t, text, "createTable:   missing CREATE on database dstest_")
	assert.NotContains(t, text, "s3cret-pw")
}

func TestProbeErrorsNameTheServerAndTheCause(t *testing.T) {
	e := newEnv(t)
	good := probeUser(e, "right-pw", "GRANT SELECT ON %d.* TO %s")
	cfg, err := gomysql.ParseDSN(good)
	require.NoError(t, err)

	closed, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := closed.Addr().String()
	require.NoError(t, closed.Close())

	root, err := gomysql.ParseDSN(e.dsn)
	require.NoError(t, err)
	with := func(change func(c *gomysql.Config)) string {
		c := cfg.Clone()
		change(c)
		return c.FormatDSN()
	}
	cases := map[string]struct {
		dsn  string
		code uint16 // the server's error number, 0 for none
		want []string
	}{
		"bad password": {
			dsn:  with(func(c *gomysql.Config) { c.Passwd = "wrong-pw" }),
			code: 1045,
			want: []string{"mysql: cannot connect to " + cfg.User + "@tcp(", "Access denied for user"},
		},
		"unknown database": {
			dsn:  with(func(c *gomysql.Config) { c.User, c.Passwd, c.DBName = root.User, root.Passwd, "no_such_db" }),
			code: 1049,
			want: []string{"/no_such_db", "Unknown database 'no_such_db'"},
		},
		"closed port": {
			dsn:  with(func(c *gomysql.Config) { c.Addr = addr }),
			want: []string{"mysql: cannot connect to " + cfg.User + "@tcp(" + addr + ")/", "connection refused"},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := mysql.Probe(context.Background(), c.dsn)
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), "pw", "no password in the error")
			if c.code != 0 {
				var my *gomysql.MySQLError
				require.True(t, errors.As(err, &my), "the driver's error is the cause: %v", err)
				assert.Equal(t, c.code, my.Number)
			}
		})
	}
}
