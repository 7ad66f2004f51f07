package crossdb_test

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/connector/postgres"
	"github.com/datasync-go/datasync/internal/testdb"
)

// singles are the float32 values both a MySQL FLOAT and a PostgreSQL real
// hold: the non-dyadic ones that a float64 would not, the extremes,
// subnormals and zero. (MySQL has no NaN or infinity; MariaDB stores -0 as
// 0.)
var singles = []float32{
	0.1, 0.3, -0.3, 3.1415927, 16777216,
	math.MaxFloat32, -math.MaxFloat32, 3.40282e38, 1.17549e-38,
	math.Float32frombits(0x00800000), // the smallest normal
	math.Float32frombits(0x007fffff), // the largest subnormal
	math.Float32frombits(0x00400000), // a subnormal
	math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32, 0,
}

// singleValues returns singles as SQL rows (id, value), each value in the
// digits of its float64 widening, which both servers read exactly.
func singleValues(quote string) string {
	var rows []string
	for i, f := range singles {
		rows = append(rows, fmt.Sprintf("(%d, %s%s%s)", i+1, quote, strconv.FormatFloat(float64(f), 'g', -1, 64), quote))
	}
	return strings.Join(rows, ", ")
}

// wantBits is singles as "id:bits".
func wantBits() []string {
	var out []string
	for i, f := range singles {
		out = append(out, fmt.Sprintf("%d:%08x", i+1, math.Float32bits(f)))
	}
	return out
}

// mysqlFloatBits returns column f of a MySQL table as "id:bits" of the
// float32 each row holds.
func mysqlFloatBits(t *testing.T, rows [][]string) []string {
	var out []string
	for _, r := range rows {
		f, err := strconv.ParseFloat(r[1], 64)
		require.NoError(t, err)
		require.Equal(t, f, float64(float32(f)), "row %s holds a float32", r[0])
		out = append(out, fmt.Sprintf("%s:%08x", r[0], math.Float32bits(float32(f))))
	}
	return out
}

// TestMySQLFloatToPostgresRealAndBack moves FLOAT values MySQL ->
// PostgreSQL real -> MySQL FLOAT, into tables made by CreateTable and into
// tables made beforehand: every value arrives with the same bits, and a
// real column's NaN and infinities, which MySQL lacks, become dirty rows
// with the reason.
func TestMySQLFloatToPostgresRealAndBack(t *testing.T) {
	myDSN, pgDSN := testdb.MySQL(t), testdb.Postgres(t)
	ctx := context.Background()
	my := mysqlDB(t, myDSN)
	exec(t, my, "CREATE TABLE src (id int PRIMARY KEY, f float)", "INSERT INTO src VALUES "+singleValues(""),
		"CREATE TABLE back_made (id int PRIMARY KEY, f float)")
	pg := pgConn(t, pgDSN)
	_, err := pg.Exec(ctx, "CREATE TABLE made (id int PRIMARY KEY, f real)")
	require.NoError(t, err)
	pgBits := func(table string) []string {
		rows, err := pg.Query(ctx, "SELECT id || ':' || encode(float4send(f), 'hex') FROM "+table+" ORDER BY id")
		require.NoError(t, err)
		var out []string
		for rows.Next() {
			var s string
			require.NoError(t, rows.Scan(&s))
			out = append(out, s)
		}
		require.NoError(t, rows.Err())
		return out
	}
	myBits := func(table string) []string {
		return mysqlFloatBits(t, texts(t, my, "SELECT id, f * 1e0 FROM "+table+" ORDER BY id"))
	}
	require.Equal(t, wantBits(), myBits("src"))

	for _, created := range []bool{false, true} {
		t.Run(fmt.Sprintf("createTable=%v", created), func(t *testing.T) {
			pgTable, myTable := "made", "back_made"
			if created {
				pgTable, myTable = "created", "back_created"
			}
			mySrc, err := mysql.NewSource(mysql.SourceConfig{DSN: myDSN, Table: "src"})
			require.NoError(t, err)
			defer mySrc.Close()
			pgDst, err := postgres.NewSink(postgres.SinkConfig{DSN: pgDSN, Table: pgTable, CreateTable: created})
			require.NoError(t, err)
			defer pgDst.Close()
			assert.Equal(t, int64(len(singles)), move(t, mySrc, pgDst).RecordsWritten)
			assert.Equal(t, wantBits(), pgBits(pgTable), "MySQL FLOAT -> PostgreSQL real")
			var typ string
			require.NoError(t, pg.QueryRow(ctx, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'f'", pgTable).Scan(&typ))
			assert.Equal(t, "real", typ)

			pgSrc, err := postgres.NewSource(postgres.SourceConfig{DSN: pgDSN, Table: pgTable})
			require.NoError(t, err)
			defer pgSrc.Close()
			myDst, err := mysql.NewSink(mysql.SinkConfig{DSN: myDSN, Table: myTable, CreateTable: created})
			require.NoError(t, err)
			defer myDst.Close()
			assert.Equal(t, int64(len(singles)), move(t, pgSrc, myDst).RecordsWritten)
			assert.Equal(t, wantBits(), myBits(myTable), "PostgreSQL real -> MySQL FLOAT")
			assert.Equal(t, [][]string{{"float"}}, texts(t, my, "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '"+myTable+"' AND COLUMN_NAME = 'f'"))
		})
	}

	// What MySQL cannot hold is dirty, with the reason.
	_, err = pg.Exec(ctx, "CREATE TABLE odd (id int PRIMARY KEY, f real); INSERT INTO odd VALUES (1, 'NaN'), (2, 'Infinity'), (3, '-Infinity'), (4, 0.1)")
	require.NoError(t, err)
	exec(t, my, "CREATE TABLE odd (id int PRIMARY KEY, f float)")
	pgSrc, err := postgres.NewSource(postgres.SourceConfig{DSN: pgDSN, Table: "odd"})
	require.NoError(t, err)
	defer pgSrc.Close()
	myDst, err := mysql.NewSink(mysql.SinkConfig{DSN: myDSN, Table: "odd"})
	require.NoError(t, err)
	defer myDst.Close()
	var dirty []datasync.DirtyRecord
	p, err := datasync.NewPipeline(pgSrc, myDst, datasync.WithDirtyPolicy(datasync.DirtyPolicy{MaxRecords: -1,
		Collector: datasync.DirtyFunc(func(_ context.Context, d datasync.DirtyRecord) error { dirty = append(dirty, d); return nil })}))
	require.NoError(t, err)
	res, err := p.Run(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(1), res.RecordsWritten)
	require.Len(t, dirty, 3)
	for _, d := range dirty {
		assert.Equal(t, "f", d.Column)
		assert.Contains(t, d.Reason(), "MySQL has no NaN or infinity")
	}
	assert.Equal(t, []string{"4:3dcccccd"}, myBits("odd"))
}
