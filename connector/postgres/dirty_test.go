package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/source"
)

// collector keeps dirty records.
type collector struct {
	mu   sync.Mutex
	recs []datasync.DirtyRecord
}

func (c *collector) policy() datasync.Option {
	return datasync.WithDirtyPolicy(datasync.DirtyPolicy{MaxRecords: 1000, Collector: datasync.DirtyFunc(func(_ context.Context, d datasync.DirtyRecord) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.recs = append(c.recs, d)
		return nil
	})})
}

// byID returns the dirty records by the id in their column 0.
func (c *collector) byID(t *testing.T) map[int64]datasync.DirtyRecord {
	out := map[int64]datasync.DirtyRecord{}
	for _, d := range c.recs {
		require.NotNil(t, d.Record, "the dirty record carries its row")
		id, err := d.Record[0].AsInt()
		require.NoError(t, err)
		_, dup := out[id]
		require.False(t, dup, "row %d reported twice", id)
		out[id] = d
	}
	return out
}

func sqlState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

var dirtySchema = datasync.Schema{
	{Name: "id", Kind: datasync.KindInt},
	{Name: "name", Kind: datasync.KindString, Nullable: true},
	{Name: "n", Kind: datasync.KindInt, Nullable: true},
	{Name: "note", Kind: datasync.KindString, Nullable: true},
}

// TestDirtyRowsAreIsolated writes 2,000 records, some of them bad in every
// way the issue lists, across many batches: each bad row reaches the
// collector with the server's message and SQLSTATE (or a conversion error
// when it cannot be converted at all), and every other row is written
// exactly once.
func TestDirtyRowsAreIsolated(t *testing.T) {
	for _, mode := range []string{"insert", "upsert"} {
		t.Run(mode, func(t *testing.T) {
			db := newDB(t)
			db.exec(`CREATE TABLE t (id int PRIMARY KEY, name varchar(5) NOT NULL, n int, note text, CHECK (id <> 1313))`,
				`INSERT INTO t VALUES (-1, 'old', NULL, NULL)`)
			const total = 2000
			bad := map[int64]string{ // id -> the SQLSTATE, or "convert"
				7:    "22P02", // text that is not an integer, sent for the server to parse
				100:  "22001", // too long for varchar(5)
				250:  "23502", // NULL into NOT NULL
				400:  "22021", // NUL byte in text
				555:  "convert",
				777:  "convert",
				1313: "23514", // check constraint
				1500: "22003", // 1e10 as text, out of the range of integer
			}
			if mode == "insert" {
				bad[900] = "23505"  // duplicate of a row of the same batch (id 899)
				bad[1901] = "23505" // duplicate of a row already in the table (-1)
			}
			records := make([]datasync.Record, 0, total)
			for i := range int64(total) {
				r := datasync.Record{datasync.Int(i), datasync.String(fmt.Sprint("n", i%1000)), datasync.Int(i), datasync.String("ok")}
				switch i {
				case 7:
					r[2] = datasync.String("abc")
				case 100:
					r[1] = datasync.String("toolong")
				case 250:
					r[1] = datasync.Null()
				case 400:
					r[3] = datasync.String("a\x00b")
				case 555:
					r[2] = datasync.Float(1.5)
				case 777:
					r[2] = datasync.Int(1 << 40)
				case 900:
					if mode == "insert" {
						r[0] = datasync.Int(899)
					}
				case 1500:
					r[2] = datasync.String("10000000000")
				case 1901:
					if mode == "insert" {
						r[0] = datasync.Int(-1)
					}
				}
				records = append(records, r)
			}
			var c collector
			k := newSink(t, SinkConfig{DSN: db.dsn, Table: "t", WriteMode: WriteMode(mode)})
			res, err := run(t, source.FromRecords(dirtySchema, records), k, c.policy(), datasync.WithBatchSize(256, 1<<20))
			require.NoError(t, err)
			assert.Equal(t, int64(len(bad)), res.RecordsDirty)
			assert.Equal(t, int64(total-len(bad)), res.RecordsWritten)
			dirty := c.byID(t)
			require.Len(t, dirty, len(bad))
			for id, want := range bad {
				if mode == "insert" && (id == 900 || id == 1901) {
					id = map[int64]int64{900: 899, 1901: -1}[id]
				}
				d, ok := dirty[id]
				if !assert.True(t, ok, "row %d is dirty", id) {
					continue
				}
				if want == "convert" {
					assert.Equal(t, datasync.StageConvert, d.Stage, "row %d", id)
					var ce *datasync.ConversionError
					assert.ErrorAs(t, d.Err, &ce, "row %d", id)
					assert.Equal(t, "n", d.Column)
					continue
				}
				assert.Equal(t, datasync.StageWrite, d.Stage, "row %d: %v", id, d.Err)
				assert.Equal(t, want, sqlState(d.Err), "row %d: %v", id, d.Err)
				assert.Contains(t, d.Reason(), "SQLSTATE "+want)
			}
			assert.Contains(t, dirty[100].Reason(), "value too long for type character varying(5)")
			assert.Equal(t, "name", dirty[100].Column)
			assert.Equal(t, "toolong", dirty[100].Value)
			assert.Contains(t, dirty[7].Reason(), `invalid input syntax for type integer: "abc"`)
			assert.Contains(t, dirty[400].Reason(), `invalid byte sequence for encoding "UTF8": 0x00`)

			// Every other row exactly once: the table's ids are the good ones.
			var want []string
			for i := range int64(total) {
				if _, isBad := bad[i]; !isBad && !(mode == "insert" && i == 899) {
					want = append(want, fmt.Sprint(i))
				}
			}
			if mode == "insert" {
				want = append(want, "899") // the first of the two rows with id 899 was written
			}
			want = append(want, "-1")
			slices.Sort(want)
			assert.Equal(t, want, expectIDs(db, "SELECT id FROM t"))
		})
	}
}

// TestDirtyRowsPassThrough rejects rows of a pass-through batch: they reach
// the collector decoded, with the server's error.
func TestDirtyRowsPassThrough(t *testing.T) {
	src, dst := newDB(t), newDB(t)
	src.exec(`CREATE TABLE t (id int PRIMARY KEY, name varchar(5), n int)`,
		`INSERT INTO t SELECT i, 'n' || (i % 100), i FROM generate_series(1, 3000) i`,
		`UPDATE t SET name = NULL WHERE id = 1234`)
	dst.exec(`CREATE TABLE t (id int PRIMARY KEY, name varchar(5) NOT NULL, n int CHECK (n <> 2222))`,
		`INSERT INTO t VALUES (2999, 'dup', 0)`)
	var c collector
	k := newSink(t, SinkConfig{DSN: dst.dsn, Table: "t"})
	res, err := run(t, newSource(t, SourceConfig{DSN: src.dsn, Table: "t"}), k, c.policy())
	require.NoError(t, err)
	assert.Equal(t, int64(3), res.RecordsDirty)
	assert.Equal(t, int64(2997), k.passedThrough.Load())
	dirty := c.byID(t)
	assert.Equal(t, "23502", sqlState(dirty[1234].Err))
	assert.Equal(t, "23514", sqlState(dirty[2222].Err))
	assert.Equal(t, "23505", sqlState(dirty[2999].Err))
	assert.Equal(t, "(2222, n22, 2222)", dirty[2222].Record.String(), "decoded from the binary row")
	assert.Equal(t, int64(2998), dst.count("t"))
}
