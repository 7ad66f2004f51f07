package textcodec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/text"
)

// tenColumns is the benchmark table of the core (bench_test.go): the mix of
// types a business table has, with about 10% NULLs.
var tenColumns = datasync.Schema{
	{Name: "id", Kind: datasync.KindInt},
	{Name: "qty", Kind: datasync.KindInt},
	{Name: "big", Kind: datasync.KindInt},
	{Name: "name", Kind: datasync.KindString},
	{Name: "note", Kind: datasync.KindString},
	{Name: "amount", Kind: datasync.KindDecimal},
	{Name: "score", Kind: datasync.KindFloat},
	{Name: "active", Kind: datasync.KindBool},
	{Name: "created", Kind: datasync.KindTimestamp},
	{Name: "day", Kind: datasync.KindDate},
}

// TenColumnRow fills r with row i of the benchmark table.
func tenColumnRow(i int64, r datasync.Record, names, notes, amounts []datasync.Value) {
	const base = 1704067200000000 // 2024-01-01
	r[0] = datasync.Int(i)
	r[1] = datasync.Int(i % 1000)
	r[2] = datasync.Int(i * 1_000_003)
	r[3] = names[i%int64(len(names))]
	r[4] = notes[(i*13)%int64(len(notes))]
	r[5] = amounts[(i*31)%int64(len(amounts))]
	r[6] = datasync.Float(float64(i) / 7)
	r[7] = datasync.Bool(i%2 == 0)
	r[8] = datasync.TimestampValue(datasync.TimestampFromMicros(base+i*1_000_001, true))
	r[9] = datasync.DateValue(datasync.DateFromDays(19000 + i%2000))
	if k := i % 10; k != 0 {
		r[k] = datasync.Null()
	}
}

func tenColumnPools() (names, notes, amounts []datasync.Value) {
	for i := range 1024 {
		names = append(names, datasync.String(fmt.Sprintf("customer-%06d", i*7919%1000003)))
		notes = append(notes, datasync.String(strings.Repeat(fmt.Sprintf("note %d; ", i), 20)[:100]))
		amounts = append(amounts, must(datasync.Decimal(fmt.Sprintf("%d.%04d", i*37, i%10000))))
	}
	return
}

// tenColumnCSV returns rows of the benchmark table as csv.
func tenColumnCSV(t testing.TB, rows int64) []byte {
	ws, err := CompileWrite(text.WriteOptions{})
	require.NoError(t, err)
	enc := ws.NewEncoder(nil)
	names, notes, amounts := tenColumnPools()
	r := make(datasync.Record, len(tenColumns))
	var out []byte
	for i := range rows {
		tenColumnRow(i, r, names, notes, amounts)
		out, _, err = enc.AppendRow(out, r)
		require.NoError(t, err)
	}
	return out
}

// repeatReader returns data over and over.
type repeatReader struct {
	data []byte
	pos  int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	n := copy(p, r.data[r.pos:])
	r.pos = (r.pos + n) % len(r.data)
	return n, nil
}

func TestDecodeAllocatesNothingPerRow(t *testing.T) {
	data := tenColumnCSV(t, 2000)
	rs := compileRead(t, text.ReadOptions{Column: columnsFor(tenColumns, false)})
	_, err := rs.Resolve(nil)
	require.NoError(t, err)
	d, err := rs.NewDecoder(&repeatReader{data: data}, DecoderConfig{Name: "bench"})
	require.NoError(t, err)
	b := datasync.NewBatch(tenColumns, 1000, 64<<20)
	read := func() {
		b.Reset()
		if err := d.Read(b); err != nil {
			t.Fatal(err)
		}
		if b.Len() != 1000 {
			t.Fatalf("read %d rows", b.Len())
		}
	}
	for range 5 {
		read() // grow the arena
	}
	allocs := testing.AllocsPerRun(50, read)
	require.Zero(t, allocs, "allocations per batch of 1000 rows")
}

func TestEncodeAllocatesNothingPerRow(t *testing.T) {
	for _, format := range []string{"csv", "text", "jsonl"} {
		ws, err := CompileWrite(text.WriteOptions{Format: text.Format{FileFormat: text.FileFormat(format)}})
		require.NoError(t, err)
		enc := ws.NewEncoder(tenColumns.Names())
		names, notes, amounts := tenColumnPools()
		r := make(datasync.Record, len(tenColumns))
		buf := make([]byte, 0, 1<<20)
		var i int64
		allocs := testing.AllocsPerRun(1000, func() {
			tenColumnRow(i, r, names, notes, amounts)
			i++
			buf, _, err = enc.AppendRow(buf[:0], r)
		})
		require.NoError(t, err)
		require.Zero(t, allocs, "%s: allocations per row", format)
	}
}

// BenchmarkDecode parses the benchmark table, reporting MB/s of text and
// allocations per 1000-row batch.
func BenchmarkDecode(b *testing.B) {
	for _, format := range []string{"csv", "text", "jsonl"} {
		b.Run(format, func(b *testing.B) {
			ws, err := CompileWrite(text.WriteOptions{Format: text.Format{FileFormat: text.FileFormat(format)}})
			require.NoError(b, err)
			names, notes, amounts := tenColumnPools()
			enc := ws.NewEncoder(tenColumns.Names())
			r := make(datasync.Record, len(tenColumns))
			var data []byte
			for i := range int64(20000) {
				tenColumnRow(i, r, names, notes, amounts)
				data, _, _ = enc.AppendRow(data, r)
			}
			rs := compileRead(b, text.ReadOptions{Format: text.Format{FileFormat: text.FileFormat(format)}, Column: columnsFor(tenColumns, format == "jsonl")})
			_, err = rs.Resolve(nil)
			require.NoError(b, err)
			batch := datasync.NewBatch(tenColumns, 1000, 64<<20)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			rows := 0
			start := time.Now()
			for b.Loop() {
				d, _ := rs.NewDecoder(bytes.NewReader(data), DecoderConfig{Name: "bench"})
				for {
					batch.Reset()
					err := d.Read(batch)
					rows += batch.Len()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
		})
	}
}

// BenchmarkEncode writes the benchmark table.
func BenchmarkEncode(b *testing.B) {
	for _, format := range []string{"csv", "text", "jsonl"} {
		b.Run(format, func(b *testing.B) {
			ws, err := CompileWrite(text.WriteOptions{Format: text.Format{FileFormat: text.FileFormat(format)}})
			require.NoError(b, err)
			names, notes, amounts := tenColumnPools()
			enc := ws.NewEncoder(tenColumns.Names())
			r := make(datasync.Record, len(tenColumns))
			buf := make([]byte, 0, 1<<20)
			var i int64
			var n int64
			b.ReportAllocs()
			for b.Loop() {
				tenColumnRow(i, r, names, notes, amounts)
				i++
				buf, _, _ = enc.AppendRow(buf[:0], r)
				n += int64(len(buf))
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds()/1e6, "MB/s")
		})
	}
}

var _ = context.Background
