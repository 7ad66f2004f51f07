package source

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/datasync-go/datasync"
)

// Option configures the sources of this package that plan several splits.
type Option interface {
	apply(*options)
}

type options struct {
	splits int // 0: parallelism x 4
}

type optionFunc func(*options)

func (f optionFunc) apply(o *options) { f(o) }

// Splits makes the source plan n splits (fewer when it has fewer records)
// instead of four per unit of parallelism. n below 1 is taken as 1.
func Splits(n int) Option {
	return optionFunc(func(o *options) { o.splits = max(n, 1) })
}

func newOptions(opts []Option) options {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt.apply(&o)
		}
	}
	return o
}

// indexRange is the spec of a split over records [Start, End).
type indexRange struct {
	Start int64 `json:"start"`
	End   int64 `json:"end"`
}

// planRanges divides [0, n) into about parallelism x 4 (or o.splits) equal
// ranges, named prefix-0, prefix-1, ... An empty source has one empty split,
// so that a job over it still runs its sink's once-per-split work.
func planRanges(prefix string, n int64, hint datasync.PlanHint, o options) ([]datasync.Split, error) {
	count := int64(o.splits)
	if count == 0 {
		count = int64(max(hint.Parallelism, 1) * 4)
	}
	count = max(min(count, n), 1)
	splits := make([]datasync.Split, 0, count)
	for i := range count {
		r := indexRange{Start: n * i / count, End: n * (i + 1) / count}
		s, err := datasync.NewSplit(fmt.Sprintf("%s-%d", prefix, i), r, r.End-r.Start)
		if err != nil {
			return nil, err
		}
		splits = append(splits, s)
	}
	return splits, nil
}

// openRange decodes a split's range and the position to resume at.
func openRange(s datasync.Split, from datasync.Checkpoint, n int64) (indexRange, int64, error) {
	var r indexRange
	if err := s.DecodeSpec(&r); err != nil {
		return r, 0, err
	}
	if r.Start < 0 || r.End < r.Start || r.End > n {
		return r, 0, fmt.Errorf("split %q: range [%d, %d) is outside the source's %d records", s.ID, r.Start, r.End, n)
	}
	next := r.Start
	if from != nil {
		pos, err := decodePosition(from)
		if err != nil {
			return r, 0, fmt.Errorf("split %q: %w", s.ID, err)
		}
		if pos < r.Start || pos > r.End {
			return r, 0, fmt.Errorf("split %q: checkpoint %d is outside the split [%d, %d)", s.ID, pos, r.Start, r.End)
		}
		next = pos
	}
	return r, next, nil
}

// A position checkpoint is the index of the next record, as a uvarint.
func encodePosition(next int64) datasync.Checkpoint {
	return binary.AppendUvarint(nil, uint64(next))
}

func decodePosition(cp datasync.Checkpoint) (int64, error) {
	v, n := binary.Uvarint(cp)
	if n <= 0 || n != len(cp) || v > 1<<62 {
		return 0, errors.New("malformed checkpoint")
	}
	return int64(v), nil
}

// checkWidth reports a record whose length does not match the schema.
func checkWidth(r datasync.Record, schema datasync.Schema, index int64) error {
	if len(r) != len(schema) {
		return fmt.Errorf("record %d has %d values but the schema has %d columns", index, len(r), len(schema))
	}
	return nil
}
