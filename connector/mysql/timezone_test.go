package mysql_test

import (
	"database/sql"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/source"
)

// zoneTable holds the same moments as a TIMESTAMP (an instant) and as a
// DATETIME (a wall clock); zoneRows are a leap day's last microsecond and
// the two ends of the TIMESTAMP range, written in UTC.
const zoneTable = `(id int PRIMARY KEY, ts timestamp(6) NULL, dt datetime(6))`

var zoneRows = []string{"2024-02-29 23:59:59.999999", "2038-01-19 03:14:07.999999", "1970-01-01 00:00:01.000000"}

// zoneRecords are zoneRows as values: the instant and the wall clock.
func zoneRecords(t *testing.T) []ds.Record {
	var recs []ds.Record
	for i, s := range zoneRows {
		at, err := ds.ParseTimestamp(s + "Z")
		require.NoError(t, err)
		recs = append(recs, ds.Record{ds.Int(int64(i + 1)), ds.TimestampValue(at), ds.TimestampValue(at.AsWallClock())})
	}
	return recs
}

// TestSessionTimeZoneKeepsInstants reads and writes TIMESTAMP values through
// sessions whose Session statements set another time_zone, on a pool the
// package opens and on the caller's: every instant arrives unchanged, the
// range limits included, and DATETIME stays the same wall clock.
func TestSessionTimeZoneKeepsInstants(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE src " + zoneTable)
	for i, s := range zoneRows {
		_, err := e.db.Exec("INSERT INTO src VALUES (?, ?, ?)", i+1, s, s)
		require.NoError(t, err)
	}
	callers, err := sql.Open("mysql", e.dsn)
	require.NoError(t, err)
	defer callers.Close()
	east := []string{"SET time_zone = '+09:00'"}
	west := []string{"SET SESSION time_zone='-07:00'"}
	want := zoneRecords(t)

	for _, pool := range []string{"dsn", "callers"} {
		t.Run(pool, func(t *testing.T) {
			srcCfg := mysql.SourceConfig{Table: "src", Session: east}
			if pool == "callers" {
				srcCfg.DB = callers
			}
			withDB := func(c mysql.SinkConfig) mysql.SinkConfig {
				if pool == "callers" {
					c.DB = callers
				}
				return c
			}

			// Reading: the values are the instants stored.
			assert.ElementsMatch(t, recordTexts(want), recordTexts(collect(t, e.source(srcCfg))))

			// Writing values: the stored instants are the values'.
			table := "from_values_" + pool
			e.exec("CREATE TABLE " + table + " " + zoneTable)
			run(t, source.FromRecords(ds.Schema{{Name: "id", Kind: ds.KindInt, Key: 1}, {Name: "ts", Kind: ds.KindTimestamp, Precision: 6, Nullable: true},
				{Name: "dt", Kind: ds.KindTimestamp, Precision: 6}}, want), e.sink(withDB(mysql.SinkConfig{Table: table, Session: west})), ds.WithParallelism(1))
			assert.ElementsMatch(t, recordTexts(want), recordTexts(collect(t, e.source(mysql.SourceConfig{Table: table}))))

			// MySQL to MySQL, through the pass-through (same types), the
			// values (a wrapper hides the pass-through) and INSERT.
			for _, way := range []string{"pass", "values", "insert"} {
				table := "dst_" + way + "_" + pool
				e.exec("CREATE TABLE " + table + " " + zoneTable)
				cfg := withDB(mysql.SinkConfig{Table: table, Session: west})
				if way == "insert" {
					cfg.LoadData = mysql.LoadDataOff
				}
				var dst ds.Sink = e.sink(cfg)
				if way != "pass" {
					dst = &hookSink{Sink: dst, before: func() {}}
				}
				run(t, e.source(srcCfg), dst)
				e.sameTable("src", table)
			}
		})
	}
}

// recordTexts returns the records' display forms, for readable failures.
func recordTexts(recs []ds.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.String()
	}
	return out
}

// TestSessionTimeZoneScope shows what a time_zone set by Session statements
// still affects: the Session statements after it, and not the queries.
func TestSessionTimeZoneScope(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1)")
	recs := collect(t, e.source(mysql.SourceConfig{
		QuerySQL: "SELECT id, @ds_zone AS in_session, @@SESSION.time_zone AS in_query FROM t",
		Session:  []string{"SET time_zone = '+09:00'", "SET @ds_zone = @@SESSION.time_zone"},
	}))
	require.Len(t, recs, 1)
	assert.Equal(t, "+09:00", recs[0][1].String(), "a Session statement sees the zone an earlier one set")
	assert.Equal(t, "+00:00", recs[0][2].String(), "the reader's queries run in UTC")
}
