package datasync_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

// A record-transformation stage: WithTransform passes every record through
// a function that may change it in place, drop it, or make it dirty with a
// reason. Here e-mail addresses are lower-cased (into the batch's arena, so
// no allocation per record), test accounts are dropped, and a record with
// no address is dirty data.
func ExampleWithTransform() {
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "email", Kind: datasync.KindString, Nullable: true}}
	emails := []string{"Ada@Example.COM", "test@example.com", "", "Grace@Example.com"}
	src := source.Generate(schema, int64(len(emails)), func(i int64, r datasync.Record) error {
		r[0] = datasync.Int(i + 1)
		if emails[i] != "" {
			r[1] = datasync.String(emails[i])
		}
		return nil
	})
	normalize := datasync.TransformFunc(func(rec datasync.Record, b *datasync.Batch) (bool, error) {
		if rec[1].IsNull() {
			return false, &datasync.RowError{Column: "email", Err: errors.New("no e-mail address")}
		}
		lower := bytes.ToLower(rec[1].Raw())
		if bytes.HasPrefix(lower, []byte("test@")) {
			return false, nil // drop it
		}
		rec[1] = b.CopyString(lower)
		return true, nil
	})

	dst := sink.Collect()
	p, err := datasync.NewPipeline(src, dst,
		datasync.WithParallelism(1),
		datasync.WithTransform(normalize),
		datasync.WithDirtyPolicy(datasync.DirtyPolicy{MaxRecords: 10, Collector: datasync.DirtyFunc(
			func(_ context.Context, d datasync.DirtyRecord) error {
				fmt.Printf("dirty (%s) %s: %v\n", d.Stage, d.Column, d.Err)
				return nil
			})}))
	if err != nil {
		log.Fatal(err)
	}
	res, err := p.Run(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range dst.Records() {
		fmt.Println(r)
	}
	fmt.Printf("%d read, %d written, %d filtered, %d dirty\n", res.RecordsRead, res.RecordsWritten, res.RecordsFiltered, res.RecordsDirty)
	// Output:
	// dirty (transform) email: no e-mail address
	// (1, ada@example.com)
	// (4, grace@example.com)
	// 4 read, 2 written, 1 filtered, 1 dirty
}
