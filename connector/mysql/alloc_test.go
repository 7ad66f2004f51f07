package mysql

import (
	"io"
	"strings"
	"testing"

	"github.com/datasync-go/datasync"
)

// The hot paths, per row: decoding the driver's values into a batch, and
// encoding a batch's values for LOAD DATA and for INSERT. They must not
// allocate once their buffers have grown.

// tenColumns is the benchmark table of the performance section.
var tenColumns = []column{
	{name: "id", dataType: "bigint", columnType: "bigint(20)"},
	{name: "qty", dataType: "int", columnType: "int(11)", nullable: true},
	{name: "big", dataType: "bigint", columnType: "bigint(20)", nullable: true},
	{name: "name", dataType: "varchar", columnType: "varchar(64)", charLen: 64, octetLen: 256, charset: "utf8mb4", nullable: true},
	{name: "note", dataType: "text", columnType: "text", charLen: 65535, octetLen: 65535, charset: "utf8mb4", nullable: true},
	{name: "amount", dataType: "decimal", columnType: "decimal(18,4)", precision: 18, scale: 4, nullable: true},
	{name: "score", dataType: "double", columnType: "double", nullable: true},
	{name: "active", dataType: "tinyint", columnType: "tinyint(1)", nullable: true},
	{name: "created", dataType: "datetime", columnType: "datetime(6)", fsp: 6, nullable: true},
	{name: "day", dataType: "date", columnType: "date", nullable: true},
}

// driverRow is what go-sql-driver/mysql hands database/sql for one row of
// tenColumns in the text protocol.
func driverRow(i int64) []any {
	return []any{
		i, i % 1000, i * 1_000_003, []byte("customer-000123"), []byte(strings.Repeat("n", 100)),
		[]byte("12345.6789"), 0.1 * float64(i), int64(i % 2), []byte("2024-05-06 07:08:09.123456"), []byte("2024-05-06"),
	}
}

func newTenColumnDecoder() (*rowDecoder, datasync.Schema) {
	cfg := &SourceConfig{TinyIntAsBool: true}
	var cols []srcColumn
	var schema datasync.Schema
	for _, c := range tenColumns {
		sc := tableColumn(c, cfg, true)
		cols = append(cols, sc)
		schema = append(schema, sc.col)
	}
	return newRowDecoder(cols, []int{0}, false), schema
}

func decodeRows(d *rowDecoder, b *datasync.Batch, rows [][]any) {
	b.Reset()
	d.b = b
	for _, row := range rows {
		d.rec, d.bad = b.Append(), nil
		for i, v := range row {
			_ = d.targets[i].(*valueScanner).Scan(v)
		}
	}
}

func TestDecodeDoesNotAllocate(t *testing.T) {
	d, schema := newTenColumnDecoder()
	b := datasync.NewBatch(schema, 1024, 1<<24)
	rows := make([][]any, 1024)
	for i := range rows {
		rows[i] = driverRow(int64(i))
	}
	decodeRows(d, b, rows) // grow the arena
	if d.bad != nil {
		t.Fatal(d.bad)
	}
	if got := b.Row(7); got[0] != datasync.Int(7) || got[7] != datasync.Bool(true) || got[8].String() != "2024-05-06 07:08:09.123456" {
		t.Fatalf("decoded %v", got)
	}
	if allocs := testing.AllocsPerRun(10, func() { decodeRows(d, b, rows) }); allocs != 0 {
		t.Errorf("decoding 1024 rows allocates %v times", allocs)
	}
}

func BenchmarkDecodeRow(b *testing.B) {
	d, schema := newTenColumnDecoder()
	batch := datasync.NewBatch(schema, 1024, 1<<24)
	rows := make([][]any, 1024)
	for i := range rows {
		rows[i] = driverRow(int64(i))
	}
	b.ReportAllocs()
	for b.Loop() {
		decodeRows(d, batch, rows)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rows)), "ns/row")
}

// tenColumnBatch returns a batch of n rows of tenColumns, a tenth NULL.
func tenColumnBatch(n int) (*datasync.Batch, []target) {
	d, schema := newTenColumnDecoder()
	b := datasync.NewBatch(schema, n, 1<<26)
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = driverRow(int64(i))
		if i%10 == 3 {
			for j := 1; j < len(rows[i]); j++ {
				rows[i][j] = nil
			}
		}
	}
	decodeRows(d, b, rows)
	var targets []target
	for _, c := range tenColumns {
		targets = append(targets, newTarget(c, serverInfo{}))
	}
	return b, targets
}

func encodeLoad(s *loadStream, b *datasync.Batch, p *sinkPlan, enc *encoder, buf []byte) int {
	s.reset(b, p, enc)
	total := 0
	for {
		n, err := s.Read(buf)
		total += n
		if err == io.EOF {
			return total
		}
	}
}

func TestEncodeDoesNotAllocate(t *testing.T) {
	b, targets := tenColumnBatch(1024)
	p := &sinkPlan{targets: targets}
	var s loadStream
	var enc encoder
	buf := make([]byte, 16<<10)
	if n := encodeLoad(&s, b, p, &enc, buf); n < 1024*100 || len(s.rejected) > 0 {
		t.Fatalf("encoded %d bytes, rejected %v", n, s.rejected)
	}
	if allocs := testing.AllocsPerRun(10, func() { encodeLoad(&s, b, p, &enc, buf) }); allocs != 0 {
		t.Errorf("encoding 1024 rows for LOAD DATA allocates %v times", allocs)
	}
	var stmt []byte
	sqlRows := func() {
		stmt = stmt[:0]
		for i := range b.Len() {
			var err error
			if stmt, _, err = enc.appendSQLRow(stmt, b.Row(i), targets); err != nil {
				t.Fatal(err)
			}
		}
	}
	sqlRows()
	if allocs := testing.AllocsPerRun(10, sqlRows); allocs != 0 {
		t.Errorf("encoding 1024 rows for INSERT allocates %v times", allocs)
	}
}

func BenchmarkEncodeLoadRow(b *testing.B) {
	batch, targets := tenColumnBatch(1024)
	p := &sinkPlan{targets: targets}
	var s loadStream
	var enc encoder
	buf := make([]byte, 16<<10)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = encodeLoad(&s, batch, p, &enc, buf)
	}
	b.SetBytes(int64(n))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batch.Len()), "ns/row")
}

func BenchmarkEncodeInsertRow(b *testing.B) {
	batch, targets := tenColumnBatch(1024)
	var enc encoder
	var stmt []byte
	b.ReportAllocs()
	for b.Loop() {
		stmt = stmt[:0]
		for i := range batch.Len() {
			stmt, _, _ = enc.appendSQLRow(stmt, batch.Row(i), targets)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batch.Len()), "ns/row")
}

// passRows encodes rows as the pass-through does, appending the lines to
// out as encoded.Append would copy them.
func passRows(d *rowDecoder, out []byte, rows [][]any) []byte {
	d.encoded = true
	out = out[:0]
	for _, row := range rows {
		d.line, d.size, d.bad = d.line[:0], 0, nil
		for i, v := range row {
			_ = d.targets[i].(*valueScanner).Scan(v)
		}
		d.line = append(d.line, '\n')
		out = append(out, d.line...)
	}
	return out
}

func TestPassThroughDoesNotAllocate(t *testing.T) {
	d, schema := newTenColumnDecoder()
	d.cols[7].dec = decInt // no TinyIntAsBool on this path
	rows := make([][]any, 1024)
	for i := range rows {
		rows[i] = driverRow(int64(i))
	}
	out := passRows(d, nil, rows)
	if allocs := testing.AllocsPerRun(10, func() { out = passRows(d, out, rows) }); allocs != 0 {
		t.Errorf("encoding 1024 rows for the pass-through allocates %v times", allocs)
	}
	// The lines decode back to the values the value path reads.
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	b := datasync.NewBatch(schema, 1, 1<<20)
	dec := lineDecoder(d.cols)
	want, _ := newTenColumnDecoder()
	wb := datasync.NewBatch(schema, 1, 1<<20)
	for i, line := range lines {
		b.Reset()
		if err := dec([]byte(line), b.Append(), b); err != nil {
			t.Fatal(err)
		}
		want.cols[7].dec = decInt
		decodeRows(want, wb, rows[i:i+1])
		if !b.Row(0).Equal(wb.Row(0)) {
			t.Fatalf("line %d decodes to %v, want %v", i, b.Row(0), wb.Row(0))
		}
	}
}

func BenchmarkPassThroughRow(b *testing.B) {
	d, _ := newTenColumnDecoder()
	d.cols[7].dec = decInt
	rows := make([][]any, 1024)
	for i := range rows {
		rows[i] = driverRow(int64(i))
	}
	var out []byte
	b.ReportAllocs()
	for b.Loop() {
		out = passRows(d, out, rows)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rows)), "ns/row")
}
