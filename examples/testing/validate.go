package ordersync

import (
	"context"
	"errors"
	"strings"

	"github.com/datasync-go/datasync"
)

// errNegativeTotal is why an order is rejected.
var errNegativeTotal = errors.New("negative total")

// rejectNegativeTotals wraps a sink so that orders with a negative total
// become dirty data and every other order reaches it.
func rejectNegativeTotals(dst datasync.Sink) datasync.Sink { return validating{dst} }

type validating struct{ datasync.Sink }

func (v validating) Open(ctx context.Context, s datasync.Split) (datasync.Writer, error) {
	w, err := v.Sink.Open(ctx, s)
	if err != nil {
		return nil, err
	}
	return &validatingWriter{Writer: w}, nil
}

type validatingWriter struct {
	datasync.Writer
	good *datasync.Batch // the rows that pass, when some do not
}

func (w *validatingWriter) Write(ctx context.Context, b *datasync.Batch) error {
	total := b.Schema().Index("total")
	var rejected []*datasync.RowError
	var kept []int // positions in b of the rows passed on
	for i := range b.Len() {
		if v := b.Row(i)[total]; !v.IsNull() && strings.HasPrefix(v.String(), "-") {
			rejected = append(rejected, &datasync.RowError{Row: int64(i), Column: "total", Err: errNegativeTotal})
			continue
		}
		kept = append(kept, i)
	}
	if len(rejected) == 0 {
		return w.Writer.Write(ctx, b)
	}
	// Pass on a batch of the good rows only, and map the inner writer's own
	// rejections back to their positions in b.
	if w.good == nil {
		w.good = datasync.NewBatch(b.Schema(), b.MaxRows(), b.MaxBytes())
	}
	w.good.Reset()
	for _, i := range kept {
		w.good.AppendRecord(b.Row(i))
	}
	err := w.Writer.Write(ctx, w.good)
	var inner *datasync.RowErrors
	if errors.As(err, &inner) {
		for _, re := range inner.Errors {
			c := *re
			c.Row = int64(kept[re.Row])
			rejected = append(rejected, &c)
		}
	} else if err != nil {
		return err
	}
	return &datasync.RowErrors{Errors: rejected}
}
