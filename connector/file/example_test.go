package file_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/file"
	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

// Write a table to gzipped csv files, then read them back.
func Example() {
	dir, err := os.MkdirTemp("", "datasync-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "city", Kind: datasync.KindString}}
	rows := []datasync.Record{
		{datasync.Int(1), datasync.String("Hangzhou")},
		{datasync.Int(2), datasync.Null()},
		{datasync.Int(3), datasync.String("")},
	}
	dst, err := file.NewSink(file.SinkConfig{
		Path:         dir,
		FileName:     "cities",
		WriteOptions: text.WriteOptions{Format: text.Format{Compression: "gzip"}, WriteHeader: true},
	})
	if err != nil {
		log.Fatal(err)
	}
	p, err := datasync.NewPipeline(source.FromRecords(schema, rows, source.Splits(1)), dst)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := p.Run(context.Background()); err != nil {
		log.Fatal(err)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*"))
	fmt.Println(filepath.Base(names[0]))

	src, err := file.NewSource(file.SourceConfig{
		Path: []string{filepath.Join(dir, "cities_*.csv.gz")},
		ReadOptions: text.ReadOptions{
			SkipHeader: true,
			Column:     []text.ColumnSpec{text.ColumnNamed("id", datasync.KindInt), text.ColumnNamed("city", datasync.KindString)},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	got := sink.Collect()
	p, err = datasync.NewPipeline(src, got)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := p.Run(context.Background()); err != nil {
		log.Fatal(err)
	}
	for _, r := range got.Records() {
		fmt.Printf("%v %q\n", r, r[1].String())
	}
	// Output:
	// cities_records-0.csv.gz
	// (1, Hangzhou) "Hangzhou"
	// (2, NULL) "NULL"
	// (3, ) ""
}
