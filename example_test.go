package datasync_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

// A pipeline from a generated source to an in-memory sink, four splits at a
// time.
func Example() {
	schema := datasync.Schema{
		{Name: "id", Kind: datasync.KindInt, Key: 1},
		{Name: "email", Kind: datasync.KindString},
	}
	src := source.Generate(schema, 10_000, func(i int64, r datasync.Record) error {
		r[0] = datasync.Int(i)
		r[1] = datasync.String(fmt.Sprintf("user%d@example.com", i))
		return nil
	})
	dst := sink.Collect()

	p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(4))
	if err != nil {
		log.Fatal(err)
	}
	res, err := p.Run(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.RecordsRead, "read,", res.RecordsWritten, "written,", len(res.Splits), "splits")
	fmt.Println(dst.Len(), "records collected")
	// Output:
	// 10000 read, 10000 written, 16 splits
	// 10000 records collected
}

// lineSource is a custom Source: "id,name" lines held in memory, read as one
// split. A line that does not parse is reported as dirty data.
type lineSource struct{ lines []string }

func (s lineSource) Schema(context.Context) (datasync.Schema, error) {
	return datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "name", Kind: datasync.KindString}}, nil
}

func (s lineSource) Plan(context.Context, datasync.PlanHint) ([]datasync.Split, error) {
	return []datasync.Split{{ID: "lines", Rows: int64(len(s.lines))}}, nil
}

func (s lineSource) Open(_ context.Context, _ datasync.Split, from datasync.Checkpoint) (datasync.Reader, error) {
	next := 0
	if from != nil {
		n, err := strconv.Atoi(string(from)) // our own checkpoint format: the next line's index
		if err != nil {
			return nil, fmt.Errorf("bad checkpoint %q", from)
		}
		next = n
	}
	return &lineReader{lines: s.lines, next: next}, nil
}

type lineReader struct {
	lines []string
	next  int
}

func (r *lineReader) Read(_ context.Context, b *datasync.Batch) error {
	var dirty []*datasync.RowError
	for r.next < len(r.lines) && !b.Full() {
		line := r.lines[r.next]
		r.next++
		idText, name, _ := strings.Cut(line, ",")
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil {
			dirty = append(dirty, &datasync.RowError{Row: int64(r.next), Column: "id", Value: line, Err: err})
			continue
		}
		rec := b.Append()
		rec[0] = datasync.Int(id)
		rec[1] = datasync.String(name)
	}
	if len(dirty) > 0 {
		return &datasync.RowErrors{Errors: dirty}
	}
	if r.next == len(r.lines) {
		return io.EOF
	}
	return nil
}

func (r *lineReader) Checkpoint() datasync.Checkpoint {
	return datasync.Checkpoint(strconv.Itoa(r.next))
}

func (r *lineReader) Close() error { return nil }

// A custom source: implement Schema, Plan and Open, and a Reader that fills
// batches, reports undecodable rows as *RowErrors and knows its checkpoint.
func Example_customSource() {
	src := lineSource{lines: []string{"1,ada", "2,grace", "three,barbara", "4,edsger"}}
	dst := sink.Collect()
	p, err := datasync.NewPipeline(src, dst, datasync.WithDirtyPolicy(datasync.DirtyPolicy{
		MaxRecords: 10,
		Collector: datasync.DirtyFunc(func(_ context.Context, d datasync.DirtyRecord) error {
			fmt.Printf("dirty line %d: %q: %v\n", d.Row, d.Value, d.Err)
			return nil
		}),
	}))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := p.Run(context.Background()); err != nil {
		log.Fatal(err)
	}
	for _, r := range dst.Records() {
		fmt.Println(r)
	}
	// Output:
	// dirty line 3: "three,barbara": strconv.ParseInt: parsing "three": invalid syntax
	// (1, ada)
	// (2, grace)
	// (4, edsger)
}

// textSink is a custom Sink: it prints records as key=value lines. Its
// writers buffer, and Flush is where the buffer reaches the output.
type textSink struct{ out io.Writer }

func (s textSink) Prepare(_ context.Context, schema datasync.Schema) error {
	if schema.Index("id") < 0 {
		return errors.New(`textSink needs an "id" column`)
	}
	return nil
}

func (s textSink) Open(context.Context, datasync.Split) (datasync.Writer, error) {
	return &textWriter{buf: bufio.NewWriter(s.out)}, nil
}

type textWriter struct{ buf *bufio.Writer }

func (w *textWriter) Write(_ context.Context, b *datasync.Batch) error {
	schema := b.Schema()
	line := make([]byte, 0, 64)
	for i := range b.Len() {
		line = line[:0]
		for c, v := range b.Row(i) {
			if c > 0 {
				line = append(line, ' ')
			}
			line = append(line, schema[c].Name...)
			line = append(line, '=')
			line = v.AppendTo(line) // the text form, without allocating
		}
		line = append(line, '\n')
		if _, err := w.buf.Write(line); err != nil {
			return err
		}
	}
	return nil
}

func (w *textWriter) Flush(context.Context) error { return w.buf.Flush() }
func (w *textWriter) Close() error                { return nil }

// A custom sink: Prepare checks the schema once per job; writers must not
// keep the batch, and make their output durable in Flush.
func Example_customSink() {
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "paid", Kind: datasync.KindDecimal}}
	amount, _ := datasync.Decimal("12.50")
	src := source.FromRecords(schema, []datasync.Record{
		{datasync.Int(1), amount},
		{datasync.Int(2), datasync.Null()},
	})
	p, err := datasync.NewPipeline(src, textSink{out: os.Stdout}, datasync.WithParallelism(1))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := p.Run(context.Background()); err != nil {
		log.Fatal(err)
	}
	// Output:
	// id=1 paid=12.50
	// id=2 paid=
}

// Rate limits apply to the whole job, however many workers share it: 2,000
// records at 10,000 records/s take at least 0.2s with four workers as with
// one.
func ExampleWithRateLimit() {
	schema := datasync.Schema{{Name: "n", Kind: datasync.KindInt}}
	src := source.Generate(schema, 2000, func(i int64, r datasync.Record) error {
		r[0] = datasync.Int(i)
		return nil
	})
	p, err := datasync.NewPipeline(src, sink.Discard(),
		datasync.WithParallelism(4),
		datasync.WithRateLimit(datasync.Rate{RecordsPerSec: 10_000, BytesPerSec: 8 << 20}),
	)
	if err != nil {
		log.Fatal(err)
	}
	res, err := p.Run(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.RecordsWritten, "records; at least 0.2s:", res.Elapsed >= 200*time.Millisecond)
	// Output: 2000 records; at least 0.2s: true
}

// A dirty-data policy: up to 5 dirty records are tolerated, and each one is
// written as a line of JSON (here to standard output; usually to a file, a
// table through DirtyToSink, or a function).
func ExampleWithDirtyPolicy() {
	schema := datasync.Schema{{Name: "sku", Kind: datasync.KindString}, {Name: "qty", Kind: datasync.KindString}}
	src := source.FromRecords(schema, []datasync.Record{
		{datasync.String("A-1"), datasync.String("3")},
		{datasync.String("A-2"), datasync.String("three")},
		{datasync.String("A-3"), datasync.String("5")},
	}, source.Splits(1))
	// A sink that needs qty as an integer rejects what does not convert.
	dst := sink.Collect(sink.RejectIf(func(r datasync.Record) error {
		if _, err := r[1].AsInt(); err != nil {
			return &datasync.RowError{Column: "qty", Err: err}
		}
		return nil
	}))
	p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(1),
		datasync.WithDirtyPolicy(datasync.DirtyPolicy{
			MaxRecords: 5,
			Collector:  datasync.DirtyToJSONLines(os.Stdout),
		}))
	if err != nil {
		log.Fatal(err)
	}
	res, err := p.Run(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.RecordsWritten, "written,", res.RecordsDirty, "dirty")
	// Output:
	// {"split":"records-0","stage":"convert","row":2,"column":"qty","value":"three","reason":"cannot convert String \"three\" to Int: not a decimal number","record":{"sku":"A-2","qty":"three"}}
	// 2 written, 1 dirty
}

// Conversions either give the exact value or an error.
func ExampleValue_Convert() {
	for _, v := range []datasync.Value{datasync.String("42"), datasync.String("4.2"), datasync.Float(0.1)} {
		n, err := v.Convert(datasync.KindInt)
		fmt.Println(n, err)
	}
	d, _ := datasync.Float(0.1).Convert(datasync.KindDecimal)
	fmt.Println(d)
	// Output:
	// 42 <nil>
	// NULL cannot convert String "4.2" to Int: has a fractional part
	// NULL cannot convert Float "0.1" to Int: has a fractional part
	// 0.1
}
