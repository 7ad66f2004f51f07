package memcache

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/bradfitz/gomemcache/memcache"
)

// WriteMode is the storage command each row is written with.
type WriteMode string

// The write modes, memcached's storage commands.
const (
	// Set stores the value whatever the key holds.
	Set WriteMode = "set"
	// Add stores the value only when the key holds none; a row whose key
	// exists is dirty (NOT_STORED).
	Add WriteMode = "add"
	// Replace stores the value only when the key holds one; a row whose key
	// does not exist is dirty (NOT_STORED).
	Replace WriteMode = "replace"
	// Append adds the value after the key's; the key must exist (else the
	// row is dirty) and keeps its expiry.
	Append WriteMode = "append"
	// Prepend adds the value before the key's, as Append.
	Prepend WriteMode = "prepend"
)

var writeModes = []WriteMode{Set, Add, Replace, Append, Prepend}

// ValueFormat is how a row's value columns become the item's value.
type ValueFormat string

// The value formats.
const (
	// Text joins the value columns' text forms with ValueDelimiter (NULL
	// is empty), as DataX's ocswriter.
	Text ValueFormat = "text"
	// Binary writes the single value column's bytes as they are (a Bytes
	// column's bytes, or a String's UTF-8); NULL is an empty value.
	Binary ValueFormat = "binary"
)

// DefaultDelimiter joins text value columns unless the config says
// otherwise: "\x01", as DataX and DataWorks.
const DefaultDelimiter = "\x01"

// DefaultKeyDelimiter joins key columns unless the config says otherwise.
// It is not DataX's "\x01": memcached's text protocol takes no control
// characters (nor spaces) in keys.
const DefaultKeyDelimiter = ":"

// DefaultMaxItemSize is memcached's default item size limit (-I 1m).
const DefaultMaxItemSize = 1 << 20

// maxRelativeExpiry is memcached's rule: an expiration of more seconds
// than 30 days is a Unix time.
const maxRelativeExpiry = 30 * 24 * time.Hour

// SinkConfig configures a Sink: each row becomes one item, its key made of
// the key columns and its value of the others (see the package doc).
type SinkConfig struct {
	// Servers are the memcached servers, "host:port" each; keys are spread
	// over several by gomemcache's hashing (CRC32 of the key).
	Servers []string `json:"servers,omitempty"`
	// Client is a client the caller owns, used instead of Servers.
	Client *memcache.Client `json:"-"`
	// Timeout bounds each request's socket reads and writes; 0 is 5s.
	Timeout time.Duration `json:"timeout,omitempty"`

	// WriteMode is the storage command; "" is Set.
	WriteMode WriteMode `json:"writeMode,omitempty"`
	// KeyColumns are the positions (from 0) of the key's columns, joined
	// by KeyDelimiter; empty is [0]. A NULL key column, or a key that
	// memcached cannot take (over 250 bytes, spaces or control
	// characters), makes the row dirty.
	KeyColumns []int `json:"keyColumns,omitempty"`
	// KeyDelimiter joins the key columns; "" is DefaultKeyDelimiter.
	KeyDelimiter string `json:"keyDelimiter,omitempty"`
	// KeyPrefix is put before every key.
	KeyPrefix string `json:"keyPrefix,omitempty"`
	// Format is Text ("") or Binary.
	Format ValueFormat `json:"format,omitempty"`
	// ValueDelimiter joins the value columns of Text; "" is
	// DefaultDelimiter.
	ValueDelimiter string `json:"valueDelimiter,omitempty"`
	// Flags is stored with every item (memcached's opaque client flags).
	Flags uint32 `json:"flags,omitempty"`

	// TTL expires every item that long after it is written, to the
	// second; 0 never expires. TTLs over 30 days are sent as the Unix time
	// they end at, as memcached needs. Not for Append and Prepend, which
	// keep the item's expiry.
	TTL time.Duration `json:"ttl,omitempty"`
	// ExpireAt expires every item at that instant (not with TTL).
	ExpireAt time.Time `json:"expireAt,omitzero"`

	// MaxItemSize is the server's item size limit in bytes; a row whose
	// key and value are larger is dirty without being sent. 0 is
	// DefaultMaxItemSize; memcached also refuses items near the limit
	// (its per-item overhead), which are then dirty with its reason.
	MaxItemSize int `json:"maxItemSize,omitempty"`
	// Concurrency is the number of requests a Writer has in flight; 0 is
	// 8. Rows of one key are written in order whatever it is.
	Concurrency int `json:"concurrency,omitempty"`
	// Logger receives the sink's notices; nil discards them.
	Logger *slog.Logger `json:"-"`
}

const (
	defaultTimeout     = 5 * time.Second
	defaultConcurrency = 8
)

func (c *SinkConfig) validate() error {
	var errs []error
	switch {
	case c.Client == nil && len(c.Servers) == 0:
		errs = append(errs, errors.New("set servers or Client"))
	case c.Client != nil && len(c.Servers) > 0:
		errs = append(errs, errors.New("set servers or Client, not both"))
	}
	for i, s := range c.Servers {
		if s == "" {
			errs = append(errs, fmt.Errorf("servers[%d] is empty", i))
		}
	}
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %v is negative", c.Timeout))
	}
	known := false
	for _, m := range writeModes {
		known = known || c.WriteMode == m
	}
	if c.WriteMode != "" && !known {
		errs = append(errs, fmt.Errorf("writeMode %q is not set, add, replace, append or prepend", c.WriteMode))
	}
	for i, k := range c.KeyColumns {
		if k < 0 {
			errs = append(errs, fmt.Errorf("keyColumns[%d] %d is negative", i, k))
		}
	}
	if c.Format != "" && c.Format != Text && c.Format != Binary {
		errs = append(errs, fmt.Errorf("format %q is not text or binary", c.Format))
	}
	if c.Format == Binary && c.ValueDelimiter != "" {
		errs = append(errs, errors.New("valueDelimiter is only for the text format"))
	}
	if c.TTL < 0 {
		errs = append(errs, fmt.Errorf("ttl %v is negative", c.TTL))
	} else if c.TTL > 0 && c.TTL < time.Second {
		errs = append(errs, fmt.Errorf("ttl %v is under memcached's 1s resolution", c.TTL))
	}
	if c.TTL != 0 && !c.ExpireAt.IsZero() {
		errs = append(errs, errors.New("set ttl or expireAt, not both"))
	}
	if (c.WriteMode == Append || c.WriteMode == Prepend) && (c.TTL != 0 || !c.ExpireAt.IsZero()) {
		errs = append(errs, fmt.Errorf("writeMode %s keeps the item's expiry: ttl and expireAt cannot be used", c.WriteMode))
	}
	if c.MaxItemSize < 0 {
		errs = append(errs, fmt.Errorf("maxItemSize %d is negative", c.MaxItemSize))
	}
	if c.Concurrency < 0 {
		errs = append(errs, fmt.Errorf("concurrency %d is negative", c.Concurrency))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("memcache sink: invalid config: %w", err)
	}
	return nil
}
