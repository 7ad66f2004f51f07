package stream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/datasync-go/datasync"
)

// SourceConfig configures a Source.
type SourceConfig struct {
	// Column lists the generated columns; at least one.
	Column []ColumnSpec `json:"column" datasync:"required"`
	// RecordsPerSplit is the number of records each split generates; the
	// source plans one split per unit of the pipeline's parallelism.
	RecordsPerSplit int64 `json:"recordsPerSplit" datasync:"required"`
}

// ColumnSpec describes one generated column: exactly one of Value, Random
// and Incr says how its values are made.
type ColumnSpec struct {
	// Name is the column's name; col1, col2... by position when empty.
	Name string `json:"name,omitempty"`
	// Type is the kind of the column's values (not KindNull). In JSON it is
	// the kind's name, such as "Int".
	Type datasync.Kind `json:"type" datasync:"required"`
	// Value makes the column a constant: a JSON string (converted to Type
	// as datasync.Value.Convert does), number or boolean, or null for NULL.
	// For JSON columns it is the JSON value itself.
	Value json.RawMessage `json:"value,omitempty"`
	// Random makes random values: a number in [Min, Max] for Int and Float
	// (uniform), a random Bool, or for String and Bytes a run of letters
	// and digits whose length is in [Min, Max].
	Random *Range `json:"random,omitempty"`
	// Incr makes a sequence for Int and Float columns: record i of a split
	// has Start + i*Step.
	Incr *Sequence `json:"incr,omitempty"`
}

// Range bounds random values (or lengths), both ends included.
type Range struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// Sequence is an arithmetic sequence.
type Sequence struct {
	Start float64 `json:"start"`
	Step  float64 `json:"step"`
}

// Source is the streamreader source.
type Source struct {
	schema  datasync.Schema
	columns []generator
	count   int64
}

// generator makes one column's value for record i, copying variable-width
// payloads into b (nil when the record is being skipped). scratch is the
// reader's own buffer: generators are shared by every split's reader.
type generator func(i int64, rng *rand.Rand, b *datasync.Batch, scratch *[]byte) datasync.Value

// NewSource checks cfg and returns the source.
func NewSource(cfg SourceConfig) (*Source, error) {
	if len(cfg.Column) == 0 {
		return nil, errors.New("stream: column: at least one column is needed")
	}
	if cfg.RecordsPerSplit < 0 {
		return nil, fmt.Errorf("stream: recordsPerSplit %d is negative", cfg.RecordsPerSplit)
	}
	s := &Source{count: cfg.RecordsPerSplit}
	var errs []error
	for i, c := range cfg.Column {
		col, gen, err := newColumn(i, c)
		if err != nil {
			errs = append(errs, fmt.Errorf("stream: column[%d]: %w", i, err))
			continue
		}
		s.schema = append(s.schema, col)
		s.columns = append(s.columns, gen)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return s, nil
}

func newColumn(i int, c ColumnSpec) (datasync.Column, generator, error) {
	kind := c.Type
	if kind == datasync.KindNull || !slices.Contains(datasync.Kinds(), kind) {
		return datasync.Column{}, nil, fmt.Errorf("type %v is not a kind of values", kind)
	}
	name := c.Name
	if name == "" {
		name = "col" + strconv.Itoa(i+1)
	}
	col := datasync.Column{Name: name, Kind: kind, Nullable: true}
	set := 0
	for _, s := range []bool{len(c.Value) > 0, c.Random != nil, c.Incr != nil} {
		if s {
			set++
		}
	}
	if set != 1 {
		return col, nil, errors.New(`give exactly one of "value", "random" and "incr"`)
	}
	switch {
	case c.Random != nil:
		gen, err := randomColumn(kind, *c.Random)
		return col, gen, err
	case c.Incr != nil:
		gen, err := incrColumn(kind, *c.Incr)
		return col, gen, err
	}
	v, err := constant(kind, c.Value)
	return col, func(int64, *rand.Rand, *datasync.Batch, *[]byte) datasync.Value { return v }, err
}

func constant(kind datasync.Kind, raw json.RawMessage) (datasync.Value, error) {
	if string(raw) == "null" {
		return datasync.Null(), nil
	}
	var text string
	if err := json.Unmarshal(raw, &text); err != nil {
		text = string(raw) // a JSON number or boolean, as text
	}
	if kind == datasync.KindJSON {
		return datasync.String(string(raw)).Convert(kind)
	}
	return datasync.String(text).Convert(kind)
}

// finite reports whether both numbers are finite: NaN or an infinity bound
// no values.
func finite(x, y float64) bool {
	return !math.IsNaN(x) && !math.IsNaN(y) && !math.IsInf(x, 0) && !math.IsInf(y, 0)
}

// maxRandomLength bounds the length of random strings and bytes: a
// larger one would exhaust memory rather than test anything.
const maxRandomLength = 64 << 20

// int64Of returns x as an int64 when it is within the range. 2^63 is
// taken for the largest long, which parses to it.
func int64Of(x float64) (int64, bool) {
	if x == 1<<63 {
		return math.MaxInt64, true
	}
	if x < -(1<<63) || x > 1<<63 {
		return 0, false
	}
	return int64(x), true
}

const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func randomColumn(kind datasync.Kind, r Range) (generator, error) {
	lo, hi := r.Min, r.Max
	spec := fmt.Sprintf("[%v, %v]", lo, hi)
	if !finite(lo, hi) {
		return nil, fmt.Errorf("random %s: want finite numbers", spec)
	}
	if hi < lo {
		return nil, fmt.Errorf("random [%v, %v]: the maximum is below the minimum", lo, hi)
	}
	switch kind {
	case datasync.KindInt:
		// Whole numbers within [lo, hi]; the width of the range is counted
		// in uint64, which holds every int64 range.
		lowest, ok1 := int64Of(math.Ceil(lo))
		highest, ok2 := int64Of(math.Floor(hi))
		if !ok1 || !ok2 || highest < lowest {
			return nil, fmt.Errorf("random %s: want whole numbers from %d to %d, the minimum first", spec, int64(math.MinInt64), int64(math.MaxInt64))
		}
		width := uint64(highest) - uint64(lowest) // highest >= lowest: no wrap
		return func(_ int64, rng *rand.Rand, _ *datasync.Batch, _ *[]byte) datasync.Value {
			if width == math.MaxUint64 {
				return datasync.Int(int64(rng.Uint64()))
			}
			return datasync.Int(lowest + int64(rng.Uint64N(width+1)))
		}, nil
	case datasync.KindFloat:
		if math.IsInf(hi-lo, 0) {
			return nil, fmt.Errorf("random %s: the range is wider than a double holds", spec)
		}
		return func(_ int64, rng *rand.Rand, _ *datasync.Batch, _ *[]byte) datasync.Value {
			return datasync.Float(lo + rng.Float64()*(hi-lo))
		}, nil
	case datasync.KindBool:
		return func(_ int64, rng *rand.Rand, _ *datasync.Batch, _ *[]byte) datasync.Value {
			return datasync.Bool(rng.IntN(2) == 1)
		}, nil
	case datasync.KindString, datasync.KindBytes:
		if hi > maxRandomLength {
			return nil, fmt.Errorf("random %s: lengths beyond %d are not supported", spec, maxRandomLength)
		}
		return func(_ int64, rng *rand.Rand, b *datasync.Batch, scratch *[]byte) datasync.Value {
			n := int(lo) + rng.IntN(int(hi-lo)+1)
			buf := (*scratch)[:0]
			for range n {
				buf = append(buf, letters[rng.IntN(len(letters))])
			}
			*scratch = buf
			switch {
			case b == nil:
				return datasync.Null()
			case kind == datasync.KindBytes:
				return b.CopyBytes(buf)
			}
			return b.CopyString(buf)
		}, nil
	}
	return nil, fmt.Errorf("random values of type %v are not supported", kind)
}

func incrColumn(kind datasync.Kind, seq Sequence) (generator, error) {
	start, step := seq.Start, seq.Step
	spec := fmt.Sprintf("start %v, step %v", start, step)
	if !finite(start, step) {
		return nil, fmt.Errorf("incr %s: want finite numbers", spec)
	}
	switch kind {
	case datasync.KindInt:
		first, ok1 := int64Of(start)
		by, ok2 := int64Of(step)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("incr %s: want whole numbers within the range of a long", spec)
		}
		return func(i int64, _ *rand.Rand, _ *datasync.Batch, _ *[]byte) datasync.Value {
			return datasync.Int(first + i*by)
		}, nil
	case datasync.KindFloat:
		return func(i int64, _ *rand.Rand, _ *datasync.Batch, _ *[]byte) datasync.Value {
			return datasync.Float(start + float64(i)*step)
		}, nil
	}
	return nil, fmt.Errorf("incr is for long and double columns, not %v", kind)
}

// Schema returns the generated columns.
func (s *Source) Schema(context.Context) (datasync.Schema, error) { return s.schema, nil }

// Plan returns one split per unit of parallelism, each of RecordsPerSplit
// records, as DataX does.
func (s *Source) Plan(_ context.Context, hint datasync.PlanHint) ([]datasync.Split, error) {
	n := max(hint.Parallelism, 1)
	splits := make([]datasync.Split, n)
	for i := range splits {
		splits[i] = datasync.Split{ID: "stream-" + strconv.Itoa(i), Spec: json.RawMessage(strconv.Itoa(i)), Rows: s.count}
	}
	return splits, nil
}

// Open returns a reader of split sp, from checkpoint from (a record index).
func (s *Source) Open(_ context.Context, sp datasync.Split, from datasync.Checkpoint) (datasync.Reader, error) {
	var index int64
	if err := json.Unmarshal(sp.Spec, &index); err != nil {
		return nil, fmt.Errorf("stream: split %q: bad spec: %w", sp.ID, err)
	}
	next := int64(0)
	if from != nil {
		n, err := strconv.ParseInt(string(from), 10, 64)
		if err != nil || n < 0 || n > s.count {
			return nil, fmt.Errorf("stream: split %q: bad checkpoint %q", sp.ID, from)
		}
		next = n
	}
	r := &reader{src: s, rng: rand.New(rand.NewPCG(uint64(index), 0x5eed))}
	// Replay the random stream up to the checkpoint, so a resumed split
	// yields what it would have.
	for r.next < next {
		r.make(nil, nil)
	}
	return r, nil
}

type reader struct {
	src     *Source
	next    int64
	rng     *rand.Rand
	scratch []byte
}

// make produces record r.next into dst (nil to skip it).
func (r *reader) make(dst datasync.Record, b *datasync.Batch) {
	for c, gen := range r.src.columns {
		v := gen(r.next, r.rng, b, &r.scratch)
		if dst != nil {
			dst[c] = v
		}
	}
	r.next++
}

func (r *reader) Read(ctx context.Context, b *datasync.Batch) error {
	for r.next < r.src.count && !b.Full() {
		r.make(b.Append(), b)
	}
	if r.next == r.src.count {
		return io.EOF
	}
	return ctx.Err()
}

func (r *reader) Checkpoint() datasync.Checkpoint {
	return datasync.Checkpoint(strconv.FormatInt(r.next, 10))
}

func (r *reader) Close() error { return nil }
