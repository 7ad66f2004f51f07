package redis

import (
	"context"
	"encoding/json"
	"fmt"

	goredis "github.com/redis/go-redis/v9"

	"github.com/datasync-go/datasync"
)

// Source reads the keys that SCAN finds as rows (see the package doc).
type Source struct {
	cfg    SourceConfig
	client *goredis.Client
	owned  bool
	schema datasync.Schema
}

var (
	_ datasync.Source        = (*Source)(nil)
	_ datasync.SourceChecker = (*Source)(nil)
)

// NewSource returns a Source for cfg. It checks the config and does no
// I/O.
func NewSource(cfg SourceConfig) (*Source, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cl, owned := cfg.Conn.client()
	return &Source{cfg: cfg, client: cl, owned: owned, schema: sourceSchema(cfg)}, nil
}

// sourceSchema is the columns of cfg's layout.
func sourceSchema(cfg SourceConfig) datasync.Schema {
	valueKind := datasync.KindString
	if cfg.Binary {
		valueKind = datasync.KindBytes
	}
	s := datasync.Schema{
		{Name: "key", Kind: datasync.KindString, Native: "key", Key: 1},
		{Name: "type", Kind: datasync.KindString, Native: "type"},
	}
	if cfg.Layout == LayoutElement {
		s = append(s, datasync.Column{Name: "field", Kind: valueKind, Nullable: true, Native: "field"})
		s[2].Key = 2
	}
	return append(s,
		datasync.Column{Name: "value", Kind: valueKind, Native: "value"},
		datasync.Column{Name: "ttl", Kind: datasync.KindInt, Nullable: true, Native: "ttl"},
	)
}

// Close closes the client the Source made from Addr, if any; never a
// Client the caller gave.
func (s *Source) Close() error {
	if s.owned {
		return s.client.Close()
	}
	return nil
}

// Schema returns the columns of the layout; it does no I/O.
func (s *Source) Schema(context.Context) (datasync.Schema, error) { return s.schema, nil }

// Check checks that the server answers with the credentials given.
func (s *Source) Check(ctx context.Context) error { return ping(ctx, s.client, s.cfg.where()) }

// splitSpec is a split: the hash slots [From, To) whose keys it reads.
type splitSpec struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// Plan divides the 16,384 hash slots into Splits ranges (by default the
// pipeline's parallelism). It does no I/O: every split SCANs the whole key
// space and keeps the keys of its slots.
func (s *Source) Plan(_ context.Context, hint datasync.PlanHint) ([]datasync.Split, error) {
	n := s.cfg.Splits
	if n == 0 {
		n = max(hint.Parallelism, 1)
	}
	n = min(n, hashSlots)
	splits := make([]datasync.Split, n)
	for i := range n {
		sp := splitSpec{From: i * hashSlots / n, To: (i + 1) * hashSlots / n}
		spec, _ := json.Marshal(sp)
		splits[i] = datasync.Split{ID: fmt.Sprintf("slots-%05d-%05d", sp.From, sp.To-1), Spec: spec}
	}
	return splits, nil
}

// Open returns a reader of split sp, resuming after checkpoint from when it
// is not empty.
func (s *Source) Open(_ context.Context, sp datasync.Split, from datasync.Checkpoint) (datasync.Reader, error) {
	var spec splitSpec
	if err := json.Unmarshal(sp.Spec, &spec); err != nil {
		return nil, datasync.Permanent(fmt.Errorf("redis source: split %s: spec %s: %w", sp.ID, sp.Spec, err))
	}
	if spec.From < 0 || spec.To > hashSlots || spec.From >= spec.To {
		return nil, datasync.Permanent(fmt.Errorf("redis source: split %s: slots [%d, %d) are not a range of 0..%d", sp.ID, spec.From, spec.To, hashSlots))
	}
	r := &reader{s: s, split: sp.ID, from: spec.From, to: spec.To}
	if len(from) > 0 {
		var cp checkpoint
		if err := json.Unmarshal(from, &cp); err != nil {
			return nil, datasync.Permanent(fmt.Errorf("redis source: split %s: checkpoint %q: %w", sp.ID, from, err))
		}
		r.cursor, r.done = cp.Cursor, cp.Done
	}
	r.pageStart = r.cursor
	return r, nil
}

// checkpoint is a reader's position: the SCAN cursor to go on from (0,
// left out, is the start), or Done when the scan is complete.
type checkpoint struct {
	Cursor uint64 `json:"cursor,omitempty"`
	Done   bool   `json:"done,omitempty"`
}
