package datax

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/redis"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datasource"
)

// redisConnParams are the connection settings of redisreader and
// rediswriter: "datasource" naming a redis data source, or addr and its
// credentials.
type redisConnParams struct {
	Datasource string `json:"datasource"`
	Addr       string `json:"addr"`
	Username   string `json:"username"`
	Password   string `json:"password" datasync:"secret"`
	DB         int    `json:"db"`
	// Timeout is in milliseconds, as DataWorks writes it.
	Timeout int `json:"timeout"`
}

// resolve fills the connection from the data source named, if any.
func (c *redisConnParams) resolve(lookup job.DataSourceLookup) error {
	if c.Datasource == "" {
		return nil
	}
	var errs []error
	for _, s := range []struct {
		key string
		set bool
	}{{"addr", c.Addr != ""}, {"username", c.Username != ""}, {"password", c.Password != ""}, {"db", c.DB != 0}} {
		if s.set {
			errs = append(errs, &job.ParamError{Path: s.key, Err: fmt.Errorf("comes from data source %q; remove it", c.Datasource)})
		}
	}
	r, err := lookup(c.Datasource, datasource.Redis)
	if err != nil {
		return errors.Join(append(errs, &job.ParamError{Path: "datasource", Err: err})...)
	}
	c.Addr, c.Username, c.Password = r.DataSource.Addr(), r.Username, r.Password
	if r.DataSource.Database != "" {
		c.DB, _ = strconv.Atoi(r.DataSource.Database) // checked by the catalog
	}
	return errors.Join(errs...)
}

func (c redisConnParams) conn() (redis.Conn, error) {
	if c.Timeout < 0 {
		return redis.Conn{}, &job.ParamError{Path: "timeout", Err: fmt.Errorf("%d is negative", c.Timeout)}
	}
	return redis.Conn{Addr: c.Addr, Username: c.Username, Password: c.Password, DB: c.DB,
		Timeout: time.Duration(c.Timeout) * time.Millisecond}, nil
}

// redisWriterParams is rediswriter's parameter object, as DataWorks' Redis
// writer spells it:
//
//	{"datasource": "cache", "keyIndexes": [0], "keyFieldDelimiter": "\u0001",
//	 "writeMode": {"type": "hash", "mode": "hset", "valueFieldDelimiter": "\u0001"},
//	 "expireTime": {"seconds": "1000"}, "batchSize": "1000",
//	 "column": [{"name": "id", "index": "0"}, {"name": "name", "index": "1"}]}
//
// writeMode's type and mode: string/set, list/lpush or list/rpush,
// set/sadd, zset/zadd (the first column after the key columns is the
// score), hash/hset (a field per column, named by "column" or by the
// source). expireTime is {"seconds": N} (relative) or {"unixtime": N} (an
// instant). keyPrefix and truncate (delete the keys under keyPrefix
// first) are datasync's.
type redisWriterParams struct {
	redisConnParams
	KeyIndexes        []int            `json:"keyIndexes" datasync:"required"`
	KeyFieldDelimiter *string          `json:"keyFieldDelimiter"`
	KeyPrefix         string           `json:"keyPrefix"`
	WriteMode         redisWriteMode   `json:"writeMode"`
	ExpireTime        *redisExpireTime `json:"expireTime"`
	DateFormat        string           `json:"dateFormat"`
	BatchSize         int              `json:"batchSize"`
	Column            []redisColumn    `json:"column"`
	Truncate          bool             `json:"truncate"`
}

type redisWriteMode struct {
	Type                string  `json:"type"`
	Mode                string  `json:"mode"`
	ValueFieldDelimiter *string `json:"valueFieldDelimiter"`
}

type redisExpireTime struct {
	Seconds  *int64 `json:"seconds"`
	Unixtime *int64 `json:"unixtime"`
}

type redisColumn struct {
	Name  string `json:"name"`
	Index int    `json:"index"`
}

// ResolveDataSources fills the connection from the data source named.
func (p *redisWriterParams) ResolveDataSources(lookup job.DataSourceLookup) error {
	return p.redisConnParams.resolve(lookup)
}

// redisModes lists the write mode each type takes; list has two.
var redisModes = map[string][]string{"string": {"set"}, "list": {"lpush", "rpush"}, "set": {"sadd"}, "zset": {"zadd"}, "hash": {"hset"}}

// config translates the parameters into the connector's config.
func (p *redisWriterParams) config() (redis.SinkConfig, error) {
	var errs []error
	fail := func(path, format string, args ...any) {
		errs = append(errs, &job.ParamError{Path: path, Err: fmt.Errorf(format, args...)})
	}
	conn, err := p.conn()
	if err != nil {
		errs = append(errs, err)
	}
	cfg := redis.SinkConfig{Conn: conn, KeyColumns: p.KeyIndexes, KeyPrefix: p.KeyPrefix, BatchRows: p.BatchSize, Truncate: p.Truncate}
	if p.KeyFieldDelimiter != nil {
		cfg.KeyDelimiter = *p.KeyFieldDelimiter
	}
	typ, mode := strings.ToLower(cmpOr(p.WriteMode.Type, "string")), strings.ToLower(p.WriteMode.Mode)
	modes, ok := redisModes[typ]
	switch {
	case !ok:
		fail("writeMode.type", "%q is not string, list, set, zset or hash", p.WriteMode.Type)
	case mode == "" && len(modes) == 1:
		mode = modes[0]
	case mode == "":
		fail("writeMode.mode", "missing: list takes lpush or rpush")
	case !contains(modes, mode):
		fail("writeMode.mode", "%q is not a mode of type %s (%s)", p.WriteMode.Mode, typ, strings.Join(modes, " or "))
	}
	cfg.Type = redis.ValueType(typ)
	if typ == "list" {
		cfg.ListPush = redis.ListPush(mode)
	}
	if d := p.WriteMode.ValueFieldDelimiter; d != nil && typ != "hash" {
		cfg.ValueDelimiter = *d
	}
	if typ == "zset" {
		cfg.ScoreColumn = new(firstNotIn(p.KeyIndexes))
	}
	if e := p.ExpireTime; e != nil {
		switch {
		case e.Seconds != nil && e.Unixtime != nil:
			fail("expireTime", "give seconds or unixtime, not both")
		case e.Seconds != nil && *e.Seconds < 0:
			fail("expireTime.seconds", "%d is negative", *e.Seconds)
		case e.Seconds != nil:
			cfg.TTL = time.Duration(*e.Seconds) * time.Second
		case e.Unixtime != nil && *e.Unixtime <= 0:
			fail("expireTime.unixtime", "%d is not a time after 1970", *e.Unixtime)
		case e.Unixtime != nil:
			cfg.ExpireAt = time.Unix(*e.Unixtime, 0)
		}
	}
	if f := p.DateFormat; f != "" && f != "yyyy-MM-dd HH:mm:ss" {
		fail("dateFormat", "%q: datasync writes dates and times as yyyy-MM-dd HH:mm:ss (an instant with a Z); no other format is supported", f)
	}
	if len(p.Column) > 0 {
		names := map[int]string{}
		for i, c := range p.Column {
			if c.Name == "" {
				fail(fmt.Sprintf("column[%d].name", i), "missing")
			}
			names[c.Index] = c.Name
		}
		// The value columns are the positions that are not keys or the
		// score; their names are the field names.
		for i := 0; ; i++ {
			if contains(p.KeyIndexes, i) || (cfg.ScoreColumn != nil && *cfg.ScoreColumn == i) {
				continue
			}
			n, ok := names[i]
			if !ok {
				break
			}
			cfg.FieldNames = append(cfg.FieldNames, n)
		}
	}
	return cfg, errors.Join(errs...)
}

// firstNotIn returns the first position that is not in taken.
func firstNotIn(taken []int) int {
	for i := 0; ; i++ {
		if !contains(taken, i) {
			return i
		}
	}
}

func contains[T comparable](s []T, v T) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// redisReaderParams is redisreader's parameter object: the connector's
// own config (match, types, layout, binary, splits, scanCount) with the
// connection settings of rediswriter.
type redisReaderParams struct {
	redisConnParams
	Match     string   `json:"match"`
	Types     []string `json:"types"`
	Layout    string   `json:"layout"`
	Binary    bool     `json:"binary"`
	Splits    int      `json:"splits"`
	ScanCount int      `json:"scanCount"`
}

// ResolveDataSources fills the connection from the data source named.
func (p *redisReaderParams) ResolveDataSources(lookup job.DataSourceLookup) error {
	return p.redisConnParams.resolve(lookup)
}

func (p *redisReaderParams) config() (redis.SourceConfig, error) {
	conn, err := p.conn()
	cfg := redis.SourceConfig{Conn: conn, Match: p.Match, Layout: redis.Layout(p.Layout), Binary: p.Binary, Splits: p.Splits, ScanCount: p.ScanCount}
	for _, t := range p.Types {
		cfg.Types = append(cfg.Types, redis.ValueType(t))
	}
	return cfg, err
}

// registerRedis registers "redisreader" and "rediswriter".
func registerRedis(r *job.Registry) {
	r.Register("redisreader", job.Connector{Source: job.SourceFunc(func(p *redisReaderParams) (datasync.Source, error) {
		cfg, err := p.config()
		if err != nil {
			return nil, err
		}
		return redis.NewSource(cfg)
	})})
	r.Register("rediswriter", job.Connector{Sink: job.SinkFunc(func(p *redisWriterParams) (datasync.Sink, error) {
		cfg, err := p.config()
		if err != nil {
			return nil, err
		}
		return redis.NewSink(cfg)
	})})
}
