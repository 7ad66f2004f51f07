package mongodb

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
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

// reader reads one split in pages: a find sorted by _id with a limit of
// FetchSize documents (10,000 by default), each page resuming after the
// last _id (or, in the split of other _id types, skipping the documents
// read). A page's cursor may stay open between two Reads, never longer
// than the page lasts.
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
	cur        *mongo.Cursor // the current page, nil between pages
	pageSize   int64
	inPage     int64 // documents taken from the current page
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

// defaultPageSize is the documents of a page when FetchSize is 0.
const defaultPageSize = 10_000

// Read appends documents to b from the current page, opening the next page
// when the last one is used up.
func (r *reader) Read(ctx context.Context, b *datasync.Batch) error {
	if r.cur == nil {
		if r.done {
			return io.EOF
		}
		if err := r.openPage(ctx); err != nil {
			return err
		}
	}
	var dirty []*datasync.RowError
	for !b.Full() {
		if !r.cur.Next(ctx) {
			err := r.cur.Err()
			_ = r.cur.Close(ctx)
			r.cur = nil
			if err != nil {
				return fmt.Errorf("mongodb source %s: split %q: %w", r.src.ep.what(), r.split, r.src.ep.wrap(err))
			}
			r.done = r.inPage < r.pageSize // a short page is the last
			break
		}
		r.inPage++
		r.row++
		doc := r.cur.Current
		rec := b.Append()
		if rerr := decodeRow(doc, r.src.cols, rec); rerr != nil {
			b.RemoveLast()
			rerr.Split, rerr.Row = r.split, r.row
			dirty = append(dirty, rerr)
		}
		r.advance(doc)
	}
	if len(dirty) > 0 {
		return &datasync.RowErrors{Errors: dirty}
	}
	if r.done {
		return io.EOF
	}
	return nil
}

// openPage starts the next page: a find sorted by _id after the position,
// limited to the page size.
func (r *reader) openPage(ctx context.Context) error {
	r.pageSize = int64(r.src.cfg.FetchSize)
	if r.pageSize == 0 {
		r.pageSize = defaultPageSize
	}
	// No batch size: the server fills 16 MiB replies, and servers that
	// run the query again for each getMore (FerretDB) do it rarely.
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetProjection(r.projection).SetLimit(r.pageSize)
	if !r.keyset() && r.skip > 0 {
		opts.SetSkip(r.skip)
	}
	cur, err := r.src.ep.coll().Find(ctx, r.filter(), opts)
	if err != nil {
		return fmt.Errorf("mongodb source %s: split %q: %w", r.src.ep.what(), r.split, r.src.ep.wrap(err))
	}
	r.cur, r.inPage = cur, 0
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

// Close closes the current page's cursor, if any.
func (r *reader) Close() error {
	if r.cur != nil {
		return r.cur.Close(context.Background())
	}
	return nil
}

func findLimit(n int64) *options.FindOptionsBuilder { return options.Find().SetLimit(n) }
