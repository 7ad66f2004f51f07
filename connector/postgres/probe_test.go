package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// probeRole creates a role that can log in with password and has only the
// grants given (statements with %s for the role and %d for the database),
// and returns a DSN for it.
func probeRole(d *testDB, password string, grants ...string) string {
	d.t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "dsprobe_" + hex.EncodeToString(b)
	u, err := url.Parse(d.dsn)
	require.NoError(d.t, err)
	database := strings.TrimPrefix(u.Path, "/")
	d.exec("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'")
	d.t.Cleanup(func() {
		// The database is dropped after this: take the role's grants away first.
		_, _ = d.conn.Exec(context.Background(), "DROP OWNED BY "+name)
		_, _ = d.conn.Exec(context.Background(), "DROP ROLE "+name)
	})
	for _, g := range grants {
		d.exec(strings.NewReplacer("%s", name, "%d", database).Replace(g))
	}
	u.User = url.UserPassword(name, password)
	return u.String()
}

func TestProbeReportsVersionPrivilegesAndCopy(t *testing.T) {
	d := newDB(t)
	d.exec("CREATE TABLE orders (id int PRIMARY KEY)", "CREATE TABLE lines (id int)")
	r, err := Probe(context.Background(), d.dsn)
	require.NoError(t, err)
	assert.NotEmpty(t, r.Version)
	assert.Equal(t, "postgres", r.User)
	assert.True(t, r.Superuser)
	assert.Equal(t, "public", r.Schema)
	assert.Equal(t, 2, r.Tables)
	assert.Equal(t, []int{2, 2, 2, 2}, []int{r.Select, r.Insert, r.Update, r.Truncate})
	assert.True(t, r.Usage && r.Create && r.Temp)
	assert.NoError(t, r.Copy)
	text := r.String()
	assert.Contains(t, text, "reader:          ok (USAGE, SELECT on all 2 tables of schema public)")
	assert.Contains(t, text, "COPY:            available")
}

func TestProbeSaysWhatAReadOnlyRoleLacks(t *testing.T) {
	d := newDB(t)
	d.exec("CREATE TABLE orders (id int PRIMARY KEY)", "CREATE TABLE lines (id int)", "REVOKE CREATE ON SCHEMA public FROM PUBLIC")
	dsn := probeRole(d, "s3cret-pw", "REVOKE TEMPORARY ON DATABASE %d FROM PUBLIC",
		"GRANT USAGE ON SCHEMA public TO %s", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO %s", "GRANT INSERT ON orders TO %s")
	r, err := Probe(context.Background(), dsn)
	require.NoError(t, err)
	assert.False(t, r.Superuser)
	assert.Equal(t, []int{2, 1, 0, 0}, []int{r.Select, r.Insert, r.Update, r.Truncate})
	assert.False(t, r.Create)
	assert.False(t, r.Temp)
	require.Error(t, r.Copy)
	text := r.String()
	assert.Contains(t, text, "reader:          ok (USAGE, SELECT on all 2 tables of schema public)")
	assert.Contains(t, text, "writer:          INSERT on 1 of the 2 tables of schema public only")
	assert.Contains(t, text, "createTable:   missing CREATE on schema public")
	assert.Contains(t, text, "truncate:      missing TRUNCATE on every table of schema public")
	assert.Contains(t, text, "COPY:            not available: not tested: no TEMPORARY privilege")
	assert.NotContains(t, text, "s3cret-pw")
}

func TestProbeErrorsNameTheServerAndTheCause(t *testing.T) {
	d := newDB(t)
	good := probeRole(d, "right-pw", "GRANT USAGE ON SCHEMA public TO %s")
	u, err := url.Parse(good)
	require.NoError(t, err)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := closed.Addr().String()
	require.NoError(t, closed.Close())

	with := func(change func(u *url.URL)) string {
		c := *u
		change(&c)
		return c.String()
	}
	cases := map[string]struct {
		dsn   string
		state string // the server's SQLSTATE, "" for none
		want  []string
	}{
		// The test server trusts loopback connections, so it checks no
		// password: an unknown role is the refusal it can show.
		"unknown role": {
			dsn:   with(func(u *url.URL) { u.User = url.UserPassword("no_such_role", "wrong-pw") }),
			state: "28000",
			want:  []string{"postgres: cannot connect to no_such_role@127.0.0.1:", `role "no_such_role" does not exist`},
		},
		"unknown database": {
			dsn:   with(func(u *url.URL) { u.Path = "/no_such_db" }),
			state: "3D000",
			want:  []string{"/no_such_db: ", `database "no_such_db" does not exist`},
		},
		"closed port": {
			dsn:  with(func(u *url.URL) { u.Host = addr }),
			want: []string{"postgres: cannot connect to " + u.User.Username() + "@" + addr + "/", "connection refused"},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Probe(context.Background(), c.dsn)
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), "-pw", "no password in the error")
			if c.state != "" {
				var pg *pgconn.PgError
				require.True(t, errors.As(err, &pg), "pgx's error is the cause: %v", err)
				assert.Equal(t, c.state, pg.Code)
			}
		})
	}
}
