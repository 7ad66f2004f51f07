package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/internal/testdb"
)

// postgresTables makes a test database with the tables, returning its
// JDBC URL and user for a job file.
func postgresTables(t *testing.T, sql ...string) (jdbc, user string) {
	dsn := testdb.Postgres(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer conn.Close(ctx)
	for _, s := range sql {
		_, err := conn.Exec(ctx, s)
		require.NoError(t, err, s)
	}
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	return fmt.Sprintf("jdbc:postgresql://%s%s?sslmode=disable", u.Host, u.Path), u.User.Username()
}

func TestPlanShowsSplitBoundariesReadably(t *testing.T) {
	jdbc, user := postgresTables(t, `CREATE TABLE orders (id bigint PRIMARY KEY, note text)`,
		`INSERT INTO orders SELECT i, 'n' || i FROM generate_series(1, 20000) i`, `ANALYZE orders`)
	path := writeJob(t, fmt.Sprintf(`{"job": {"setting": {"speed": {"channel": 4}}, "content": [{
	  "reader": {"name": "postgresqlreader", "parameter": {"username": %q, "password": "", "column": ["id", "note"], "splitPk": "id",
	    "connection": [{"jdbcUrl": [%q], "table": ["orders"]}]}},
	  "writer": {"name": "streamwriter", "parameter": {"print": false}}}]}}`, user, jdbc))
	r := runIn(t, "plan", path)
	require.Equal(t, 0, r.code, r.stderr)
	var out struct {
		Tasks []struct {
			Splits []struct {
				ID    string          `json:"id"`
				Spec  json.RawMessage `json:"spec"`
				Range string          `json:"range"`
			} `json:"splits"`
		} `json:"tasks"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out), r.stdout)
	require.Len(t, out.Tasks, 1)
	splits := out.Tasks[0].Splits
	require.Greater(t, len(splits), 1, r.stdout)
	assert.Regexp(t, `^"id" <= \d+$`, splits[0].Range)
	assert.Regexp(t, `^"id" > \d+ AND "id" <= \d+$`, splits[1].Range)
	assert.Regexp(t, `^"id" > \d+$`, splits[len(splits)-1].Range)
	assert.NotEmpty(t, splits[0].Spec, "the spec is still there for a distributed run")
	bound := regexp.MustCompile(`\d+`).FindString(splits[0].Range)
	assert.Contains(t, splits[1].Range, `"id" > `+bound, "the ranges meet")
}

func TestCheckWarnsWhenColumnsAreMappedToOtherNames(t *testing.T) {
	jdbc, user := postgresTables(t, `CREATE TABLE target (id bigint, customer text, amount text)`)
	job := func(columns string) string {
		return writeJob(t, fmt.Sprintf(`{"job": {"content": [{
		  "reader": {"name": "streamreader", "parameter": {"sliceRecordCount": 1, "column": [
		    {"value": "1", "type": "long", "name": "id"}, {"value": "9.5", "type": "string", "name": "amount"},
		    {"value": "ann", "type": "string", "name": "customer"}]}},
		  "writer": {"name": "postgresqlwriter", "parameter": {"username": %q, "password": "", "column": %s,
		    "connection": [{"jdbcUrl": %q, "table": ["target"]}]}}}]}}`, user, columns, jdbc))
	}
	r := runIn(t, "check", job(`["id", "customer", "amount"]`))
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "ok")
	assert.Contains(t, r.stderr, `warning: source column 2 "amount" is written to column "customer"`)
	assert.Contains(t, r.stderr, `warning: source column 3 "customer" is written to column "amount"`)
	assert.NotContains(t, r.stderr, `source column 1`)

	r = runIn(t, "check", job(`["ID", "amount", "customer"]`))
	require.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stderr, "warning", "same names, case aside")
}
