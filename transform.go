package datasync

import (
	"context"
	"errors"
	"fmt"
)

// The record-transformation stage (WithTransform): records change, are
// dropped, or become dirty between the reader and the writer, inside the
// workers, as DataX's transformers do.

// A TransformFunc changes one record on its way from the source to the sink.
// It may replace rec's values in place; rec aliases the batch b, and a new
// variable-width payload (a String, Bytes, Decimal or JSON value built from
// the old one) must go into b's arena through [Batch.CopyString] and the
// other Copy methods, so that it lives as long as the batch and costs no
// allocation once the arena has grown. It returns keep = false to drop the
// record (it is neither written nor dirty: [Result.RecordsFiltered] counts
// it), or an error to make it dirty: the record then goes to the dirty-data
// policy's collector with [StageTransform] and the error as its reason. A
// *[RowError] with Column (and Value) set names the column at fault.
//
// A record's values keep the positions of the source's schema, but a value
// may change kind (a transformer turning an Int into its digest makes a
// String); the sink converts it for its column as it converts any value.
type TransformFunc func(rec Record, b *Batch) (keep bool, err error)

// A Transformer makes the TransformFunc of one worker. NewTransform is called
// once per worker of a job (and once more when the job starts, to check it),
// with the source's schema; it reports a transformer that does not fit the
// schema (a column that does not exist, a parameter that makes no sense)
// and the job then fails before anything is written. The function it returns
// is only ever called from that worker's goroutine, so it may keep scratch
// buffers without locking.
type Transformer interface {
	NewTransform(schema Schema) (TransformFunc, error)
}

// NewTransform returns f itself: a TransformFunc is a Transformer that needs
// no schema and no state of its own. It must then be safe to call from
// several goroutines at once.
func (f TransformFunc) NewTransform(Schema) (TransformFunc, error) { return f, nil }

// WithTransform adds transformers to the pipeline; each record passes
// through them in order, and the first that drops it or makes it dirty ends
// its way (later ones do not see it). The stage runs in every worker, on
// the reading side, right after each batch is read; when it is set, readers
// are offered no wire encoding (rows travel as values). Several
// WithTransform options add up. A nil transformer is invalid.
func WithTransform(ts ...Transformer) Option {
	return optionFunc(func(c *config) error {
		for i, t := range ts {
			if t == nil {
				return invalid("WithTransform", "transformer %d is nil", i)
			}
		}
		c.transforms = append(c.transforms, ts...)
		return nil
	})
}

// StageTransform is the stage of a record a transformer made dirty.
const StageTransform Stage = "transform"

// transformChain is the bound transformers of one worker.
type transformChain []TransformFunc

// bindTransforms makes the chain of one worker; nil when the pipeline has
// no transformers.
func bindTransforms(ts []Transformer, schema Schema) (transformChain, error) {
	if len(ts) == 0 {
		return nil, nil
	}
	chain := make(transformChain, len(ts))
	for i, t := range ts {
		f, err := t.NewTransform(schema)
		if err != nil {
			return nil, fmt.Errorf("datasync: transformer %d: %w", i+1, err)
		}
		if f == nil {
			return nil, fmt.Errorf("datasync: transformer %d made no TransformFunc", i+1)
		}
		chain[i] = f
	}
	return chain, nil
}

// checkTransforms binds the transformers once, so that one that does not
// fit the schema fails the job before the sink is prepared.
func (p *Pipeline) checkTransforms(schema Schema) error {
	_, err := bindTransforms(p.cfg.transforms, schema)
	return err
}

// transformer returns the worker's bound chain, binding it on first use.
func (w *worker) transformer() (transformChain, error) {
	if w.chain == nil && len(w.j.p.cfg.transforms) > 0 {
		chain, err := bindTransforms(w.j.p.cfg.transforms, w.j.schema)
		if err != nil {
			return nil, err
		}
		w.chain = chain
	}
	return w.chain, nil
}

// apply runs the chain over the rows of b, which it compacts: dropped and
// dirty rows are removed. first is the number of rows the attempt read
// before b, to number the dirty ones. It returns how many rows it dropped
// and the dirty records (nil, with no allocation, when there are none).
func (c transformChain) apply(b *Batch, split string, first int64) (dropped int64, dirty []DirtyRecord) {
	n := b.Len()
	kept := 0
	for i := range n {
		rec := b.Row(i)
		keep, err := c.run(rec, b)
		switch {
		case err != nil:
			d := DirtyRecord{Split: split, Stage: StageTransform, Row: first + int64(i) + 1,
				Record: rec.Clone(), Schema: b.schema, Err: err}
			var re *RowError
			if errors.As(err, &re) {
				d.Column, d.Value = re.Column, re.Value
				if re == err && re.Err != nil {
					d.Err = re.Err // the reason, without the row's description around it
				}
			}
			dirty = append(dirty, d)
			continue
		case !keep:
			dropped++
			continue
		}
		if kept != i {
			copy(b.values[kept*b.width:(kept+1)*b.width], rec)
		}
		kept++
	}
	if kept != n {
		b.rows = kept
	}
	// Values may have changed size: count the batch's bytes again.
	b.sized, b.bytes = 0, 0
	return dropped, dirty
}

// run passes one record through the chain.
func (c transformChain) run(rec Record, b *Batch) (bool, error) {
	for _, f := range c {
		keep, err := f(rec, b)
		if err != nil || !keep {
			return keep, err
		}
	}
	return true, nil
}

// transformBatch applies the attempt's chain to a batch just read, counts
// what it dropped and made dirty in t, and hands the dirty records to the
// policy.
func (a *splitAttempt) transformBatch(ctx context.Context, b *Batch, t *tally) error {
	n := int64(b.Len())
	dropped, dirty := a.chain.apply(b, a.split.ID, a.transformed)
	a.transformed += n
	t.filtered += dropped
	a.w.j.filtered.Add(dropped)
	if len(dirty) == 0 {
		return nil
	}
	t.dirty += int64(len(dirty))
	return a.w.j.dirty.add(ctx, dirty)
}
