package oss

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// pattern is one entry of SourceConfig.Object.
type pattern struct {
	raw    string
	prefix string // the listing prefix: the text before the first wildcard
	kind   int
}

const (
	exactKey = iota // no wildcard: one object
	underDir        // ends with "/": every object under it
	wildcard        // * and ?
)

func parsePattern(p string) (pattern, error) {
	if p == "" {
		return pattern{}, errors.New("an object pattern is empty")
	}
	i := strings.IndexAny(p, "*?")
	switch {
	case i >= 0:
		return pattern{raw: p, prefix: p[:i], kind: wildcard}, nil
	case strings.HasSuffix(p, "/"):
		return pattern{raw: p, prefix: p, kind: underDir}, nil
	}
	return pattern{raw: p, prefix: p, kind: exactKey}, nil
}

func (p pattern) match(key string) bool {
	switch p.kind {
	case exactKey:
		return key == p.raw
	case underDir:
		return strings.HasPrefix(key, p.prefix) && !strings.HasSuffix(key, "/")
	}
	return !strings.HasSuffix(key, "/") && globMatch(p.raw, key)
}

// globMatch matches * (any run of characters, "/" included) and ? (one
// character).
func globMatch(pat, s string) bool {
	pr, sr := []rune(pat), []rune(s)
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(sr) {
		switch {
		case pi < len(pr) && (pr[pi] == '?' || pr[pi] == sr[si]):
			pi++
			si++
		case pi < len(pr) && pr[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(pr) && pr[pi] == '*' {
		pi++
	}
	return pi == len(pr)
}

// listObjects returns the objects the patterns match, sorted by key, each
// once. A pattern that matches nothing is an error naming it.
func listObjects(ctx context.Context, st store, patterns []string) ([]objectInfo, error) {
	if len(patterns) == 0 {
		return nil, errors.New("oss: object is empty: name the objects to read")
	}
	seen := map[string]bool{}
	var objs []objectInfo
	var errs []error
	for _, raw := range patterns {
		p, err := parsePattern(raw)
		if err != nil {
			errs = append(errs, fmt.Errorf("oss: %w", err))
			continue
		}
		found := 0
		token := ""
		for {
			page, err := st.list(ctx, p.prefix, token)
			if err != nil {
				return nil, err
			}
			for _, o := range page.Objects {
				if !p.match(o.Key) {
					continue
				}
				found++
				if !seen[o.Key] {
					seen[o.Key] = true
					objs = append(objs, o)
				}
			}
			// An exact key sorts first among the keys it prefixes.
			if !page.Truncated || (p.kind == exactKey && found > 0) {
				break
			}
			token = page.Next
		}
		if found == 0 {
			if p.kind == exactKey {
				errs = append(errs, fmt.Errorf("oss: object %q does not exist in bucket %q", raw, st.bucketName()))
			} else {
				errs = append(errs, fmt.Errorf("oss: object pattern %q matches no object in bucket %q", raw, st.bucketName()))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.SortFunc(objs, func(a, b objectInfo) int { return strings.Compare(a.Key, b.Key) })
	return objs, nil
}
