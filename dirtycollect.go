package datasync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"syscall"
)

// DirtyToJSONLines returns a DirtyCollector that writes each dirty record to
// w as one line of JSON:
//
//	{"split":"orders-3","stage":"write","row":17,"column":"amount","value":"abc",
//	 "reason":"...","record":{"id":42,"amount":"abc"}}
//
// "record" is absent when the source could not decode the row; its values are
// encoded as by Value.MarshalJSON. When w has a Flush() error or Sync() error
// method (a *bufio.Writer, an *os.File), Flush calls it. The lines hold row
// values: a file for them is best created readable by its owner only (mode
// 0600), as the job layer does.
func DirtyToJSONLines(w io.Writer) DirtyCollector { return &jsonLinesCollector{w: w} }

type jsonLinesCollector struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

func (c *jsonLinesCollector) Collect(_ context.Context, d DirtyRecord) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.buf[:0]
	b = append(b, `{"split":`...)
	b = appendJSONString(b, d.Split)
	b = append(b, `,"stage":`...)
	b = appendJSONString(b, string(d.Stage))
	b = append(b, `,"row":`...)
	b = strconv.AppendInt(b, d.Row, 10)
	if d.Column != "" {
		b = append(b, `,"column":`...)
		b = appendJSONString(b, d.Column)
	}
	if d.Value != "" {
		b = append(b, `,"value":`...)
		b = appendJSONString(b, d.Value)
	}
	b = append(b, `,"reason":`...)
	b = appendJSONString(b, d.Reason())
	if d.Record != nil {
		b = append(b, `,"record":`...)
		b = appendRecordJSON(b, d.Record, d.Schema)
	}
	b = append(b, "}\n"...)
	c.buf = b
	_, err := c.w.Write(b)
	return err
}

func (c *jsonLinesCollector) Flush(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch w := c.w.(type) {
	case interface{ Flush() error }:
		return w.Flush()
	case interface{ Sync() error }:
		// Pipes and terminals cannot be synced; there is nothing to make
		// durable on them.
		if err := w.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
			return err
		}
	}
	return nil
}

// appendRecordJSON writes r as an object keyed by the schema's column names,
// or as an array when the schema does not describe r.
func appendRecordJSON(b []byte, r Record, s Schema) []byte {
	if len(s) != len(r) {
		b = append(b, '[')
		for i, v := range r {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValueJSON(b, v)
		}
		return append(b, ']')
	}
	b = append(b, '{')
	for i, v := range r {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONKeyValue(b, s[i].Name, v)
	}
	return append(b, '}')
}

// DirtySchema returns the schema of the records DirtyToSink writes for a
// source with schema src: six columns describing the fault, then the source's
// columns, all nullable.
//
//	dirty_split String, dirty_stage String, dirty_row Int, dirty_column String,
//	dirty_value String, dirty_reason String, <the source's columns>
func DirtySchema(src Schema) Schema {
	s := Schema{
		{Name: "dirty_split", Kind: KindString},
		{Name: "dirty_stage", Kind: KindString},
		{Name: "dirty_row", Kind: KindInt},
		{Name: "dirty_column", Kind: KindString, Nullable: true},
		{Name: "dirty_value", Kind: KindString, Nullable: true},
		{Name: "dirty_reason", Kind: KindString},
	}
	for _, c := range src {
		c.Nullable = true
		c.Key = 0
		s = append(s, c)
	}
	return s
}

// DirtyToSink returns a DirtyCollector that writes dirty records to any Sink,
// so that they can land in a table or a file, as rows of DirtySchema(source
// schema). The sink is prepared on the first dirty record and written as one
// split whose ID is "dirty" ("dirty-2", "dirty-3", ... when records arrive
// after a Flush, as with several RunSplit calls). Flush writes, flushes,
// commits and closes that split, then calls the sink's Finalize, if it has
// one (or its Abort, if that failed).
func DirtyToSink(s Sink) DirtyCollector { return &sinkCollector{sink: s} }

type sinkCollector struct {
	sink     Sink
	schema   Schema // DirtySchema of the source, set when prepared
	w        Writer
	batch    *Batch
	opened   int
	prepared bool
}

func (c *sinkCollector) Collect(ctx context.Context, d DirtyRecord) error {
	if !c.prepared {
		c.schema = DirtySchema(d.Schema)
		if err := c.sink.Prepare(ctx, c.schema); err != nil {
			return fmt.Errorf("prepare the dirty-data sink: %w", err)
		}
		c.prepared = true
	}
	if c.w == nil {
		c.opened++
		id := "dirty"
		if c.opened > 1 {
			id += "-" + strconv.Itoa(c.opened)
		}
		w, err := c.sink.Open(ctx, Split{ID: id})
		if err != nil {
			return fmt.Errorf("open the dirty-data sink: %w", err)
		}
		c.w = w
		c.batch = NewBatch(c.schema, 256, 1<<20)
	}
	r := c.batch.Append()
	r[0] = c.batch.CopyString([]byte(d.Split))
	r[1] = String(string(d.Stage))
	r[2] = Int(d.Row)
	if d.Column != "" {
		r[3] = c.batch.CopyString([]byte(d.Column))
	}
	if d.Value != "" {
		r[4] = c.batch.CopyString([]byte(d.Value))
	}
	r[5] = c.batch.CopyString([]byte(d.Reason()))
	if len(d.Record) == len(r)-6 {
		for i, v := range d.Record {
			r[6+i] = c.batch.Copy(v)
		}
	}
	if c.batch.Full() {
		return c.writeBatch(ctx)
	}
	return nil
}

func (c *sinkCollector) writeBatch(ctx context.Context) error {
	if c.batch.Len() == 0 {
		return nil
	}
	err := c.w.Write(ctx, c.batch)
	c.batch.Reset()
	var rows *RowErrors
	if errors.As(err, &rows) {
		return fmt.Errorf("the dirty-data sink rejected dirty records: %w", err)
	}
	if err != nil {
		return fmt.Errorf("write to the dirty-data sink: %w", err)
	}
	return nil
}

func (c *sinkCollector) Flush(ctx context.Context) error {
	if c.w == nil {
		return nil
	}
	err := c.writeBatch(ctx)
	if err == nil {
		err = c.w.Flush(ctx)
	}
	if committer, ok := c.w.(Committer); ok && err == nil {
		err = committer.Commit(ctx)
	}
	err = errors.Join(err, c.w.Close())
	c.w = nil
	if fin, ok := c.sink.(Finalizer); ok && err == nil {
		err = fin.Finalize(ctx)
	}
	if ab, ok := c.sink.(Aborter); ok && err != nil {
		err = errors.Join(err, ab.Abort(context.WithoutCancel(ctx)))
	}
	if err != nil {
		return fmt.Errorf("flush the dirty-data sink: %w", err)
	}
	return nil
}
