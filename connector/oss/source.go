package oss

import (
	"context"
	"fmt"
	"sync"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/textcodec"
)

// Source reads text objects from an OSS bucket. It is safe for concurrent
// use.
type Source struct {
	cfg  SourceConfig
	spec *textcodec.ReadSpec
	st   store

	mu      sync.Mutex
	objects []objectInfo // listed once, so that every Plan plans the same splits
}

var (
	_ datasync.Source        = (*Source)(nil)
	_ datasync.SourceChecker = (*Source)(nil)
)

// NewSource checks cfg and returns a Source. It does not reach OSS: the
// objects are listed by Schema, Plan and Check.
func NewSource(cfg SourceConfig) (*Source, error) {
	spec, err := textcodec.CompileRead(cfg.ReadOptions)
	if err != nil {
		return nil, fmt.Errorf("oss: %w", err)
	}
	if len(cfg.Object) == 0 {
		return nil, fmt.Errorf("oss: object is empty: name the objects to read")
	}
	for _, o := range cfg.Object {
		if _, err := parsePattern(o); err != nil {
			return nil, fmt.Errorf("oss: %w", err)
		}
	}
	conn := cfg.conn()
	b, err := conn.open()
	if err != nil {
		return nil, fmt.Errorf("oss: %w", err)
	}
	return &Source{cfg: cfg, spec: spec, st: newSDKStore(b, conn.secrets())}, nil
}

// String describes the source, without credentials.
func (s *Source) String() string { return s.cfg.String() }

func (s *Source) list(ctx context.Context) ([]objectInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.objects != nil {
		return s.objects, nil
	}
	objs, err := listObjects(ctx, s.st, s.cfg.Object)
	if err != nil {
		return nil, err
	}
	s.objects = objs
	return objs, nil
}

// Schema returns the columns: the configured ones, or, for columns "*" or
// index columns named by the header, those the first object shows.
func (s *Source) Schema(ctx context.Context) (datasync.Schema, error) {
	var probe *textcodec.Probe
	if s.spec.NeedsProbe() {
		objs, err := s.list(ctx)
		if err != nil {
			return nil, err
		}
		if probe, err = s.probe(ctx, objs[0]); err != nil {
			return nil, err
		}
	}
	schema, err := s.spec.Resolve(probe)
	if err != nil {
		return nil, fmt.Errorf("oss: %w", err)
	}
	return schema, nil
}

// probe reads the start of an object.
func (s *Source) probe(ctx context.Context, o objectInfo) (*textcodec.Probe, error) {
	r, err := objectOpener{st: s.st, key: o.Key, etag: o.ETag, size: o.Size}.OpenAt(ctx, 0)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	p, err := s.spec.ProbeStream(r, o.Key)
	if err != nil {
		return nil, fmt.Errorf("oss: %w", err)
	}
	return p, nil
}

// Plan returns one split per object, and byte ranges of SplitSize for large
// uncompressed objects that can be split (text, jsonl, and csv with
// NoQuotedNewlines). IDs are object-<n> (and object-<n>-<range>), n counting
// the sorted objects from 0.
func (s *Source) Plan(ctx context.Context, _ datasync.PlanHint) ([]datasync.Split, error) {
	objs, err := s.list(ctx)
	if err != nil {
		return nil, err
	}
	var splits []datasync.Split
	for i, o := range objs {
		specs, err := s.spec.PlanFile(o.Key, o.Size, func() (*textcodec.Probe, error) { return s.probe(ctx, o) })
		if err != nil {
			return nil, err
		}
		for j := range specs {
			specs[j].ETag = o.ETag
		}
		objectSplits, err := textcodec.Splits("object", i, specs)
		if err != nil {
			return nil, err
		}
		splits = append(splits, objectSplits...)
	}
	return splits, nil
}

// Open returns a reader of split sp from checkpoint from. It streams the
// object with ranged GETs, reconnecting where a dropped connection left
// off, and checks the CRC-64 of whole objects.
func (s *Source) Open(ctx context.Context, sp datasync.Split, from datasync.Checkpoint) (datasync.Reader, error) {
	if _, err := s.Schema(ctx); err != nil {
		return nil, err
	}
	spec, err := textcodec.DecodeSplit(sp, "object")
	if err != nil {
		return nil, fmt.Errorf("oss: %w", err)
	}
	op := objectOpener{st: s.st, key: spec.Name, etag: spec.ETag, size: spec.Size}
	r, err := s.spec.OpenReader(ctx, op, spec, from, textcodec.ReaderOptions{VerifyCRC: true})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Check lists the objects (so the endpoint, the bucket and the credentials
// work and every pattern matches) and reads the start of the first one,
// which must have the columns the configuration names.
func (s *Source) Check(ctx context.Context) error {
	objs, err := s.list(ctx)
	if err != nil {
		return err
	}
	if _, err := s.Schema(ctx); err != nil {
		return err
	}
	p, err := s.probe(ctx, objs[0])
	if err != nil {
		return err
	}
	if err := s.spec.CheckProbe(p); err != nil {
		return fmt.Errorf("oss: %s: %w", objs[0].Key, err)
	}
	return nil
}
