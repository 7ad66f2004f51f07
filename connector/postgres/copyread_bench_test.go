package postgres

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
)

// BenchmarkReadPages reads a 100,000-row table of the bench's column mix
// into a sink that drops the rows, passed through (into a sink that accepts
// the encoding), its pages read with COPY and with queries, and as values
// (pages read with queries: decoding from COPY pages was measured 15% more
// CPU per row than from query pages, and is not done).
// Beside the time it reports the process's CPU (user + system, getrusage)
// per row, which a machine shared with the server and other work disturbs
// less. To compare the ways on a busy machine, run them alternately:
//
//	go test -c -o pg.test ./connector/postgres
//	for i in 1 2 3 4 5; do for w in pass/copy pass/query; do
//	  ./pg.test -test.run '^$' -test.bench "ReadPages/$w\$" -test.benchtime 5x; done; done
func BenchmarkReadPages(b *testing.B) {
	const rows = 100_000
	db := newDB(b)
	db.exec(`CREATE TABLE t (id bigint PRIMARY KEY, qty int, big bigint, name varchar(64), note text,
		amount numeric(18,4), score double precision, active boolean, created timestamp(6), day date)`,
		sprintf(`INSERT INTO t SELECT i, i %% 1000, i::bigint * 1000003, 'name ' || i, repeat(md5(i::text), 3),
			i * 1.2345, i / 7.0, i %% 2 = 0, timestamp '2024-01-01' + i * interval '1 second', date '2024-01-01' + i %% 1000
			FROM generate_series(1, %d) i`, rows),
		`VACUUM ANALYZE t`)
	for _, way := range []struct {
		name          string
		disable, pass bool
	}{{"pass/copy", false, true}, {"pass/query", true, true}, {"values", false, false}} {
		b.Run(way.name, func(b *testing.B) {
			disableCopyPages = way.disable
			defer func() { disableCopyPages = false }()
			src := newSource(b, SourceConfig{DSN: db.dsn, Table: "t"})
			var sink memSink
			m, err := src.metadata(context.Background())
			require.NoError(b, err)
			if way.pass {
				sink.encoding = m.encoding
			}
			p, err := datasync.NewPipeline(src, &sink, datasync.WithParallelism(1))
			require.NoError(b, err)
			cpu0 := processCPU()
			b.ResetTimer()
			for range b.N {
				_, err := p.Run(context.Background())
				require.NoError(b, err)
			}
			b.StopTimer()
			if way.pass {
				require.Equal(b, int64(b.N*rows), sink.encoded.Load(), "every row passed through")
			}
			b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N*rows), "cpu-ns/row")
			b.ReportMetric(float64(b.N*rows)/b.Elapsed().Seconds(), "rows/s")
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
