package mongodb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/datasync-go/datasync"
)

// Sink writes records to a collection as documents.
type Sink struct {
	cfg SinkConfig
	ep  *endpoint
	log *slog.Logger
}

// NewSink checks cfg and returns a Sink. It does not reach the server.
func NewSink(cfg SinkConfig) (*Sink, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	ep, err := connect(cfg.URI, cfg.Client, cfg.Database, cfg.Collection)
	if err != nil {
		return nil, fmt.Errorf("mongodb sink: %w", err)
	}
	s := &Sink{cfg: cfg, ep: ep, log: cfg.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

// Close disconnects the client the sink opened (not a given Client).
func (s *Sink) Close() error { return s.ep.close() }

// encoderFor maps schema's columns to fields.
func (s *Sink) encoderFor(schema datasync.Schema) (*encoder, error) {
	names := s.cfg.Columns
	if len(names) == 0 {
		names = schema.Names()
	}
	if len(names) != len(schema) {
		return nil, fmt.Errorf("mongodb sink %s: %d columns configured for %d source columns", s.ep.what(), len(names), len(schema))
	}
	e := &encoder{decimal: s.cfg.Decimal}
	for _, n := range names {
		if badPath(n) {
			return nil, fmt.Errorf("mongodb sink %s: column %q is not a field path", s.ep.what(), n)
		}
		e.fields = append(e.fields, field{name: n, path: splitPath(n), objectID: slices.Contains(s.cfg.ObjectID, n)})
	}
	if s.cfg.mode() != WriteInsert {
		for _, k := range s.cfg.keys() {
			if !slices.Contains(names, k) {
				return nil, fmt.Errorf("mongodb sink %s: key %q is not among the written fields %q", s.ep.what(), k, names)
			}
		}
	}
	for _, o := range s.cfg.ObjectID {
		if !slices.Contains(names, o) {
			return nil, fmt.Errorf("mongodb sink %s: objectId field %q is not among the written fields %q", s.ep.what(), o, names)
		}
	}
	return e, nil
}

// Prepare checks the fields against schema and, with Truncate, deletes
// every document of the collection.
func (s *Sink) Prepare(ctx context.Context, schema datasync.Schema) error {
	if _, err := s.encoderFor(schema); err != nil {
		return err
	}
	if s.cfg.Truncate {
		res, err := s.ep.coll().DeleteMany(ctx, bson.D{})
		if err != nil {
			return fmt.Errorf("mongodb sink %s: truncate: %w", s.ep.what(), s.ep.wrap(err))
		}
		s.log.Info("mongodb sink: truncated", "collection", s.ep.what(), "deleted", res.DeletedCount)
	}
	return nil
}

// Check connects and checks the fields against schema, without writing.
// A collection that does not exist is fine: the first write creates it.
func (s *Sink) Check(ctx context.Context, schema datasync.Schema) error {
	if _, err := s.encoderFor(schema); err != nil {
		return err
	}
	if _, err := s.ep.exists(ctx); err != nil {
		return fmt.Errorf("mongodb sink %s: %w", s.ep.what(), err)
	}
	return nil
}

// Open returns a Writer.
func (s *Sink) Open(_ context.Context, sp datasync.Split) (datasync.Writer, error) {
	return &writer{sink: s, split: sp.ID}, nil
}

// writer writes each batch with unordered bulk writes, as it comes: Flush
// has nothing left to do.
type writer struct {
	sink   *Sink
	split  string
	schema datasync.Schema
	enc    *encoder
}

// Write writes b's rows. Rows that cannot be encoded, and documents the
// server rejects (each with its reason: a duplicate key, a validation
// failure), come back as a *datasync.RowErrors; the others are written.
func (w *writer) Write(ctx context.Context, b *datasync.Batch) error {
	if w.enc == nil || !slices.Equal(w.schema.Names(), b.Schema().Names()) {
		enc, err := w.sink.encoderFor(b.Schema())
		if err != nil {
			return err
		}
		w.enc, w.schema = enc, b.Schema()
	}
	size := w.sink.cfg.BatchSize
	if size == 0 {
		size = defaultBatchSize
	}
	var dirty []*datasync.RowError
	models := make([]mongo.WriteModel, 0, min(size, b.Len()))
	rows := make([]int, 0, cap(models))
	for i := 0; i < b.Len(); i++ {
		m, rerr := w.model(b.Row(i))
		if rerr != nil {
			rerr.Row = int64(i)
			dirty = append(dirty, rerr)
			continue
		}
		models, rows = append(models, m), append(rows, i)
		if len(models) == size {
			rejected, err := w.bulk(ctx, models, rows)
			if err != nil {
				return err
			}
			dirty = append(dirty, rejected...)
			models, rows = models[:0], rows[:0]
		}
	}
	if len(models) > 0 {
		rejected, err := w.bulk(ctx, models, rows)
		if err != nil {
			return err
		}
		dirty = append(dirty, rejected...)
	}
	if len(dirty) > 0 {
		slices.SortFunc(dirty, func(a, b *datasync.RowError) int { return int(a.Row - b.Row) })
		return &datasync.RowErrors{Errors: dirty}
	}
	return nil
}

// model is the write of one record.
func (w *writer) model(rec datasync.Record) (mongo.WriteModel, *datasync.RowError) {
	doc, rerr := w.enc.document(rec)
	if rerr != nil {
		return nil, rerr
	}
	mode := w.sink.cfg.mode()
	if mode == WriteInsert {
		return mongo.NewInsertOneModel().SetDocument(doc), nil
	}
	keys := w.sink.cfg.keys()
	filter := bson.D{}
	for _, k := range keys {
		v, _ := lookup(doc, splitPath(k))
		if v == nil {
			return nil, &datasync.RowError{Column: k, Err: fmt.Errorf("key field %s is NULL", k)}
		}
		filter = append(filter, bson.E{Key: k, Value: v})
	}
	if mode == WriteReplace {
		return mongo.NewReplaceOneModel().SetFilter(filter).SetReplacement(doc).SetUpsert(true), nil
	}
	// Upsert: $set of each written path, so other fields (and the other
	// fields of embedded documents) stay; the keys go in through the filter.
	set := bson.D{}
	for i, f := range w.enc.fields {
		if slices.Contains(keys, f.name) {
			continue
		}
		v, _ := w.enc.bsonValue(rec[i], f) // encoded without error above
		set = append(set, bson.E{Key: f.name, Value: v})
	}
	update := bson.D{{Key: "$set", Value: set}}
	if len(set) == 0 {
		update = bson.D{{Key: "$setOnInsert", Value: filter}}
	}
	return mongo.NewUpdateOneModel().SetFilter(filter).SetUpdate(update).SetUpsert(true), nil
}

// bulk runs one unordered bulk write; rows[i] is the batch row of
// models[i]. Documents the server rejected come back as row errors.
func (w *writer) bulk(ctx context.Context, models []mongo.WriteModel, rows []int) ([]*datasync.RowError, error) {
	_, err := w.sink.ep.coll().BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
	if err == nil {
		return nil, nil
	}
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil || len(bwe.WriteErrors) == 0 {
		return nil, fmt.Errorf("mongodb sink %s: bulk write: %w", w.sink.ep.what(), w.sink.ep.wrap(err))
	}
	out := make([]*datasync.RowError, 0, len(bwe.WriteErrors))
	for _, we := range bwe.WriteErrors {
		if we.Index < 0 || we.Index >= len(rows) {
			return nil, fmt.Errorf("mongodb sink %s: bulk write: the server rejected write %d of %d: %w", w.sink.ep.what(), we.Index, len(rows), err)
		}
		out = append(out, &datasync.RowError{Row: int64(rows[we.Index]), Err: &WriteError{Code: we.Code, Message: we.Message}})
	}
	return out, nil
}

// Flush has nothing to do: every Write has reached the server when it
// returns.
func (w *writer) Flush(context.Context) error { return nil }

// Close releases nothing.
func (w *writer) Close() error { return nil }

// WriteError is the server's reason for rejecting one document: its error
// code (11000 for a duplicate key) and message.
type WriteError struct {
	Code    int
	Message string
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("server rejected the document (code %d): %s", e.Code, strings.TrimSpace(e.Message))
}

// DuplicateKey reports whether the document was rejected for a duplicate
// key.
func (e *WriteError) DuplicateKey() bool {
	return e.Code == 11000 || e.Code == 11001 || e.Code == 12582
}

// String describes the sink without the password.
func (s *Sink) String() string { return s.cfg.String() }

// GoString is String, so that %#v does not print the password either.
func (s *Sink) GoString() string { return s.cfg.String() }

// LogValue logs the sink without the password.
func (s *Sink) LogValue() slog.Value { return s.cfg.LogValue() }
