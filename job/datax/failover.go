package datax

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/datasync-go/datasync"
)

// firstAvailable is a reader's connection entry with several jdbcUrls:
// DataX tries them in order and reads through the first that connects.
// The candidates are sources built from each URL; the first whose Check
// passes (it connects and finds the table or query) is used for
// everything, and when none passes the error lists every URL, password
// redacted, with its failure.
type firstAvailable struct {
	candidates []datasync.Source
	urls       []string // redacted, for messages
	unusable   []string // the failures of the URLs that do not even parse

	mu     sync.Mutex
	chosen datasync.Source
}

// newFirstAvailable returns the source reading through the first of
// candidates that works; urls are their JDBC URLs, and unusable the
// failures of the entry's URLs that do not parse.
func newFirstAvailable(candidates []datasync.Source, urls, unusable []string) datasync.Source {
	if len(candidates) == 1 && len(unusable) == 0 {
		return candidates[0]
	}
	redacted := make([]string, len(urls))
	for i, u := range urls {
		redacted[i] = redactURL(u)
	}
	return &firstAvailable{candidates: candidates, urls: redacted, unusable: unusable}
}

// choose returns the first candidate whose check passes, trying them in
// order the first time (and again after a failure: the servers may come
// back).
func (f *firstAvailable) choose(ctx context.Context) (datasync.Source, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.chosen != nil {
		return f.chosen, nil
	}
	failures := append([]string(nil), f.unusable...)
	for i, c := range f.candidates {
		err := ctx.Err()
		if err == nil {
			err = check(ctx, c)
		}
		if err == nil {
			f.chosen = c
			return c, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		failures = append(failures, fmt.Sprintf("%s: %v", f.urls[i], err))
	}
	return nil, fmt.Errorf("none of the %d jdbcUrls connects:\n    %s", len(failures), strings.Join(failures, "\n    "))
}

// check runs the source's check, or reads its schema when it has none.
func check(ctx context.Context, s datasync.Source) error {
	if c, ok := s.(datasync.SourceChecker); ok {
		return c.Check(ctx)
	}
	_, err := s.Schema(ctx)
	return err
}

// Schema returns the schema of the first candidate that works.
func (f *firstAvailable) Schema(ctx context.Context) (datasync.Schema, error) {
	c, err := f.choose(ctx)
	if err != nil {
		return nil, err
	}
	return c.Schema(ctx)
}

// Plan plans the splits of the first candidate that works.
func (f *firstAvailable) Plan(ctx context.Context, hint datasync.PlanHint) ([]datasync.Split, error) {
	c, err := f.choose(ctx)
	if err != nil {
		return nil, err
	}
	return c.Plan(ctx, hint)
}

// Open opens a split on the first candidate that works.
func (f *firstAvailable) Open(ctx context.Context, s datasync.Split, from datasync.Checkpoint) (datasync.Reader, error) {
	c, err := f.choose(ctx)
	if err != nil {
		return nil, err
	}
	return c.Open(ctx, s, from)
}

// Check chooses the candidate, which checks it.
func (f *firstAvailable) Check(ctx context.Context) error {
	_, err := f.choose(ctx)
	return err
}

// Close closes every candidate.
func (f *firstAvailable) Close() error {
	var errs []error
	for _, c := range f.candidates {
		if cl, ok := c.(io.Closer); ok {
			errs = append(errs, cl.Close())
		}
	}
	return errors.Join(errs...)
}
