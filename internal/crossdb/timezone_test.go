package crossdb_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/connector/postgres"
	"github.com/datasync-go/datasync/internal/testdb"
)

// TestMySQLSessionTimeZoneAcrossDatabases moves TIMESTAMP instants from a
// MySQL source whose Session sets time_zone '+09:00' to PostgreSQL, and back
// into a MySQL sink whose Session sets '-07:00': the instants arrive
// unchanged, the ends of the TIMESTAMP range included, and the DATETIME
// wall clocks too.
func TestMySQLSessionTimeZoneAcrossDatabases(t *testing.T) {
	myDSN, pgDSN := testdb.MySQL(t), testdb.Postgres(t)
	ctx := context.Background()
	my := mysqlDB(t, myDSN)
	const table = `(id int PRIMARY KEY, ts timestamp(6) NULL, dt datetime(6))`
	exec(t, my, "CREATE TABLE src "+table, "CREATE TABLE back "+table, `INSERT INTO src VALUES
		(1, '2024-02-29 23:59:59.999999', '2024-02-29 23:59:59.999999'),
		(2, '2038-01-19 03:14:07.999999', '2038-01-19 03:14:07.999999'),
		(3, '1970-01-01 00:00:01', '1970-01-01 00:00:01')`)
	pg := pgConn(t, pgDSN)
	_, err := pg.Exec(ctx, "CREATE TABLE dst (id int PRIMARY KEY, ts timestamptz(6), dt timestamp(6))")
	require.NoError(t, err)

	mySrc, err := mysql.NewSource(mysql.SourceConfig{DSN: myDSN, Table: "src", Session: []string{"SET time_zone = '+09:00'"}})
	require.NoError(t, err)
	defer mySrc.Close()
	pgDst, err := postgres.NewSink(postgres.SinkConfig{DSN: pgDSN, Table: "dst"})
	require.NoError(t, err)
	defer pgDst.Close()
	move(t, mySrc, pgDst)

	_, err = pg.Exec(ctx, "SET TimeZone = 'UTC'")
	require.NoError(t, err)
	rows, err := pg.Query(ctx, "SELECT id, ts::text, dt::text FROM dst ORDER BY id")
	require.NoError(t, err)
	var got []string
	for rows.Next() {
		var id int
		var ts, dt string
		require.NoError(t, rows.Scan(&id, &ts, &dt))
		got = append(got, fmt.Sprintf("%d %s %s", id, ts, dt))
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, []string{
		"1 2024-02-29 23:59:59.999999+00 2024-02-29 23:59:59.999999",
		"2 2038-01-19 03:14:07.999999+00 2038-01-19 03:14:07.999999",
		"3 1970-01-01 00:00:01+00 1970-01-01 00:00:01",
	}, got, "MySQL -> PostgreSQL keeps the instants whatever the source session's zone")

	pgSrc, err := postgres.NewSource(postgres.SourceConfig{DSN: pgDSN, Table: "dst"})
	require.NoError(t, err)
	defer pgSrc.Close()
	myDst, err := mysql.NewSink(mysql.SinkConfig{DSN: myDSN, Table: "back", Session: []string{"SET time_zone='-07:00'"}})
	require.NoError(t, err)
	defer myDst.Close()
	move(t, pgSrc, myDst)
	q := "SELECT id, ts, dt FROM %s ORDER BY id"
	assert.Equal(t, texts(t, my, fmt.Sprintf(q, "src")), texts(t, my, fmt.Sprintf(q, "back")),
		"PostgreSQL -> MySQL keeps the instants whatever the sink session's zone")
}
