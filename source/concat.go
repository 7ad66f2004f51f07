package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/datasync-go/datasync"
)

// Concat returns a Source that reads sources one after another as if they
// were one: the shards of a sharded table, or the several tables of a DataX
// reader's connection block. Their schemas must have the same column names
// and kinds; the first one's is used. Splits keep their sources' own, with
// IDs prefixed by the source's position ("0/", "1/", ...) so they stay
// unique and stable. Check and Close reach every source that has them.
func Concat(sources ...datasync.Source) datasync.Source {
	return &concat{sources: sources}
}

type concat struct {
	sources []datasync.Source
}

func (c *concat) Schema(ctx context.Context) (datasync.Schema, error) {
	if len(c.sources) == 0 {
		return nil, errors.New("source.Concat: no sources")
	}
	first, err := c.sources[0].Schema(ctx)
	if err != nil {
		return nil, err
	}
	for i, s := range c.sources[1:] {
		other, err := s.Schema(ctx)
		if err != nil {
			return nil, fmt.Errorf("source %d: %w", i+1, err)
		}
		if err := sameShape(first, other); err != nil {
			return nil, fmt.Errorf("source.Concat: source %d does not match source 0: %w", i+1, err)
		}
	}
	return first, nil
}

func sameShape(a, b datasync.Schema) error {
	if len(a) != len(b) {
		return fmt.Errorf("%d columns instead of %d", len(b), len(a))
	}
	for i := range a {
		if !strings.EqualFold(a[i].Name, b[i].Name) || a[i].Kind != b[i].Kind {
			return fmt.Errorf("column %d is %s %v instead of %s %v", i, b[i].Name, b[i].Kind, a[i].Name, a[i].Kind)
		}
	}
	return nil
}

func (c *concat) Plan(ctx context.Context, hint datasync.PlanHint) ([]datasync.Split, error) {
	var out []datasync.Split
	for i, s := range c.sources {
		splits, err := s.Plan(ctx, hint)
		if err != nil {
			return nil, fmt.Errorf("source %d: %w", i, err)
		}
		for _, sp := range splits {
			sp.ID = strconv.Itoa(i) + "/" + sp.ID
			out = append(out, sp)
		}
	}
	return out, nil
}

func (c *concat) Open(ctx context.Context, sp datasync.Split, from datasync.Checkpoint) (datasync.Reader, error) {
	prefix, id, ok := strings.Cut(sp.ID, "/")
	i, err := strconv.Atoi(prefix)
	if !ok || err != nil || i < 0 || i >= len(c.sources) {
		return nil, fmt.Errorf("source.Concat: split %q was not planned by this source", sp.ID)
	}
	sp.ID = id
	return c.sources[i].Open(ctx, sp, from)
}

// Check checks every source that can check itself.
func (c *concat) Check(ctx context.Context) error {
	var errs []error
	for i, s := range c.sources {
		if ch, ok := s.(datasync.SourceChecker); ok {
			if err := ch.Check(ctx); err != nil {
				errs = append(errs, fmt.Errorf("source %d: %w", i, err))
			}
		}
	}
	return errors.Join(errs...)
}

// Close closes every source that holds resources.
func (c *concat) Close() error {
	var errs []error
	for _, s := range c.sources {
		if cl, ok := s.(io.Closer); ok {
			errs = append(errs, cl.Close())
		}
	}
	return errors.Join(errs...)
}
