package redis

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// Conn says which Redis server to use: Addr and its credentials, or a
// Client the caller owns. It is embedded in both configs.
type Conn struct {
	// Addr is the server's "host:port" (port 6379 when left out).
	Addr string `json:"addr,omitempty"`
	// Username is the ACL user (Redis 6 and later); empty is the default
	// user.
	Username string `json:"username,omitempty"`
	// Password authenticates the connection (AUTH); empty sends none. It is
	// never shown (see String).
	Password string `json:"password,omitempty" datasync:"secret"`
	// DB is the database number (SELECT), 0 to 15 on a default server.
	DB int `json:"db,omitempty"`
	// Timeout bounds each command's round trip and the dial; 0 is 30s.
	// A pipeline of a whole batch counts as one round trip.
	Timeout time.Duration `json:"timeout,omitempty"`
	// Client is a client the caller owns, used instead of Addr, Username,
	// Password and DB, and never closed by the connector.
	Client *goredis.Client `json:"-"`
}

// ValueType is the Redis type the sink writes each row's key as.
type ValueType string

// The value types, with the command each writes with.
const (
	// TypeString writes SET key value: the row's value replaces the key's.
	TypeString ValueType = "string"
	// TypeList pushes the row's value onto the list (see ListPush).
	TypeList ValueType = "list"
	// TypeSet adds the row's value to the set (SADD).
	TypeSet ValueType = "set"
	// TypeZSet adds the row's value to the sorted set with the score of
	// ScoreColumn (ZADD).
	TypeZSet ValueType = "zset"
	// TypeHash sets one hash field per value column (HSET), named by
	// FieldNames or the column's name.
	TypeHash ValueType = "hash"
)

// valueTypes lists the ValueTypes in the order errors name them.
var valueTypes = []ValueType{TypeString, TypeList, TypeSet, TypeZSet, TypeHash}

// ListPush is the end of a list that TypeList pushes onto.
type ListPush string

// The list ends.
const (
	// RPush appends at the tail (RPUSH): the list keeps the rows' order.
	RPush ListPush = "rpush"
	// LPush prepends at the head (LPUSH): the list holds the rows in
	// reverse order.
	LPush ListPush = "lpush"
)

// ValueFormat is how the sink makes one value out of a row's value
// columns.
type ValueFormat string

// The value formats.
const (
	// FormatText joins the columns' text forms with ValueDelimiter; NULL is
	// the empty string. A single Bytes column is written as its bytes.
	FormatText ValueFormat = "text"
	// FormatJSON writes a JSON object of the value columns, keyed by
	// FieldNames or the columns' names (see datasync.Value.MarshalJSON for
	// how each kind is written).
	FormatJSON ValueFormat = "json"
)

// DefaultDelimiter separates the key columns, and the value columns of a
// text value, unless the config says otherwise: "\x01", as DataWorks.
const DefaultDelimiter = "\x01"

// SinkConfig configures a Sink: how each row becomes a key and a value, as
// DataWorks' Redis writer does (see the package doc).
type SinkConfig struct {
	Conn

	// Type is the Redis type written; "" is TypeString.
	Type ValueType `json:"type,omitempty"`
	// ListPush is the end TypeList pushes onto; "" is RPush. Only for
	// TypeList.
	ListPush ListPush `json:"listPush,omitempty"`

	// KeyColumns are the positions (from 0) of the columns the key is made
	// of, joined by KeyDelimiter; empty is [0]. A key column that is NULL
	// makes the row dirty.
	KeyColumns []int `json:"keyColumns,omitempty"`
	// KeyDelimiter joins the key columns; "" is DefaultDelimiter.
	KeyDelimiter string `json:"keyDelimiter,omitempty"`
	// KeyPrefix is put before every key, such as "user:".
	KeyPrefix string `json:"keyPrefix,omitempty"`

	// Format makes the value of TypeString, TypeList, TypeSet and TypeZSet
	// from the value columns (every column that is not a key column, the
	// score column or the expiry column); "" is FormatText. TypeHash writes
	// each value column as a field of its own and takes no Format.
	Format ValueFormat `json:"format,omitempty"`
	// ValueDelimiter joins the value columns of FormatText; "" is
	// DefaultDelimiter.
	ValueDelimiter string `json:"valueDelimiter,omitempty"`
	// FieldNames name the value columns, in order, as hash fields and JSON
	// keys; empty uses the source's column names.
	FieldNames []string `json:"fieldNames,omitempty"`
	// ScoreColumn is the position of the column holding the score of
	// TypeZSet (a number, or text that is one); required for TypeZSet and
	// taken by no other type. A row whose score is NULL or not a number is
	// dirty.
	ScoreColumn *int `json:"scoreColumn,omitempty"`

	// TTL expires every key written that long after it is written (EX/PX,
	// EXPIRE); 0 writes no expiry. At most one of TTL, ExpireAt and
	// ExpireAtColumn.
	TTL time.Duration `json:"ttl,omitempty"`
	// ExpireAt expires every key written at that instant (EXAT/PXAT,
	// EXPIREAT).
	ExpireAt time.Time `json:"expireAt,omitzero"`
	// ExpireAtColumn is the position of a column holding each key's expiry
	// instant: a Timestamp (a wall-clock time is read in UTC), a Date
	// (midnight UTC), or an Int of Unix seconds. NULL writes no expiry; a
	// value that is not a time makes the row dirty.
	ExpireAtColumn *int `json:"expireAtColumn,omitempty"`

	// BatchRows bounds the commands sent in one pipeline round trip; 0 is
	// 1,000. A Write sends its batch in as many pipelines as it takes.
	BatchRows int `json:"batchRows,omitempty"`
	// Truncate deletes every key that starts with KeyPrefix, once per job
	// before anything is written (SCAN and UNLINK, never FLUSHDB). It needs
	// a KeyPrefix, so that it cannot empty a whole database.
	Truncate bool `json:"truncate,omitempty"`
	// Logger receives the sink's notices; nil discards them.
	Logger *slog.Logger `json:"-"`
}

// Layout is how the source turns a key into rows.
type Layout string

// The layouts.
const (
	// LayoutKey reads one row per key: key, type, value, ttl. A
	// collection's value is JSON (see the package doc).
	LayoutKey Layout = "key"
	// LayoutElement reads one row per element of a collection (one per
	// string): key, type, field, value, ttl.
	LayoutElement Layout = "element"
)

// SourceConfig configures a Source: the keys SCAN finds that match Match,
// read as rows (see the package doc).
type SourceConfig struct {
	Conn

	// Match is the SCAN MATCH glob pattern of the keys read; "" is "*".
	Match string `json:"match,omitempty"`
	// Types keeps only the keys of these types; empty reads every type the
	// source knows (string, list, set, zset, hash). A key of any other
	// type (a stream, a module's type) that Types does not exclude is a
	// dirty row.
	Types []ValueType `json:"types,omitempty"`
	// Layout is LayoutKey ("") or LayoutElement.
	Layout Layout `json:"layout,omitempty"`
	// Binary reads values (and hash fields) as Bytes rather than String.
	// Without it a value that is not UTF-8 makes its row dirty.
	Binary bool `json:"binary,omitempty"`
	// Splits is the number of splits (hash-slot ranges, see the package
	// doc); 0 is the pipeline's parallelism.
	Splits int `json:"splits,omitempty"`
	// ScanCount is SCAN's COUNT hint, the keys looked at per round trip;
	// 0 is 1,000.
	ScanCount int `json:"scanCount,omitempty"`
}

const (
	defaultTimeout   = 30 * time.Second
	defaultBatchRows = 1000
	defaultScanCount = 1000
	// hashSlots is the number of Redis Cluster hash slots, which splits
	// divide.
	hashSlots = 16384
)

func (c *Conn) validate() []error {
	var errs []error
	switch {
	case c.Client == nil && c.Addr == "":
		errs = append(errs, errors.New("set addr or Client"))
	case c.Client != nil && (c.Addr != "" || c.Username != "" || c.Password != "" || c.DB != 0):
		errs = append(errs, errors.New("set addr (with username, password, db) or Client, not both"))
	}
	if c.DB < 0 {
		errs = append(errs, fmt.Errorf("db %d is negative", c.DB))
	}
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %v is negative", c.Timeout))
	}
	return errs
}

func (c *SinkConfig) validate() error {
	errs := c.Conn.validate()
	if !oneOf(c.Type, valueTypes) {
		errs = append(errs, fmt.Errorf("type %q is not one of %s", c.Type, names(valueTypes)))
	}
	switch {
	case c.ListPush != "" && c.Type != TypeList:
		errs = append(errs, fmt.Errorf("listPush %q is only for type list", c.ListPush))
	case c.ListPush != "" && c.ListPush != RPush && c.ListPush != LPush:
		errs = append(errs, fmt.Errorf("listPush %q is not rpush or lpush", c.ListPush))
	}
	switch {
	case c.Format != "" && c.Format != FormatText && c.Format != FormatJSON:
		errs = append(errs, fmt.Errorf("format %q is not text or json", c.Format))
	case c.Format != "" && c.Type == TypeHash:
		errs = append(errs, errors.New("format is not for type hash, which writes one field per column"))
	}
	if c.ValueDelimiter != "" && (c.Format == FormatJSON || c.Type == TypeHash) {
		errs = append(errs, errors.New("valueDelimiter is only for the text format"))
	}
	for i, k := range c.KeyColumns {
		if k < 0 {
			errs = append(errs, fmt.Errorf("keyColumns[%d] %d is negative", i, k))
		}
	}
	switch {
	case c.Type == TypeZSet && c.ScoreColumn == nil:
		errs = append(errs, errors.New("type zset needs scoreColumn"))
	case c.Type != TypeZSet && c.ScoreColumn != nil:
		errs = append(errs, errors.New("scoreColumn is only for type zset"))
	case c.ScoreColumn != nil && *c.ScoreColumn < 0:
		errs = append(errs, fmt.Errorf("scoreColumn %d is negative", *c.ScoreColumn))
	}
	expiries := 0
	for _, set := range []bool{c.TTL != 0, !c.ExpireAt.IsZero(), c.ExpireAtColumn != nil} {
		if set {
			expiries++
		}
	}
	if expiries > 1 {
		errs = append(errs, errors.New("set at most one of ttl, expireAt and expireAtColumn"))
	}
	if c.TTL < 0 {
		errs = append(errs, fmt.Errorf("ttl %v is negative", c.TTL))
	} else if c.TTL > 0 && c.TTL < time.Millisecond {
		errs = append(errs, fmt.Errorf("ttl %v is under Redis's 1ms resolution", c.TTL))
	}
	if c.ExpireAtColumn != nil && *c.ExpireAtColumn < 0 {
		errs = append(errs, fmt.Errorf("expireAtColumn %d is negative", *c.ExpireAtColumn))
	}
	if c.BatchRows < 0 {
		errs = append(errs, fmt.Errorf("batchRows %d is negative", c.BatchRows))
	}
	if c.Truncate && c.KeyPrefix == "" {
		errs = append(errs, errors.New("truncate needs a keyPrefix: it deletes the keys under it, and never a whole database"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("redis sink: invalid config: %w", err)
	}
	return nil
}

func (c *SourceConfig) validate() error {
	errs := c.Conn.validate()
	for i, t := range c.Types {
		if t == "" || !oneOf(t, valueTypes) {
			errs = append(errs, fmt.Errorf("types[%d] %q is not one of %s", i, t, names(valueTypes)))
		}
	}
	if c.Layout != "" && c.Layout != LayoutKey && c.Layout != LayoutElement {
		errs = append(errs, fmt.Errorf("layout %q is not key or element", c.Layout))
	}
	if c.Splits < 0 || c.Splits > hashSlots {
		errs = append(errs, fmt.Errorf("splits %d is not between 0 and %d", c.Splits, hashSlots))
	}
	if c.ScanCount < 0 {
		errs = append(errs, fmt.Errorf("scanCount %d is negative", c.ScanCount))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("redis source: invalid config: %w", err)
	}
	return nil
}

// oneOf reports whether v is "" or one of the known values.
func oneOf[T ~string](v T, known []T) bool {
	if v == "" {
		return true
	}
	for _, k := range known {
		if v == k {
			return true
		}
	}
	return false
}

func names[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}
