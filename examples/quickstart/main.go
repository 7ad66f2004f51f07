// Command quickstart runs datasync with no server: it exports 1,000,000
// generated orders (a raw feed, where a few amounts are "N/A") to CSV files
// with four workers, then loads the files back with typed columns into a
// sink that totals the amounts exactly per region. The lines whose amount is
// not a number are dirty data: they go to a JSON-lines file, named by file
// and line, and the job goes on.
//
// It works in a temporary directory, removed when it ends; -keep keeps it
// (and prints where it is) to look at the files.
//
//	go run ./examples/quickstart [-keep]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/file"
	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

// orders is how many orders are generated (a variable for the tests).
var orders int64 = 1_000_000

// feed is the raw export: the amount arrives as text, as from a CSV feed.
var feed = datasync.Schema{
	{Name: "order_id", Kind: datasync.KindInt, Key: 1},
	{Name: "region", Kind: datasync.KindString},
	{Name: "amount", Kind: datasync.KindString},
	{Name: "placed_at", Kind: datasync.KindTimestamp, Precision: 6},
}

var regions = []string{"cn-hangzhou", "cn-shanghai", "cn-beijing", "ap-southeast-1"}

func main() {
	keep := flag.Bool("keep", false, "keep the temporary directory with the CSV files and the dirty records")
	flag.Parse()
	if _, err := quickstart(context.Background(), *keep); err != nil {
		log.Fatal(err)
	}
}

// quickstart runs the example in a new temporary directory, which it
// removes when done unless keep is set; it returns the directory.
func quickstart(ctx context.Context, keep bool) (dir string, err error) {
	dir, err = os.MkdirTemp("", "datasync-quickstart")
	if err != nil {
		return "", err
	}
	if !keep {
		defer func() {
			if rerr := os.RemoveAll(dir); rerr != nil && err == nil {
				err = rerr
			}
		}()
	}
	if err := run(ctx, dir); err != nil {
		return dir, err
	}
	if keep {
		fmt.Printf("4. the files are kept in %s\n", dir)
	} else {
		fmt.Printf("4. %s removed (run with -keep to keep it)\n", dir)
	}
	return dir, nil
}

func run(ctx context.Context, dir string) error {
	fmt.Printf("1. exporting %d orders to CSV files in %s\n", orders, dir)
	export, err := file.NewSink(file.SinkConfig{
		Path:         dir,
		FileName:     "orders",
		WriteMode:    text.WriteTruncate,
		WriteOptions: text.WriteOptions{WriteHeader: true},
	})
	if err != nil {
		return err
	}
	res, err := runPipeline(ctx, generateFeed(), export)
	if err != nil {
		return err
	}
	fmt.Println("  ", res)
	files, _ := filepath.Glob(filepath.Join(dir, "orders_*.csv"))
	fmt.Printf("   %d files\n", len(files))

	fmt.Println("2. loading them back, typed, into exact totals per region")
	load, err := file.NewSource(file.SourceConfig{
		Path: []string{filepath.Join(dir, "orders_*.csv")},
		ReadOptions: text.ReadOptions{
			SkipHeader: true,
			Column: []text.ColumnSpec{
				text.ColumnNamed("order_id", datasync.KindInt),
				text.ColumnNamed("region", datasync.KindString),
				text.ColumnNamed("amount", datasync.KindDecimal), // "N/A" does not parse: dirty
				text.ColumnNamed("placed_at", datasync.KindTimestamp),
			},
		},
	})
	if err != nil {
		return err
	}
	dirtyPath := filepath.Join(dir, "dirty.jsonl")
	// Dirty records are row values: keep them private to their owner.
	dirtyFile, err := os.OpenFile(dirtyPath, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer dirtyFile.Close()
	totals := &regionTotals{sums: map[string]*big.Rat{}}
	res, err = runPipeline(ctx, load, sink.Func(totals.add),
		datasync.WithDirtyPolicy(datasync.DirtyPolicy{MaxRecords: 100, Collector: datasync.DirtyToJSONLines(dirtyFile)}))
	if err != nil {
		return err
	}
	fmt.Println("  ", res)
	for _, region := range regions {
		fmt.Printf("   %-15s %s\n", region, totals.sums[region].FloatString(2))
	}
	fmt.Printf("3. %d dirty lines went to %s\n", res.RecordsDirty, dirtyPath)
	return nil
}

// runPipeline runs src -> dst with four workers and a progress line.
func runPipeline(ctx context.Context, src datasync.Source, dst datasync.Sink, opts ...datasync.Option) (datasync.Result, error) {
	opts = append([]datasync.Option{
		datasync.WithParallelism(4),
		datasync.WithProgress(func(p datasync.Progress) {
			fmt.Fprintf(os.Stderr, "\r   %-90s", p.String())
			if p.Done {
				fmt.Fprintln(os.Stderr)
			}
		}, 100*time.Millisecond),
	}, opts...)
	p, err := datasync.NewPipeline(src, dst, opts...)
	if err != nil {
		return datasync.Result{}, err
	}
	return p.Run(ctx)
}

// generateFeed makes the orders; one in 200,000 has "N/A" for its amount.
func generateFeed() datasync.Source {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return source.Generate(feed, orders, func(i int64, r datasync.Record) error {
		r[0] = datasync.Int(i + 1)
		r[1] = datasync.String(regions[i%int64(len(regions))])
		if i%200_000 == 199_999 {
			r[2] = datasync.String("N/A")
		} else {
			r[2] = datasync.String(fmt.Sprintf("%d.%02d", i%997, i%100))
		}
		r[3] = datasync.Instant(start.Add(time.Duration(i) * time.Second))
		return nil
	})
}

// regionTotals is the destination: exact sums of the amounts per region.
type regionTotals struct {
	mu   sync.Mutex
	sums map[string]*big.Rat
}

// add is called for each record, one call at a time.
func (t *regionTotals) add(_ context.Context, r datasync.Record) error {
	amount, err := r[2].AsDecimal()
	if err != nil {
		return &datasync.RowError{Column: "amount", Err: err}
	}
	value, _ := new(big.Rat).SetString(amount)
	region := r[1].String()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.sums[region] == nil {
		t.sums[region] = new(big.Rat)
	}
	t.sums[region].Add(t.sums[region], value)
	return nil
}
