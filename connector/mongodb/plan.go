package mongodb

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/datasync-go/datasync"
)

// splitSpec is a split's Spec. A range split reads the documents whose _id
// is of BSON type Type, from Min (inclusive, none when empty) to Max
// (exclusive, none when empty), the bounds in canonical Extended JSON; the
// "other" split reads the documents whose _id is of another type (usually
// none); a split with Type 0 reads the whole collection (an empty one when
// planned).
type splitSpec struct {
	Type  bson.Type `json:"type,omitempty"`
	Min   string    `json:"min,omitempty"`
	Max   string    `json:"max,omitempty"`
	Other bool      `json:"other,omitempty"`
}

// samplesPerSplit is how many sampled _ids stand for one split.
const samplesPerSplit = 10

// Plan divides the collection into _id ranges: the _ids of the type of the
// smallest _id are sampled ($sample, or, where the server lacks it, sorted
// and skipped to), and every samplesPerSplit-th becomes a boundary.
// Documents whose _id is of another type form one more split. The
// documents are counted once (estimated count); the same collection, not
// changed, plans the same IDs.
func (s *Source) Plan(ctx context.Context, hint datasync.PlanHint) ([]datasync.Split, error) {
	coll := s.ep.coll()
	count, err := coll.EstimatedDocumentCount(ctx)
	if err != nil {
		return nil, fmt.Errorf("mongodb source %s: count: %w", s.ep.what(), s.ep.wrap(err))
	}
	first, err := coll.FindOne(ctx, bson.D{}, options.FindOne().SetSort(bson.D{{Key: "_id", Value: 1}}).SetProjection(bson.D{{Key: "_id", Value: 1}})).Raw()
	if errors.Is(err, mongo.ErrNoDocuments) {
		sp, err := datasync.NewSplit("all", splitSpec{}, 0)
		return []datasync.Split{sp}, err
	}
	if err != nil {
		return nil, fmt.Errorf("mongodb source %s: smallest _id: %w", s.ep.what(), s.ep.wrap(err))
	}
	idType := first.Lookup("_id").Type
	n := s.splitCount(count, hint)
	var bounds []bson.RawValue
	if n > 1 {
		if bounds, err = s.boundaries(ctx, idType, n); err != nil {
			return nil, fmt.Errorf("mongodb source %s: split boundaries: %w", s.ep.what(), err)
		}
	}
	var out []datasync.Split
	rows := count / int64(len(bounds)+1)
	for i := 0; i <= len(bounds); i++ {
		spec := splitSpec{Type: idType}
		if i > 0 {
			spec.Min = canonical(bounds[i-1])
		}
		if i < len(bounds) {
			spec.Max = canonical(bounds[i])
		}
		sp, err := datasync.NewSplit(fmt.Sprintf("range-%04d", i), spec, rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sp)
	}
	other, err := datasync.NewSplit("other-types", splitSpec{Type: idType, Other: true}, 0)
	return append(out, other), err
}

// splitCount is the number of ranges wanted.
func (s *Source) splitCount(count int64, hint datasync.PlanHint) int {
	if s.cfg.Splits > 0 {
		return s.cfg.Splits
	}
	minDocs := s.cfg.MinSplitDocs
	if minDocs == 0 {
		minDocs = defaultMinSplitDocs
	}
	n := int64(4 * max(hint.Parallelism, 1))
	n = min(n, count/minDocs)
	return int(max(n, 1))
}

// boundaries returns up to n-1 distinct ascending _ids of type t.
func (s *Source) boundaries(ctx context.Context, t bson.Type, n int) ([]bson.RawValue, error) {
	ofType := bson.D{{Key: "_id", Value: bson.D{{Key: "$type", Value: int32(t)}}}}
	ids, err := s.sampled(ctx, ofType, n*samplesPerSplit)
	if err != nil {
		s.log.Info("mongodb source: $sample failed; skipping through the sorted _ids instead", "collection", s.ep.what(), "error", err)
		return s.skipped(ctx, ofType, n)
	}
	var out []bson.RawValue
	for i := samplesPerSplit; i < len(ids); i += samplesPerSplit {
		out = appendDistinct(out, ids[i])
	}
	return out, nil
}

// sampled returns size random _ids matching ofType, sorted.
func (s *Source) sampled(ctx context.Context, ofType bson.D, size int) ([]bson.RawValue, error) {
	cur, err := s.ep.coll().Aggregate(ctx, bson.A{
		bson.D{{Key: "$match", Value: ofType}},
		bson.D{{Key: "$sample", Value: bson.D{{Key: "size", Value: size}}}},
		bson.D{{Key: "$project", Value: bson.D{{Key: "_id", Value: 1}}}},
		bson.D{{Key: "$sort", Value: bson.D{{Key: "_id", Value: 1}}}},
	})
	if err != nil {
		return nil, s.ep.wrap(err)
	}
	return collectIDs(ctx, cur)
}

// skipped returns the _ids at every count/n-th position of the sorted _ids
// matching ofType: n-1 small queries, for servers without $sample
// (FerretDB).
func (s *Source) skipped(ctx context.Context, ofType bson.D, n int) ([]bson.RawValue, error) {
	coll := s.ep.coll()
	count, err := coll.CountDocuments(ctx, ofType)
	if err != nil {
		return nil, s.ep.wrap(err)
	}
	var out []bson.RawValue
	for i := 1; i < n; i++ {
		skip := count * int64(i) / int64(n)
		if skip == 0 {
			continue
		}
		raw, err := coll.FindOne(ctx, ofType, options.FindOne().SetSort(bson.D{{Key: "_id", Value: 1}}).
			SetProjection(bson.D{{Key: "_id", Value: 1}}).SetSkip(skip)).Raw()
		if errors.Is(err, mongo.ErrNoDocuments) {
			break
		}
		if err != nil {
			return nil, s.ep.wrap(err)
		}
		out = appendDistinct(out, raw.Lookup("_id"))
	}
	return out, nil
}

func collectIDs(ctx context.Context, cur *mongo.Cursor) ([]bson.RawValue, error) {
	defer cur.Close(ctx)
	var out []bson.RawValue
	for cur.Next(ctx) {
		id := cur.Current.Lookup("_id")
		id.Value = bytes.Clone(id.Value)
		out = append(out, id)
	}
	return out, cur.Err()
}

// appendDistinct appends v unless it equals the last boundary.
func appendDistinct(out []bson.RawValue, v bson.RawValue) []bson.RawValue {
	if len(out) > 0 && out[len(out)-1].Equal(v) {
		return out
	}
	return append(out, v)
}

// canonical is v in canonical Extended JSON, which keeps its exact type.
func canonical(v bson.RawValue) string {
	doc, err := bson.Marshal(bson.D{{Key: "v", Value: v}})
	if err != nil {
		return ""
	}
	out, err := bson.MarshalExtJSON(bson.Raw(doc), true, false)
	if err != nil {
		return ""
	}
	return string(out)
}

// fromCanonical reverses canonical.
func fromCanonical(s string) (bson.RawValue, error) {
	var doc bson.Raw
	if err := bson.UnmarshalExtJSON([]byte(s), true, &doc); err != nil {
		return bson.RawValue{}, err
	}
	return doc.LookupErr("v")
}
