package postgres

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
)

// BenchmarkTupleStream feeds a binary COPY stream of 1,000 rows to
// tupleStream, in the 64 KiB messages pgconn hands it, appending the rows
// to an encoded batch: the CPU a pass-through COPY page costs the reader
// apart from the server and the wire. It reports ns/row.
func BenchmarkTupleStream(b *testing.B) {
	const rows = 1000
	src := newDB(b)
	src.exec(`CREATE TABLE t (id int PRIMARY KEY, v text, n numeric)`,
		sprintf(`INSERT INTO t SELECT i, CASE WHEN i %% 3 = 0 THEN NULL ELSE repeat('a', i %% 40) END, i * 1.5 FROM generate_series(1, %d) i`, rows))
	s := newSource(b, SourceConfig{DSN: src.dsn, Table: "t"})
	ctx := context.Background()
	m, err := s.metadata(ctx)
	require.NoError(b, err)
	conn, err := s.conns.acquire(ctx)
	require.NoError(b, err)
	var stream bytes.Buffer
	_, err = conn.Conn().PgConn().CopyTo(ctx, &stream, "COPY ("+m.query+" ORDER BY id) TO STDOUT (FORMAT binary)")
	conn.Release()
	require.NoError(b, err)
	all := stream.Bytes()
	var chunks [][]byte
	for len(all) > 0 {
		n := min(len(all), 64<<10)
		chunks = append(chunks, all[:n])
		all = all[n:]
	}

	r := &reader{s: s, m: m, keyAt: []int{0}}
	ts := &tupleStream{}
	sink := &collectSink{encoding: m.encoding}
	p, err := datasync.NewPipeline(&fillSource{fill: func(batch *datasync.Batch) {
		b.ResetTimer()
		for b.Loop() {
			batch.Reset()
			ts.reset(r, batch)
			for _, c := range chunks {
				ts.Write(c)
			}
			if ts.err != nil || ts.appended != rows {
				b.Fatalf("%d rows appended: %v", ts.appended, ts.err)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
	}}, sink, datasync.WithParallelism(1), datasync.WithBatchSize(rows, 1<<24))
	require.NoError(b, err)
	_, err = p.Run(ctx)
	require.NoError(b, err)
	require.Equal(b, []byte{0, 0, 3, 0xe8}, r.last[0], "the last key kept")
}
