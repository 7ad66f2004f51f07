package mysql_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/sink"
)

// TestRawPages copies a table with keyset pages read from the driver and
// through database/sql, as values and passed through, and with a dirty
// row: every way gives the same target and the same dirty record.
func TestRawPages(t *testing.T) {
	e := newEnv(t)
	e.exec("DROP TABLE IF EXISTS rp_src", "DROP TABLE IF EXISTS rp_dst",
		"CREATE TABLE rp_src "+benchDDL, "CREATE TABLE rp_dst "+benchDDL)
	load := e.sink(mysql.SinkConfig{Table: "rp_src"})
	p, err := ds.NewPipeline(benchSource(5000), load)
	require.NoError(t, err)
	_, err = p.Run(ctx(t))
	require.NoError(t, err)
	e.exec("UPDATE rp_src SET name = 'ab\\tc\\\\d\\ne' WHERE id % 97 = 0")
	want := e.fingerprint("rp_src")

	for _, raw := range []bool{true, false} {
		for _, pass := range []bool{true, false} {
			undo := mysql.SetRawPages(raw)
			e.exec("TRUNCATE rp_dst")
			src := e.source(mysql.SourceConfig{Table: "rp_src"})
			k := e.sink(mysql.SinkConfig{Table: "rp_dst"})
			var dst ds.Sink = k
			if !pass {
				dst = valuesOnly{dst}
			}
			p, err := ds.NewPipeline(src, dst, ds.WithParallelism(2), ds.WithBatchSize(300, 1<<20))
			require.NoError(t, err)
			res, err := p.Run(ctx(t))
			undo()
			require.NoError(t, err, "raw %v, pass-through %v", raw, pass)
			assert.Equal(t, int64(5000), res.RecordsWritten)
			assert.Equal(t, want, e.fingerprint("rp_dst"), "raw %v, pass-through %v", raw, pass)
			assert.Equal(t, pass, mysql.EncodedLoads(k) > 0, "rows passed through: %v", pass)
		}
	}

	// A value that cannot be decoded is a dirty record, named by its key, either way.
	e.exec("DROP TABLE IF EXISTS rp_bad", "CREATE TABLE rp_bad (id int PRIMARY KEY, d date)",
		"SET SESSION sql_mode = ''", "INSERT INTO rp_bad VALUES (1, '2024-01-01'), (2, '0000-00-00'), (3, '2024-01-03')")
	for _, raw := range []bool{true, false} {
		undo := mysql.SetRawPages(raw)
		src := e.source(mysql.SourceConfig{Table: "rp_bad", ZeroDate: mysql.ZeroDateDirty})
		var dirty []ds.DirtyRecord
		p, err := ds.NewPipeline(src, sink.Discard(), ds.WithDirtyPolicy(ds.DirtyPolicy{MaxRecords: 5,
			Collector: ds.DirtyFunc(func(_ context.Context, r ds.DirtyRecord) error { dirty = append(dirty, r); return nil })}))
		require.NoError(t, err)
		res, err := p.Run(ctx(t))
		undo()
		require.NoError(t, err)
		assert.Equal(t, int64(2), res.RecordsWritten, "raw %v", raw)
		require.Len(t, dirty, 1, "raw %v", raw)
		assert.Contains(t, dirty[0].Reason(), "id=2")
	}
}

// BenchmarkPageWays reads the 100,000-row table into a discarding sink with
// keyset pages read from the driver and through database/sql, one after the
// other in each round (-count N interleaves them), reporting the process's
// CPU (user + system) per row beside the time.
func BenchmarkPageWays(b *testing.B) {
	dsn, db := benchEnv(b)
	if _, err := db.Exec("CREATE TABLE t " + benchDDL); err != nil {
		b.Fatal(err)
	}
	load, err := mysql.NewSink(mysql.SinkConfig{DSN: dsn, Table: "t"})
	require.NoError(b, err)
	defer load.Close()
	p, _ := ds.NewPipeline(benchSource(benchRows), load)
	_, err = p.Run(context.Background())
	require.NoError(b, err)
	for _, way := range []struct {
		name string
		raw  bool
	}{{"driver", true}, {"database-sql", false}} {
		b.Run(way.name, func(b *testing.B) {
			defer mysql.SetRawPages(way.raw)()
			src, err := mysql.NewSource(mysql.SourceConfig{DSN: dsn, Table: "t"})
			require.NoError(b, err)
			defer src.Close()
			p, err := ds.NewPipeline(src, sink.Discard(), ds.WithParallelism(1))
			require.NoError(b, err)
			cpu0 := processCPU()
			for b.Loop() {
				res, err := p.Run(context.Background())
				require.NoError(b, err)
				require.Equal(b, int64(benchRows), res.RecordsWritten)
			}
			b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N*benchRows), "cpu-ns/row")
			b.ReportMetric(float64(b.N*benchRows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// processCPU returns the CPU time this process used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// valuesOnly is a Sink whose writers accept no encoding: rows come as values.
type valuesOnly struct{ ds.Sink }

func (s valuesOnly) Open(ctx context.Context, sp ds.Split) (ds.Writer, error) {
	w, err := s.Sink.Open(ctx, sp)
	return struct{ ds.Writer }{w}, err
}
