// Command quickstart runs a datasync pipeline with no server: it generates
// 1,000,000 orders as a raw feed (a few with an amount that is not a
// number), loads them with four workers into a sink that totals the amounts
// exactly, shows progress, prints the job's summary and says where the dirty
// rows went.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"log"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

const orders = 1_000_000

// feed is the raw input: every value arrives as text, as from a CSV export.
var feed = datasync.Schema{
	{Name: "order_id", Kind: datasync.KindInt, Key: 1},
	{Name: "region", Kind: datasync.KindString},
	{Name: "amount", Kind: datasync.KindString},
	{Name: "placed_at", Kind: datasync.KindTimestamp, Precision: 6},
}

var regions = []string{"cn-hangzhou", "cn-shanghai", "cn-beijing", "ap-southeast-1"}

func main() {
	if err := run(context.Background()); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context) error {
	dirtyPath := filepath.Join(os.TempDir(), "datasync-quickstart-dirty.jsonl")
	dirtyFile, err := os.Create(dirtyPath)
	if err != nil {
		return err
	}
	defer dirtyFile.Close()

	totals := &regionTotals{sums: map[string]*big.Rat{}}
	p, err := datasync.NewPipeline(generateFeed(), sink.Func(totals.add),
		datasync.WithParallelism(4),
		datasync.WithDirtyPolicy(datasync.DirtyPolicy{
			MaxRecords: 100,
			Collector:  datasync.DirtyToJSONLines(dirtyFile),
		}),
		datasync.WithProgress(func(p datasync.Progress) {
			fmt.Fprintf(os.Stderr, "\r%-90s", p.String())
			if p.Done {
				fmt.Fprintln(os.Stderr)
			}
		}, 100*time.Millisecond),
	)
	if err != nil {
		return err
	}
	res, err := p.Run(ctx)
	if err != nil {
		return err
	}
	fmt.Println(res)
	for _, region := range regions {
		fmt.Printf("  %-15s %s\n", region, totals.sums[region].FloatString(2))
	}
	fmt.Printf("%d dirty rows went to %s\n", res.RecordsDirty, dirtyPath)
	return nil
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

// add is called for each record (one call at a time); an amount that is not
// an exact decimal makes the record dirty, with the column and the reason.
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
