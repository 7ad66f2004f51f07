package verify

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/datasync-go/datasync"
)

// ReadBacker is implemented by a Sink that can read back what it writes,
// as a Source: the PostgreSQL, MySQL and file sinks. Given the schema of the
// records it is written (the job's source's), the Source reads the target
// columns those records go to, in the same order.
type ReadBacker interface {
	ReadBack(ctx context.Context, schema datasync.Schema) (datasync.Source, error)
}

// ErrNoReadBack is returned by CompareSink for a sink that cannot be read
// back.
var ErrNoReadBack = errors.New("verify: the writer cannot be read back (verify reads back PostgreSQL, MySQL and file targets)")

// CompareSink compares src with what dst holds: dst read back (see
// ReadBacker), with Compare.
func CompareSink(ctx context.Context, src datasync.Source, dst datasync.Sink, o Options) (*Report, error) {
	rb, ok := dst.(ReadBacker)
	if !ok {
		return nil, fmt.Errorf("%w: %T", ErrNoReadBack, dst)
	}
	schema, err := src.Schema(ctx)
	if err != nil {
		return nil, fmt.Errorf("verify: the source: %w", err)
	}
	target, err := rb.ReadBack(ctx, schema)
	if err != nil {
		return nil, fmt.Errorf("verify: read back the target: %w", err)
	}
	if c, ok := target.(io.Closer); ok {
		defer c.Close()
	}
	return Compare(ctx, src, target, o)
}
