package postgres

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/encoded"
)

// The benchmark table of the issue: bigint key, int, bigint, varchar(64),
// ~100-byte text, numeric(18,4), double precision, boolean, timestamp(6),
// date, with about 10% NULLs.
var (
	benchSchema = datasync.Schema{
		{Name: "id", Kind: datasync.KindInt, Key: 1},
		{Name: "qty", Kind: datasync.KindInt, Nullable: true},
		{Name: "big", Kind: datasync.KindInt, Nullable: true},
		{Name: "name", Kind: datasync.KindString, Length: 64, Nullable: true},
		{Name: "note", Kind: datasync.KindString, Nullable: true},
		{Name: "amount", Kind: datasync.KindDecimal, Precision: 18, Scale: 4, Nullable: true},
		{Name: "score", Kind: datasync.KindFloat, Nullable: true},
		{Name: "active", Kind: datasync.KindBool, Nullable: true},
		{Name: "created", Kind: datasync.KindTimestamp, Precision: 6, Nullable: true},
		{Name: "day", Kind: datasync.KindDate, Nullable: true},
	}
	benchTypes = []*pgType{
		{oid: oidInt8, typmod: -1, name: "bigint", class: classInt8},
		{oid: oidInt4, typmod: -1, name: "integer", class: classInt4},
		{oid: oidInt8, typmod: -1, name: "bigint", class: classInt8},
		{oid: oidVarchar, typmod: 64 + 4, name: "character varying(64)", class: classText},
		{oid: oidText, typmod: -1, name: "text", class: classText},
		{oid: oidNumeric, typmod: 18<<16 | 4 + 4, name: "numeric(18,4)", class: classNumeric},
		{oid: oidFloat8, typmod: -1, name: "double precision", class: classFloat8},
		{oid: oidBool, typmod: -1, name: "boolean", class: classBool},
		{oid: oidTimestamp, typmod: 6, name: "timestamp(6) without time zone", class: classTimestamp},
		{oid: oidDate, typmod: -1, name: "date", class: classDate},
	}
)

// benchBatch returns a full batch of the benchmark table.
func benchBatch(rows int) *datasync.Batch {
	b := datasync.NewBatch(benchSchema, rows, 1<<30)
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		r := b.Append()
		r[0] = datasync.Int(int64(i))
		r[1] = datasync.Int(int64(i % 1000))
		r[2] = datasync.Int(int64(i) * 1_000_003)
		r[3] = b.CopyString(fmt.Appendf(nil, "customer-%06d", i*7919%1000003))
		r[4] = b.CopyString([]byte(strings.Repeat(fmt.Sprintf("note %d; ", i), 20)[:100]))
		r[5], _ = b.CopyDecimal(fmt.Appendf(nil, "%d.%04d", i*37, i%10000))
		r[6] = datasync.Float(float64(i) / 7)
		r[7] = datasync.Bool(i%2 == 0)
		r[8] = datasync.WallClock(base.Add(time.Duration(i) * 1234567 * time.Microsecond))
		r[9] = datasync.DateValue(datasync.DateOf(2024, 1, 1+i%365))
		if i%10 == 3 { // about 10% NULLs
			r[1+i%9] = datasync.Null()
		}
	}
	return b
}

func benchWriter(mode WriteMode) *writer {
	cols := make([]*relColumn, len(benchTypes))
	for i, t := range benchTypes {
		cols[i] = &relColumn{name: benchSchema[i].Name, typ: t}
	}
	return &writer{s: &Sink{set: sinkSettings{mode: mode}}, plan: &writePlan{cols: cols}, schema: benchSchema}
}

// encodeBatch encodes b as the writer does for a COPY and streams it
// through the COPY reader.
func encodeBatch(w *writer, b *datasync.Batch, sink []byte) error {
	w.rejects = w.rejects[:0]
	w.rows.dropFirst(len(w.rows.spans))
	w.batch, w.batchSeq, w.batchFirst, w.batchStart = b, 0, 0, 0
	f, err := w.encode(b)
	if err != nil {
		return err
	}
	w.indexes = w.indexes[:0]
	for k := range w.rows.spans {
		w.indexes = append(w.indexes, k)
	}
	w.src.reset(w, f, w.indexes)
	for {
		if _, err := w.src.Read(sink); err == io.EOF {
			break
		} else if err != nil {
			return err
		}
	}
	return nil
}

// rowFields splits binary COPY tuples into their fields, as the server sends
// them in DataRow messages.
func rowFields(w *writer) [][][]byte {
	var rows [][][]byte
	for k := range w.rows.spans {
		row := w.rows.row(k)
		n := int(binary.BigEndian.Uint16(row))
		p := 2
		fields := make([][]byte, n)
		for j := range n {
			l := int(int32(binary.BigEndian.Uint32(row[p:])))
			p += 4
			if l >= 0 {
				fields[j] = row[p : p+l]
				p += l
			}
		}
		rows = append(rows, fields)
	}
	return rows
}

func benchReader() *reader {
	m := &sourceMeta{types: benchTypes, schema: benchSchema, encoding: encodingName(benchTypes), decoder: tupleDecoder(benchTypes)}
	return &reader{m: m}
}

func decodeRows(r *reader, b *datasync.Batch, rows [][][]byte) {
	b.Reset()
	for _, f := range rows {
		r.append(b, f)
	}
}

// TestHotPathsDoNotAllocate proves that encoding a batch for COPY, and
// decoding rows into a batch (as values or pass-through tuples), allocate
// nothing per row once their buffers have grown.
func TestHotPathsDoNotAllocate(t *testing.T) {
	const rows = 2048
	b := benchBatch(rows)
	sink := make([]byte, 64<<10)
	for _, mode := range []WriteMode{WriteInsert, WriteUpsert} {
		w := benchWriter(mode)
		require.NoError(t, encodeBatch(w, b, sink))
		require.Empty(t, w.rejects)
		require.Len(t, w.rows.spans, rows)
		allocs := testing.AllocsPerRun(5, func() { _ = encodeBatch(w, b, sink) })
		require.Zero(t, allocs, "COPY encoding (%s) allocates %v times per batch of %d rows", mode, allocs, rows)
	}

	fields := rowFields(benchWriter(WriteInsert).withEncoded(t, b))
	r := benchReader()
	dst := datasync.NewBatch(benchSchema, rows, 1<<30)
	decodeRows(r, dst, fields)
	require.Equal(t, rows, dst.Len())
	for i := range rows {
		require.True(t, b.Row(i).Equal(dst.Row(i)), "row %d decodes to what was encoded: %v, %v", i, b.Row(i), dst.Row(i))
	}
	allocs := testing.AllocsPerRun(5, func() { decodeRows(r, dst, fields) })
	require.Zero(t, allocs, "decoding allocates %v times per batch of %d rows", allocs, rows)

	// Pass-through: rows stay binary tuples, through a whole pipeline (the
	// only way a batch is offered an encoding); what the pipeline itself
	// allocates per batch is shared by 2,048 rows.
	src := &memSource{r: r, fields: fields, batches: 50}
	dstSink := &memSink{encoding: r.m.encoding}
	p, err := datasync.NewPipeline(src, dstSink, datasync.WithBatchSize(rows, 1<<30), datasync.WithParallelism(1))
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	require.Equal(t, int64(50*rows), dstSink.encoded.Load(), "every row passed through")
	allocs = testing.AllocsPerRun(2, func() { _, _ = p.Run(context.Background()) })
	perRow := allocs / (50 * rows)
	require.Less(t, perRow, 0.02, "pass-through allocates %.4f times per row", perRow)
}

// memSource reads the same rows again and again through a reader's append,
// batches times; memSink accepts its encoding and counts the rows.
type memSource struct {
	r       *reader
	fields  [][][]byte
	batches int
}

func (s *memSource) Schema(context.Context) (datasync.Schema, error) { return benchSchema, nil }
func (s *memSource) Plan(context.Context, datasync.PlanHint) ([]datasync.Split, error) {
	return []datasync.Split{{ID: "mem"}}, nil
}
func (s *memSource) Open(context.Context, datasync.Split, datasync.Checkpoint) (datasync.Reader, error) {
	return &memReader{s: s}, nil
}

type memReader struct {
	s    *memSource
	done int
}

func (r *memReader) Read(_ context.Context, b *datasync.Batch) error {
	for _, f := range r.s.fields {
		r.s.r.append(b, f)
	}
	if r.done++; r.done == r.s.batches {
		return io.EOF
	}
	return nil
}
func (r *memReader) Checkpoint() datasync.Checkpoint { return nil }
func (r *memReader) Close() error                    { return nil }

type memSink struct {
	encoding string
	encoded  atomic.Int64
}

func (s *memSink) Prepare(context.Context, datasync.Schema) error { return nil }
func (s *memSink) Open(context.Context, datasync.Split) (datasync.Writer, error) {
	return &memWriter{s: s}, nil
}

type memWriter struct{ s *memSink }

func (w *memWriter) AcceptedEncoding() string { return w.s.encoding }
func (w *memWriter) Write(_ context.Context, b *datasync.Batch) error {
	if encoded.Of(b) == w.s.encoding {
		w.s.encoded.Add(int64(b.Len()))
	}
	return nil
}
func (w *memWriter) Flush(context.Context) error { return nil }
func (w *memWriter) Close() error                { return nil }

func (w *writer) withEncoded(t testing.TB, b *datasync.Batch) *writer {
	require.NoError(t, encodeBatch(w, b, make([]byte, 64<<10)))
	return w
}

func BenchmarkEncodeCOPY(b *testing.B) {
	const rows = 4096
	batch := benchBatch(rows)
	sink := make([]byte, 64<<10)
	for _, mode := range []WriteMode{WriteInsert, WriteUpsert} {
		b.Run(string(mode), func(b *testing.B) {
			w := benchWriter(mode)
			b.ReportAllocs()
			for b.Loop() {
				if err := encodeBatch(w, batch, sink); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	const rows = 4096
	fields := rowFields(benchWriter(WriteInsert).withEncoded(b, benchBatch(rows)))
	r := benchReader()
	b.Run("values", func(b *testing.B) {
		dst := datasync.NewBatch(benchSchema, rows, 1<<30)
		b.ReportAllocs()
		for b.Loop() {
			decodeRows(r, dst, fields)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
	})
	b.Run("pass-through pipeline", func(b *testing.B) {
		src := &memSource{r: r, fields: fields, batches: 25}
		p, err := datasync.NewPipeline(src, &memSink{encoding: r.m.encoding}, datasync.WithBatchSize(rows, 1<<30), datasync.WithParallelism(1))
		require.NoError(b, err)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.Run(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows*25), "ns/row")
	})
}
