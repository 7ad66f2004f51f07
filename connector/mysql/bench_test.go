package mysql_test

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"strings"
	"testing"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

// The end-to-end benchmarks read and write a 100,000-row table of the ten
// columns of the performance section through the server, and report rows/s
// and allocations per row. What they count beyond the zero of
// BenchmarkDecodeRow and BenchmarkEncodeLoadRow is the driver's and
// database/sql's: go-sql-driver/mysql boxes each non-NULL value of a row
// into an interface (one small allocation per value) before any code here
// sees it. The full 1,000,000-row comparison with the native tools is
// connector/mysql/internal/mysqlbench.

const benchRows = 100_000

const benchDDL = `(id bigint NOT NULL PRIMARY KEY, qty int, big bigint, name varchar(64), note text,
  amount decimal(18,4), score double, active tinyint(1), created datetime(6), day date)`

var benchSchema = ds.Schema{
	{Name: "id", Kind: ds.KindInt}, {Name: "qty", Kind: ds.KindInt}, {Name: "big", Kind: ds.KindInt},
	{Name: "name", Kind: ds.KindString}, {Name: "note", Kind: ds.KindString}, {Name: "amount", Kind: ds.KindDecimal},
	{Name: "score", Kind: ds.KindFloat}, {Name: "active", Kind: ds.KindInt}, {Name: "created", Kind: ds.KindTimestamp},
	{Name: "day", Kind: ds.KindDate},
}

// benchSource generates the rows, a tenth of each nullable column NULL.
func benchSource(n int64) ds.Source {
	const pool = 1024
	names, notes, amounts := make([]ds.Value, pool), make([]ds.Value, pool), make([]ds.Value, pool)
	for i := range pool {
		names[i] = ds.String(fmt.Sprintf("customer-%06d", i*7919%1000003))
		notes[i] = ds.String(strings.Repeat(fmt.Sprintf("note %d; ", i), 20)[:100])
		amounts[i], _ = ds.Decimal(fmt.Sprintf("%d.%04d", i*37, i%10000))
	}
	return source.Generate(benchSchema, n, func(i int64, r ds.Record) error {
		r[0], r[1], r[2] = ds.Int(i), ds.Int(i%1000), ds.Int(i*1_000_003)
		r[3], r[4], r[5] = names[i%pool], notes[(i*13)%pool], amounts[(i*31)%pool]
		r[6], r[7] = ds.Float(float64(i)/7), ds.Int(i%2)
		r[8] = ds.TimestampValue(ds.TimestampFromMicros(1_700_000_000_000_000+i*1_000_001, false))
		r[9] = ds.DateValue(ds.DateFromDays(19000 + i%2000))
		if c := i % 10; c > 0 {
			r[c] = ds.Null()
		}
		return nil
	})
}

func benchEnv(b *testing.B) (string, *sql.DB) {
	dsn := testdb.MySQL(b)
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return dsn, db
}

func runBench(b *testing.B, src ds.Source, dst ds.Sink, rows int64, reset func()) {
	p, err := ds.NewPipeline(src, dst)
	if err != nil {
		b.Fatal(err)
	}
	var before, after runtime.MemStats
	total := 0.0
	for b.Loop() {
		b.StopTimer()
		reset()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		res, err := p.Run(context.Background())
		b.StopTimer()
		runtime.ReadMemStats(&after)
		b.StartTimer()
		if err != nil || res.RecordsWritten != rows {
			b.Fatalf("%v: %v", res, err)
		}
		total += float64(after.Mallocs - before.Mallocs)
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(total/float64(rows)/float64(b.N), "allocs/row")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkRead reads the table into a discarding sink.
func BenchmarkRead(b *testing.B) {
	dsn, db := benchEnv(b)
	if _, err := db.Exec("CREATE TABLE t " + benchDDL); err != nil {
		b.Fatal(err)
	}
	load, err := mysql.NewSink(mysql.SinkConfig{DSN: dsn, Table: "t"})
	if err != nil {
		b.Fatal(err)
	}
	defer load.Close()
	p, _ := ds.NewPipeline(benchSource(benchRows), load)
	if _, err := p.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	src, err := mysql.NewSource(mysql.SourceConfig{DSN: dsn, Table: "t"})
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	runBench(b, src, sink.Discard(), benchRows, func() {})
}

// BenchmarkWrite writes generated rows into the table with LOAD DATA.
func BenchmarkWrite(b *testing.B) {
	dsn, db := benchEnv(b)
	if _, err := db.Exec("CREATE TABLE t " + benchDDL); err != nil {
		b.Fatal(err)
	}
	dst, err := mysql.NewSink(mysql.SinkConfig{DSN: dsn, Table: "t"})
	if err != nil {
		b.Fatal(err)
	}
	defer dst.Close()
	runBench(b, benchSource(benchRows), dst, benchRows, func() {
		if _, err := db.Exec("TRUNCATE TABLE t"); err != nil {
			b.Fatal(err)
		}
	})
}
