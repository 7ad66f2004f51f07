package redis

import (
	"context"
	"errors"
	"fmt"
	"strings"

	goredis "github.com/redis/go-redis/v9"

	"github.com/datasync-go/datasync"
)

// Sink writes rows as Redis keys (see the package doc). It is safe for
// concurrent use; each split's Writer sends its own pipelines over the
// sink's client.
type Sink struct {
	cfg    SinkConfig
	client *goredis.Client
	owned  bool
}

var (
	_ datasync.Sink        = (*Sink)(nil)
	_ datasync.SinkChecker = (*Sink)(nil)
)

// NewSink returns a Sink for cfg. It checks the config and does no I/O.
func NewSink(cfg SinkConfig) (*Sink, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cl, owned := cfg.Conn.client()
	return &Sink{cfg: cfg, client: cl, owned: owned}, nil
}

// Close closes the client the Sink made from Addr, if any; never a Client
// the caller gave.
func (s *Sink) Close() error {
	if s.owned {
		return s.client.Close()
	}
	return nil
}

// Prepare checks that schema's columns fit the config and, with Truncate,
// deletes the keys under KeyPrefix.
func (s *Sink) Prepare(ctx context.Context, schema datasync.Schema) error {
	if _, err := newRowPlan(&s.cfg, schema); err != nil {
		return fmt.Errorf("redis sink: %w", err)
	}
	if !s.cfg.Truncate {
		return nil
	}
	n, err := deletePrefix(ctx, s.client, s.cfg.KeyPrefix)
	if err != nil {
		return fmt.Errorf("redis sink %s: truncate the keys %q*: %w", s.cfg.where(), s.cfg.KeyPrefix, err)
	}
	if s.cfg.Logger != nil {
		s.cfg.Logger.Info("redis sink: truncated", "prefix", s.cfg.KeyPrefix, "keys", n)
	}
	return nil
}

// Check checks, writing nothing, that schema's columns fit the config, that
// the server answers with the credentials given, and that it is not a
// read-only replica.
func (s *Sink) Check(ctx context.Context, schema datasync.Schema) error {
	var errs []error
	if _, err := newRowPlan(&s.cfg, schema); err != nil {
		errs = append(errs, err)
	}
	if err := ping(ctx, s.client, s.cfg.where()); err != nil {
		return errors.Join(append(errs, err)...)
	}
	info, err := s.client.Info(ctx, "replication").Result()
	switch {
	case err != nil && isServerError(err):
		// A user without INFO (NOPERM) or a proxy that hides it: the
		// role cannot be told, and writing will show.
	case err != nil:
		errs = append(errs, fmt.Errorf("redis %s: INFO replication: %w", s.cfg.where(), err))
	case strings.Contains(info, "role:slave"):
		errs = append(errs, fmt.Errorf("redis %s is a replica: writes need the primary", s.cfg.where()))
	}
	return errors.Join(errs...)
}

// Open returns a Writer for split sp.
func (s *Sink) Open(_ context.Context, sp datasync.Split) (datasync.Writer, error) {
	return &writer{s: s, split: sp.ID}, nil
}

// deletePrefix deletes every key starting with prefix, SCANning for them
// and UNLINKing each page, and returns how many it deleted.
func deletePrefix(ctx context.Context, cl *goredis.Client, prefix string) (int, error) {
	var cursor uint64
	n := 0
	for {
		keys, next, err := cl.Scan(ctx, cursor, escapeGlob(prefix)+"*", defaultScanCount).Result()
		if err != nil {
			return n, err
		}
		if len(keys) > 0 {
			if err := cl.Unlink(ctx, keys...).Err(); err != nil {
				return n, err
			}
			n += len(keys)
		}
		if next == 0 {
			return n, nil
		}
		cursor = next
	}
}

// escapeGlob escapes the characters that are special in a SCAN MATCH
// pattern, so that s matches only itself.
func escapeGlob(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '*', '?', '[', ']', '\\', '^', '-':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
