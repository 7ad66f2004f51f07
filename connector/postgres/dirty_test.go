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

// TestRejectedRowCost: one bad row in a batch of 1,000 costs four COPYs
// (the batch, the rows before it, the row alone, the rows after), thanks
// to the line number the server gives; a batch whose last row is rejected
// is followed by a commit that keeps the others. The COPY stays open after
// Write, so the rows come back from Flush, late, with their records.
func TestRejectedRowCost(t *testing.T) {
	db := newDB(t)
	db.exec(`CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)`)
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "v", Kind: datasync.KindString, Nullable: true}}
	b := datasync.NewBatch(schema, 1000, 1<<20)
	for i := range 1000 {
		r := b.Append()
		r[0], r[1] = datasync.Int(int64(i)), datasync.String("x")
	}
	b.Row(400)[1] = datasync.Null()
	b.Row(999)[1] = datasync.Null() // the last: the transaction is left aborted at its savepoint
	k := newSink(t, SinkConfig{DSN: db.dsn, Table: "t"})
	w, err := k.Open(context.Background(), datasync.Split{ID: "s"})
	require.NoError(t, err)
	defer w.Close()
	require.NoError(t, w.Write(context.Background(), b))
	err = w.Flush(context.Background())
	var rows *datasync.RowErrors
	require.ErrorAs(t, err, &rows)
	require.Len(t, rows.Errors, 2)
	assert.Equal(t, []int64{400, 999}, []int64{rows.Errors[0].Row, rows.Errors[1].Row})
	assert.Equal(t, "(400, NULL)", rows.Errors[0].Record.String())
	assert.Equal(t, "v", rows.Errors[1].Column)
	assert.LessOrEqual(t, w.(*writer).attempts, 6, "COPYs to isolate two rows of 1,000")
	assert.Equal(t, int64(998), db.count("t"))
}

// TestConversionsCaughtBeforeSending: values the column would silently
// round or that do not fit are rejected before they are sent, and the rows
// that fit exactly are written.
func TestConversionsCaughtBeforeSending(t *testing.T) {
	db := newDB(t)
	db.exec(`CREATE TABLE t (id int PRIMARY KEY, n numeric(10,2), ts timestamp(0), r real, s smallint, d date)`)
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "n", Kind: datasync.KindDecimal, Nullable: true},
		{Name: "ts", Kind: datasync.KindTimestamp, Nullable: true}, {Name: "r", Kind: datasync.KindFloat, Nullable: true},
		{Name: "s", Kind: datasync.KindInt, Nullable: true}, {Name: "d", Kind: datasync.KindTimestamp, Nullable: true}}
	dec := func(s string) datasync.Value { v, _ := datasync.Decimal(s); return v }
	ts := datasync.TimestampValue(datasync.TimestampFromMicros(1_700_000_000_000_000, false))
	midnight := datasync.TimestampValue(datasync.TimestampFromMicros(1_699_920_000_000_000, false))
	null := datasync.Null()
	recs := []datasync.Record{
		{datasync.Int(1), dec("1.2300"), ts, datasync.Float(0.5), datasync.Int(7), midnight},                                           // fits: 1.23, whole seconds, 0.5 is exact in real
		{datasync.Int(2), dec("1.23456"), null, null, null, null},                                                                      // would round to 1.23
		{datasync.Int(3), null, datasync.TimestampValue(datasync.TimestampFromMicros(1_700_000_000_000_001, false)), null, null, null}, // would round the microsecond
		{datasync.Int(4), null, null, datasync.Float(0.1), null, null},                                                                 // real cannot hold 0.1 exactly
		{datasync.Int(5), null, null, null, datasync.Int(40000), null},                                                                 // beyond smallint
		{datasync.Int(6), null, null, null, null, datasync.TimestampValue(datasync.TimestampFromMicros(86_400_000_001, false))},        // not midnight
	}
	var c collector
	_, err := run(t, source.FromRecords(schema, recs), newSink(t, SinkConfig{DSN: db.dsn, Table: "t"}), c.policy())
	require.NoError(t, err)
	dirty := c.byID(t)
	assert.Len(t, dirty, 5)
	for id, col := range map[int64]string{2: "n", 3: "ts", 4: "r", 5: "s", 6: "d"} {
		d, ok := dirty[id]
		require.True(t, ok, "row %d", id)
		assert.Equal(t, datasync.StageConvert, d.Stage, "row %d: %v", id, d.Err)
		assert.Equal(t, col, d.Column, "row %d", id)
	}
	assert.Equal(t, []string{"1|1.23|2023-11-14 22:13:20|0.5|7|2023-11-14"}, db.rows(`SELECT * FROM t`))
}
