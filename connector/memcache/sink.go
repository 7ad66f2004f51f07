package memcache

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/bradfitz/gomemcache/memcache"

	"github.com/datasync-go/datasync"
)

// Sink writes rows as memcached items (see the package doc). It is safe
// for concurrent use.
type Sink struct {
	cfg    SinkConfig
	client *memcache.Client
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
	s := &Sink{cfg: cfg, client: cfg.Client}
	if s.client == nil {
		s.client = memcache.New(cfg.Servers...)
		s.client.Timeout = cmpOr(cfg.Timeout, defaultTimeout)
		s.client.MaxIdleConns = cmpOr(cfg.Concurrency, defaultConcurrency)
		s.owned = true
	}
	return s, nil
}

// Close closes the connections of the client the Sink made from Servers;
// never a Client the caller gave.
func (s *Sink) Close() error {
	if s.owned {
		return s.client.Close()
	}
	return nil
}

// Prepare checks that schema's columns fit the config.
func (s *Sink) Prepare(_ context.Context, schema datasync.Schema) error {
	_, err := newRowPlan(&s.cfg, schema)
	return err
}

// Check checks that schema's columns fit the config and that every server
// answers.
func (s *Sink) Check(_ context.Context, schema datasync.Schema) error {
	var errs []error
	if _, err := newRowPlan(&s.cfg, schema); err != nil {
		errs = append(errs, err)
	}
	if err := s.client.Ping(); err != nil {
		errs = append(errs, fmt.Errorf("memcache %s: %w", s.where(), err))
	}
	return errors.Join(errs...)
}

// where names the servers in errors.
func (s *Sink) where() string {
	if s.cfg.Client != nil {
		return "the caller's client"
	}
	return strings.Join(s.cfg.Servers, ",")
}

// Open returns a Writer for split sp.
func (s *Sink) Open(_ context.Context, sp datasync.Split) (datasync.Writer, error) {
	return &writer{s: s, split: sp.ID}, nil
}

// rowPlan says how a row of one schema becomes an item.
type rowPlan struct {
	keyCols, valueCols []int
	names              []string
}

func newRowPlan(cfg *SinkConfig, schema datasync.Schema) (*rowPlan, error) {
	p := &rowPlan{keyCols: cfg.KeyColumns, names: schema.Names()}
	if len(p.keyCols) == 0 {
		p.keyCols = []int{0}
	}
	var errs []error
	isKey := map[int]bool{}
	for _, k := range p.keyCols {
		switch {
		case k >= len(schema):
			errs = append(errs, fmt.Errorf("keyColumns: column %d is past the source's %d columns (%s)", k, len(schema), strings.Join(schema.Names(), ", ")))
		case isKey[k]:
			errs = append(errs, fmt.Errorf("keyColumns: column %d is listed twice", k))
		}
		isKey[k] = true
	}
	for i := range schema {
		if !isKey[i] {
			p.valueCols = append(p.valueCols, i)
		}
	}
	switch {
	case len(p.valueCols) == 0 && len(errs) == 0:
		errs = append(errs, fmt.Errorf("no value columns: every column of the source (%s) is a key column", strings.Join(schema.Names(), ", ")))
	case cfg.Format == Binary && len(p.valueCols) != 1:
		errs = append(errs, fmt.Errorf("the binary format writes one value column; the source has %d besides the key", len(p.valueCols)))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("memcache sink: %w", err)
	}
	return p, nil
}

// item is one row to store.
type item struct {
	row int
	it  memcache.Item
}

// writer stores each batch's items before Write returns, Concurrency
// requests at a time; Flush has nothing left to do.
type writer struct {
	s     *Sink
	split string
	plan  *rowPlan
	of    datasync.Schema
	buf   []byte
}

// Write stores the rows of b. Rows without a valid key, too large, or
// refused by the server (NOT_STORED under add, replace, append and
// prepend; SERVER_ERROR) come back as a *datasync.RowErrors; every other
// row is stored.
func (w *writer) Write(_ context.Context, b *datasync.Batch) error {
	if w.plan == nil || !sameColumns(w.of, b.Schema()) {
		p, err := newRowPlan(&w.s.cfg, b.Schema())
		if err != nil {
			return datasync.Permanent(err)
		}
		w.plan, w.of = p, b.Schema()
	}
	cfg := &w.s.cfg
	expiration := w.expiration()
	maxSize := cmpOr(cfg.MaxItemSize, DefaultMaxItemSize)
	var dirty []*datasync.RowError
	reject := func(row int, column, value string, err error) {
		dirty = append(dirty, &datasync.RowError{Split: w.split, Row: int64(row), Column: column, Value: value, Err: err})
	}
	n := cmpOr(cfg.Concurrency, defaultConcurrency)
	shards := make([][]item, n)
	for i := range b.Len() {
		rec := b.Row(i)
		key, col := w.key(rec)
		if col != "" {
			reject(i, col, "", errors.New("a key column is NULL"))
			continue
		}
		value := w.value(rec)
		if size := len(key) + len(value); size > maxSize {
			reject(i, "", key, fmt.Errorf("the item (key and value) is %d bytes, over the item size limit of %d", size, maxSize))
			continue
		}
		h := fnv.New32a()
		h.Write([]byte(key))
		shard := int(h.Sum32() % uint32(n))
		shards[shard] = append(shards[shard], item{row: i, it: memcache.Item{Key: key, Value: value, Flags: cfg.Flags, Expiration: expiration}})
	}
	var mu sync.Mutex
	var failed error
	var wg sync.WaitGroup
	for _, items := range shards {
		if len(items) == 0 {
			continue
		}
		wg.Go(func() {
			for _, it := range items {
				err := w.store(&it.it)
				if err == nil {
					continue
				}
				mu.Lock()
				reason, isDirty := rowRefusal(err, cfg.WriteMode)
				if isDirty {
					reject(it.row, "", it.it.Key, reason)
				} else if failed == nil {
					failed = fmt.Errorf("memcache sink %s: %s %q: %w", w.s.where(), cmpOr(cfg.WriteMode, Set), it.it.Key, err)
				}
				mu.Unlock()
				if !isDirty {
					return // the connection failed: the write fails
				}
			}
		})
	}
	wg.Wait()
	if failed != nil {
		return failed
	}
	if len(dirty) > 0 {
		sortRowErrors(dirty)
		return &datasync.RowErrors{Errors: dirty}
	}
	return nil
}

// store sends one item with the write mode's command.
func (w *writer) store(it *memcache.Item) error {
	c := w.s.client
	switch w.s.cfg.WriteMode {
	case Add:
		return c.Add(it)
	case Replace:
		return c.Replace(it)
	case Append:
		return c.Append(it)
	case Prepend:
		return c.Prepend(it)
	}
	return c.Set(it)
}

// rowRefusal says whether err is the server's refusal of one item, which
// makes its row dirty, and why; other errors (a connection lost, a
// timeout) fail the write.
func rowRefusal(err error, mode WriteMode) (error, bool) {
	var netErr net.Error
	switch {
	case errors.Is(err, memcache.ErrNotStored):
		why := map[WriteMode]string{Add: "the key already exists", Replace: "the key does not exist",
			Append: "the key does not exist", Prepend: "the key does not exist"}[mode]
		return fmt.Errorf("NOT_STORED: %s (writeMode %s): %w", why, mode, err), true
	case errors.Is(err, memcache.ErrMalformedKey):
		return fmt.Errorf("the key is not one memcached takes (at most 250 bytes, no spaces or control characters): %w", err), true
	case errors.As(err, &netErr), errors.Is(err, memcache.ErrNoServers):
		return nil, false
	case strings.Contains(err.Error(), "SERVER_ERROR"), strings.Contains(err.Error(), "CLIENT_ERROR"):
		return fmt.Errorf("the server refused the item: %w", err), true
	}
	return nil, false
}

// key returns the row's key, or the name of a key column that is NULL.
func (w *writer) key(rec datasync.Record) (string, string) {
	cfg := &w.s.cfg
	buf := append(w.buf[:0], cfg.KeyPrefix...)
	for i, c := range w.plan.keyCols {
		if rec[c].IsNull() {
			return "", w.plan.names[c]
		}
		if i > 0 {
			buf = append(buf, cmpOr(cfg.KeyDelimiter, DefaultKeyDelimiter)...)
		}
		buf = rec[c].AppendTo(buf)
	}
	w.buf = buf
	return string(buf), ""
}

// value returns the row's value, a copy the item may keep.
func (w *writer) value(rec datasync.Record) []byte {
	var out []byte
	for i, c := range w.plan.valueCols {
		if i > 0 {
			out = append(out, cmpOr(w.s.cfg.ValueDelimiter, DefaultDelimiter)...)
		}
		out = rec[c].AppendTo(out)
	}
	if out == nil {
		out = []byte{}
	}
	return out
}

// expiration is the Expiration of every item: relative seconds up to 30
// days, the Unix time beyond (as memcached reads them).
func (w *writer) expiration() int32 {
	cfg := &w.s.cfg
	switch {
	case !cfg.ExpireAt.IsZero():
		return int32(cfg.ExpireAt.Unix())
	case cfg.TTL > maxRelativeExpiry:
		return int32(time.Now().Add(cfg.TTL).Unix())
	case cfg.TTL > 0:
		return int32((cfg.TTL + time.Second - 1) / time.Second)
	}
	return 0
}

// Flush does nothing: Write has stored everything.
func (w *writer) Flush(context.Context) error { return nil }

// Close does nothing: the client is the sink's.
func (w *writer) Close() error { return nil }

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

func sameColumns(a, b datasync.Schema) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].Kind != b[i].Kind {
			return false
		}
	}
	return true
}

func sortRowErrors(errs []*datasync.RowError) {
	for i := 1; i < len(errs); i++ {
		for j := i; j > 0 && errs[j].Row < errs[j-1].Row; j-- {
			errs[j], errs[j-1] = errs[j-1], errs[j]
		}
	}
}
