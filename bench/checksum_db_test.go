package main_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/bench/internal/dataset"
	"github.com/datasync-go/datasync/internal/checksum"
	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testRows = 2000

// expected is the checksum of g's rows, computed from the datasync values.
func expected(t *testing.T, g *dataset.Generator) checksum.Sum {
	t.Helper()
	h := checksum.NewHasher(dataset.Schema())
	require.NoError(t, g.Each(func(_ int64, r datasync.Record) error { return h.AddRecord(r) }))
	return h.Sum()
}

// A change to the target must fail the check, with this in its message.
type alteration struct {
	name, sql, want string
}

const contentDiffers = "content checksum differs"

func TestPostgresChecksum(t *testing.T) {
	dsn := testdb.Postgres(t)
	ctx := context.Background()
	g := dataset.New(dataset.Spec{Rows: testRows, Seed: 7})
	want := expected(t, g)
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer conn.Close(ctx)
	load := func() {
		t.Helper()
		require.NoError(t, dataset.LoadPostgres(ctx, conn, "bench", g))
	}
	load()
	got, err := checksum.Postgres(ctx, dsn, "bench", dataset.Schema())
	require.NoError(t, err)
	require.Equal(t, want, got, "PostgreSQL's rendering of the dataset must canonicalize to the generator's")

	for _, a := range []alteration{
		{"changed timestamp", "UPDATE bench SET created = created + interval '1 microsecond' WHERE id = (SELECT min(id) FROM bench WHERE created IS NOT NULL)", contentDiffers},
		{"changed decimal", "UPDATE bench SET amount = amount + 0.0001 WHERE id = (SELECT min(id) FROM bench WHERE amount IS NOT NULL)", contentDiffers},
		{"changed double", "UPDATE bench SET score = score::real WHERE id = (SELECT min(id) FROM bench WHERE score IS NOT NULL)", contentDiffers},
		{"flipped boolean", "UPDATE bench SET active = NOT active WHERE id = (SELECT min(id) FROM bench WHERE active IS NOT NULL)", contentDiffers},
		{"NULL became empty", "UPDATE bench SET name = '' WHERE id = (SELECT min(id) FROM bench WHERE name IS NULL)", contentDiffers},
		{"missing row", "DELETE FROM bench WHERE id = 17", "1999 rows, want 2000"},
		{"duplicated row", "ALTER TABLE bench DROP CONSTRAINT bench_pkey; INSERT INTO bench SELECT * FROM bench WHERE id = 17", "2001 rows, want 2000"},
		{"duplicate instead of a row", "ALTER TABLE bench DROP CONSTRAINT bench_pkey; DELETE FROM bench WHERE id = 18; INSERT INTO bench SELECT * FROM bench WHERE id = 17", contentDiffers},
	} {
		t.Run(a.name, func(t *testing.T) {
			load()
			_, err := conn.Exec(ctx, a.sql)
			require.NoError(t, err)
			got, err := checksum.Postgres(ctx, dsn, "bench", dataset.Schema())
			require.NoError(t, err)
			assert.Contains(t, checksum.Mismatch(got, want), a.want)
		})
	}
}

func TestMySQLChecksum(t *testing.T) {
	dsn := testdb.MySQL(t)
	ctx := context.Background()
	g := dataset.New(dataset.Spec{Rows: testRows, Seed: 7})
	want := expected(t, g)
	db, err := sql.Open("mysql", dsn)
	require.NoError(t, err)
	defer db.Close()
	for _, loadData := range []bool{true, false} {
		require.NoError(t, dataset.LoadMySQL(ctx, db, "bench", g, loadData))
		got, err := checksum.MySQL(ctx, dsn, "bench", dataset.Schema())
		require.NoError(t, err)
		require.Equal(t, want, got, "MySQL's rendering of the dataset (LOAD DATA %v) must canonicalize to the generator's", loadData)
	}
	for _, a := range []alteration{
		{"changed timestamp", "UPDATE bench SET created = created + INTERVAL 1 MICROSECOND WHERE created IS NOT NULL ORDER BY id LIMIT 1", contentDiffers},
		{"changed decimal", "UPDATE bench SET amount = amount + 0.0001 WHERE amount IS NOT NULL ORDER BY id LIMIT 1", contentDiffers},
		{"changed double", "UPDATE bench SET score = CAST(score AS FLOAT) WHERE score IS NOT NULL ORDER BY id LIMIT 1", contentDiffers},
		{"flipped boolean", "UPDATE bench SET active = 1 - active WHERE active IS NOT NULL ORDER BY id LIMIT 1", contentDiffers},
		{"NULL became empty", "UPDATE bench SET name = '' WHERE name IS NULL ORDER BY id LIMIT 1", contentDiffers},
		{"missing row", "DELETE FROM bench WHERE id = 17", "1999 rows, want 2000"},
		{"duplicated row", "ALTER TABLE bench DROP PRIMARY KEY; INSERT INTO bench SELECT * FROM bench WHERE id = 17", "2001 rows, want 2000"},
		{"duplicate instead of a row", "ALTER TABLE bench DROP PRIMARY KEY; DELETE FROM bench WHERE id = 18; INSERT INTO bench SELECT * FROM bench WHERE id = 17", contentDiffers},
	} {
		t.Run(a.name, func(t *testing.T) {
			require.NoError(t, dataset.LoadMySQL(ctx, db, "bench", g, true))
			for _, stmt := range strings.Split(a.sql, "; ") { // the driver runs one at a time
				_, err := db.ExecContext(ctx, stmt)
				require.NoError(t, err, stmt)
			}
			got, err := checksum.MySQL(ctx, dsn, "bench", dataset.Schema())
			require.NoError(t, err)
			assert.Contains(t, checksum.Mismatch(got, want), a.want)
		})
	}
}

func TestCSVChecksum(t *testing.T) {
	g := dataset.New(dataset.Spec{Rows: testRows, Seed: 7})
	path := filepath.Join(t.TempDir(), "bench.csv")
	require.NoError(t, dataset.WriteCSV(path, g))
	got, err := checksum.Files([]string{path}, dataset.Schema(), checksum.CSV)
	require.NoError(t, err)
	assert.Equal(t, expected(t, g), got)
	assert.NotEqual(t, expected(t, dataset.New(dataset.Spec{Rows: testRows, Seed: 8})), got, "another seed is another dataset")
}
