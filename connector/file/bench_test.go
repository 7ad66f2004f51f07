package file_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/file"
	"github.com/datasync-go/datasync/connector/internal/texttest"
	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/sink"
)

// benchRows is the size of the benchmark table: DATASYNC_BENCH_ROWS rows,
// 200,000 (about 38 MB of csv) by default; 5,400,000 make about 1 GB.
func benchRows(b *testing.B) int64 {
	if s := os.Getenv("DATASYNC_BENCH_ROWS"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			b.Fatalf("DATASYNC_BENCH_ROWS: %v", err)
		}
		return n
	}
	return 200_000
}

// writeTable writes the benchmark table as csv files in dir and returns
// their total size.
func writeTable(b *testing.B, dir string, rows int64, parallelism int) int64 {
	dst, err := file.NewSink(file.SinkConfig{Path: dir, FileName: "t", WriteMode: "truncate", WriteOptions: text.WriteOptions{WriteHeader: true}})
	if err != nil {
		b.Fatal(err)
	}
	p, err := datasync.NewPipeline(texttest.TenColumnSource(rows, parallelism), dst, datasync.WithParallelism(parallelism))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := p.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	var size int64
	names, _ := filepath.Glob(filepath.Join(dir, "t_*"))
	for _, n := range names {
		info, err := os.Stat(n)
		if err != nil {
			b.Fatal(err)
		}
		size += info.Size()
	}
	return size
}

// BenchmarkCSVWrite writes the ten-column benchmark table (generated in
// memory) to csv files: MB/s of csv written.
func BenchmarkCSVWrite(b *testing.B) {
	rows := benchRows(b)
	for _, par := range []int{1, 2} {
		b.Run("parallelism="+strconv.Itoa(par), func(b *testing.B) {
			dir := b.TempDir()
			var size int64
			for b.Loop() {
				size = writeTable(b, dir, rows, par)
			}
			b.SetBytes(size)
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkCSVParse reads one csv file of the benchmark table into a
// discarding sink (file -> discard): MB/s of csv parsed into typed values.
// With parallelism 2 the file is read in 64 MiB byte ranges
// (NoQuotedNewlines).
func BenchmarkCSVParse(b *testing.B) {
	rows := benchRows(b)
	dir := b.TempDir()
	if d := os.Getenv("DATASYNC_BENCH_DIR"); d != "" {
		dir = d
	}
	size := writeTable(b, dir, rows, 1)
	cols := make([]text.ColumnSpec, len(texttest.TenColumns))
	for i, c := range texttest.TenColumns {
		cols[i] = text.ColumnNamed(c.Name, c.Kind)
	}
	for _, par := range []int{1, 2} {
		b.Run("parallelism="+strconv.Itoa(par), func(b *testing.B) {
			src, err := file.NewSource(file.SourceConfig{Path: []string{filepath.Join(dir, "t_*")},
				ReadOptions: text.ReadOptions{SkipHeader: true, NoQuotedNewlines: par > 1, Column: cols}})
			if err != nil {
				b.Fatal(err)
			}
			discard := sink.Discard()
			p, err := datasync.NewPipeline(src, discard, datasync.WithParallelism(par))
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(size)
			for b.Loop() {
				res, err := p.Run(context.Background())
				if err != nil || res.RecordsWritten != rows {
					b.Fatalf("%v: %v", res, err)
				}
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
