package mongodb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/datasync-go/datasync"
)

// Source reads a collection. Its methods may be called from several
// goroutines at once.
type Source struct {
	cfg    SourceConfig
	ep     *endpoint
	cols   []column
	filter bson.D
	log    *slog.Logger
}

// column is a Column with its path split.
type column struct {
	name string
	path []string
	kind datasync.Kind
}

// NewSource checks cfg and returns a Source. It does not reach the server.
func NewSource(cfg SourceConfig) (*Source, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	filter, _ := parseFilter(cfg.Filter)
	ep, err := connect(cfg.URI, cfg.Client, cfg.Database, cfg.Collection)
	if err != nil {
		return nil, fmt.Errorf("mongodb source: %w", err)
	}
	s := &Source{cfg: cfg, ep: ep, filter: filter, log: cfg.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	for _, c := range cfg.Columns {
		s.cols = append(s.cols, column{name: c.Name, path: splitPath(c.Name), kind: c.Kind})
	}
	return s, nil
}

// Close disconnects the client the source opened (not a given Client).
func (s *Source) Close() error { return s.ep.close() }

// Schema returns the columns as configured: their paths as names, nullable
// (a document may lack any field); _id is the key.
func (s *Source) Schema(context.Context) (datasync.Schema, error) {
	out := make(datasync.Schema, len(s.cols))
	for i, c := range s.cols {
		out[i] = datasync.Column{Name: c.name, Kind: c.kind, Nullable: c.name != "_id", Native: "bson"}
		if c.name == "_id" {
			out[i].Key = 1
		}
	}
	return out, nil
}

// Check connects and checks that the collection exists and that the
// filter is accepted by the server.
func (s *Source) Check(ctx context.Context) error {
	ok, err := s.ep.exists(ctx)
	if err != nil {
		return fmt.Errorf("mongodb source %s: %w", s.ep.what(), err)
	}
	if !ok {
		return fmt.Errorf("mongodb source: collection %s does not exist", s.ep.what())
	}
	cur, err := s.ep.coll().Find(ctx, s.filter, findLimit(1))
	if err != nil {
		return fmt.Errorf("mongodb source %s: filter %s: %w", s.ep.what(), s.cfg.Filter, s.ep.wrap(err))
	}
	return cur.Close(ctx)
}

// and combines the source's filter with cond.
func (s *Source) and(cond ...bson.E) bson.D {
	c := bson.D(cond)
	if len(s.filter) == 0 {
		return c
	}
	if len(c) == 0 {
		return s.filter
	}
	return bson.D{{Key: "$and", Value: bson.A{s.filter, c}}}
}

// errEmpty is what a split that read nothing wraps, for messages.
var errEmpty = errors.New("empty")

// String describes the source without the password.
func (s *Source) String() string { return s.cfg.String() }

// GoString is String, so that %#v does not print the password either.
func (s *Source) GoString() string { return s.cfg.String() }

// LogValue logs the source without the password.
func (s *Source) LogValue() slog.Value { return s.cfg.LogValue() }
