package mongodb

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/datasync-go/datasync"
)

// checkpoint is a reader's position: the last _id read, for a range split,
// or the number of documents read, for the other split.
type checkpoint struct {
	After string `json:"after,omitempty"`
	Skip  int64  `json:"skip,omitempty"`
}

// Open returns a Reader of split sp, after checkpoint from.
func (s *Source) Open(_ context.Context, sp datasync.Split, from datasync.Checkpoint) (datasync.Reader, error) {
	var spec splitSpec
	if err := sp.DecodeSpec(&spec); err != nil {
		return nil, fmt.Errorf("mongodb source: %w", err)
	}
	r := &reader{src: s, split: sp.ID, spec: spec, width: len(s.cols)}
	var err error
	if spec.Min != "" {
		if r.min, err = fromCanonical(spec.Min); err != nil {
			return nil, fmt.Errorf("mongodb source: split %q: min: %w", sp.ID, err)
		}
	}
	if spec.Max != "" {
		if r.max, err = fromCanonical(spec.Max); err != nil {
			return nil, fmt.Errorf("mongodb source: split %q: max: %w", sp.ID, err)
		}
	}
	if len(from) > 0 {
		var cp checkpoint
		if err := json.Unmarshal(from, &cp); err != nil {
			return nil, fmt.Errorf("mongodb source: split %q: checkpoint: %w", sp.ID, err)
		}
		r.skip = cp.Skip
		if cp.After != "" {
			if r.after, err = fromCanonical(cp.After); err != nil {
				return nil, fmt.Errorf("mongodb source: split %q: checkpoint: %w", sp.ID, err)
			}
		}
	}
	r.projection = projection(s.cols)
	return r, nil
}

// projection asks for the top-level fields the columns read (a path's
// first part), each once.
func projection(cols []column) bson.D {
	var out bson.D
	var seen []string
	for _, c := range cols {
		if !slices.Contains(seen, c.path[0]) {
			seen = append(seen, c.path[0])
			out = append(out, bson.E{Key: c.path[0], Value: 1})
		}
	}
	if !slices.Contains(seen, "_id") {
		out = append(out, bson.E{Key: "_id", Value: 1}) // for the checkpoint
	}
	return out
}

// reader reads one split in pages: a find sorted by _id with a limit, each
// page resuming after the last _id (or, in the split of other _id types,
// skipping the documents read), so no server cursor is left open between
// Reads.
type reader struct {
	src        *Source
	split      string
	spec       splitSpec
	width      int
	projection bson.D
	min, max   bson.RawValue
	after      bson.RawValue // last _id read in a range split
	skip       int64         // documents read in the other split
	row        int64         // documents read by this reader, for dirty rows
	done       bool
}

// keyset reports whether the split pages by _id.
func (r *reader) keyset() bool { return r.spec.Type != 0 && !r.spec.Other }

// filter is the split's condition and the source's filter.
func (r *reader) filter() bson.D {
	switch {
	case r.spec.Type == 0:
		return r.src.and()
	case r.spec.Other:
		return r.src.and(bson.E{Key: "_id", Value: bson.D{{Key: "$not", Value: bson.D{{Key: "$type", Value: int32(r.spec.Type)}}}}})
	}
	cond := bson.D{{Key: "$type", Value: int32(r.spec.Type)}}
	if r.min.Type != 0 {
		cond = append(cond, bson.E{Key: "$gte", Value: r.min})
	}
	if r.max.Type != 0 {
		cond = append(cond, bson.E{Key: "$lt", Value: r.max})
	}
	if r.after.Type != 0 {
		cond = append(cond, bson.E{Key: "$gt", Value: r.after})
	}
	return r.src.and(bson.E{Key: "_id", Value: cond})
}

// Read appends the next page of documents to b.
func (r *reader) Read(ctx context.Context, b *datasync.Batch) error {
	if r.done {
		return io.EOF
	}
	limit := int64(b.MaxRows() - b.Len())
	if n := r.src.cfg.FetchSize; n > 0 && int64(n) < limit {
		limit = int64(n)
	}
	limit = max(limit, 1)
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetProjection(r.projection).SetLimit(limit).SetBatchSize(int32(min(limit, 1<<20)))
	if !r.keyset() && r.skip > 0 {
		opts.SetSkip(r.skip)
	}
	cur, err := r.src.ep.coll().Find(ctx, r.filter(), opts)
	if err != nil {
		return fmt.Errorf("mongodb source %s: split %q: %w", r.src.ep.what(), r.split, r.src.ep.wrap(err))
	}
	defer cur.Close(ctx)
	var dirty []*datasync.RowError
	var n int64
	for cur.Next(ctx) {
		n++
		r.row++
		doc := cur.Current
		rec := b.Append()
		if rerr := decodeRow(doc, r.src.cols, rec); rerr != nil {
			b.RemoveLast()
			rerr.Split, rerr.Row = r.split, r.row
			dirty = append(dirty, rerr)
		}
		r.advance(doc)
		if b.Full() {
			break
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("mongodb source %s: split %q: %w", r.src.ep.what(), r.split, r.src.ep.wrap(err))
	}
	if n < limit && !b.Full() {
		r.done = true
	}
	if len(dirty) > 0 {
		return &datasync.RowErrors{Errors: dirty}
	}
	if r.done {
		return io.EOF
	}
	return nil
}

// advance moves the position past doc.
func (r *reader) advance(doc bson.Raw) {
	if !r.keyset() {
		r.skip++
		return
	}
	id := doc.Lookup("_id")
	id.Value = bytes.Clone(id.Value)
	r.after = id
}

// Checkpoint returns the position after the last document read.
func (r *reader) Checkpoint() datasync.Checkpoint {
	cp := checkpoint{Skip: r.skip}
	if r.keyset() {
		if r.after.Type == 0 {
			return nil
		}
		cp = checkpoint{After: canonical(r.after)}
	} else if r.skip == 0 {
		return nil
	}
	out, _ := json.Marshal(cp)
	return out
}

// Close releases nothing: no cursor outlives a Read.
func (r *reader) Close() error { return nil }

func findLimit(n int64) *options.FindOptionsBuilder { return options.Find().SetLimit(n) }
