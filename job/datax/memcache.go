package datax

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/memcache"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datasource"
)

// ocsWriterParams is ocswriter's parameter object, as DataX's ocswriter and
// DataWorks' Memcache (OCS) writer spell it:
//
//	{"proxy": "cache.example.com", "port": "11211", "writeMode": "set",
//	 "writeFormat": "text", "fieldDelimiter": "\u0001", "expireTime": 1000,
//	 "indexes": "0,2", "batchSize": 256}
//
// or with "datasource" naming a memcache data source in place of proxy and
// port. indexes are the key columns, joined by fieldDelimiter when it is
// given and by ":" otherwise (DataX's default "\u0001" is not allowed in a
// key by memcached's text protocol); values are joined by fieldDelimiter
// ("\u0001" by default). expireTime is seconds, or a Unix time when over 30
// days, as memcached reads it. batchSize is accepted, as
// DataWorks always writes it, and changes nothing: memcached's text
// protocol stores one item per request (the connector sends several at
// once instead). userName and password cannot be used: the text protocol
// has no authentication.
type ocsWriterParams struct {
	Datasource     string        `json:"datasource"`
	Proxy          string        `json:"proxy"`
	Port           int           `json:"port"`
	UserName       string        `json:"userName"`
	Username       string        `json:"username"` // DataX's ocswriter's name of userName
	Password       string        `json:"password" datasync:"secret"`
	WriteMode      string        `json:"writeMode"`
	WriteFormat    string        `json:"writeFormat"`
	FieldDelimiter *string       `json:"fieldDelimiter"`
	ExpireTime     int64         `json:"expireTime"`
	Indexes        columnIndexes `json:"indexes"`
	BatchSize      int           `json:"batchSize"`
}

// columnIndexes are column positions written as a number (0), a
// comma-separated string ("0,2") or a list ([0, 2]), as DataX's ocswriter
// takes them.
type columnIndexes []int

// UnmarshalJSON reads the three forms.
func (c *columnIndexes) UnmarshalJSON(data []byte) error {
	var list []int
	if err := json.Unmarshal(data, &list); err == nil {
		*c = list
		return nil
	}
	var n int
	if err := json.Unmarshal(data, &n); err == nil {
		*c = []int{n}
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("want column positions: 0, \"0,2\" or [0, 2]")
	}
	*c = nil
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 0 {
			return fmt.Errorf("%q is not a list of column positions such as \"0,2\"", s)
		}
		*c = append(*c, n)
	}
	return nil
}

// ResolveDataSources fills proxy and port from the data source named.
func (p *ocsWriterParams) ResolveDataSources(lookup job.DataSourceLookup) error {
	if p.Datasource == "" {
		return nil
	}
	var errs []error
	for _, s := range []struct {
		key string
		set bool
	}{{"proxy", p.Proxy != ""}, {"port", p.Port != 0}} {
		if s.set {
			errs = append(errs, &job.ParamError{Path: s.key, Err: fmt.Errorf("comes from data source %q; remove it", p.Datasource)})
		}
	}
	r, err := lookup(p.Datasource, datasource.Memcache)
	if err != nil {
		return errors.Join(append(errs, &job.ParamError{Path: "datasource", Err: err})...)
	}
	host, port, _ := net.SplitHostPort(r.DataSource.Addr())
	p.Proxy = host
	p.Port, _ = strconv.Atoi(port)
	return errors.Join(errs...)
}

// maxRelativeExpire is memcached's bound: more seconds than 30 days is a
// Unix time.
const maxRelativeExpire = 30 * 24 * 3600

func (p *ocsWriterParams) config() (memcache.SinkConfig, error) {
	var errs []error
	fail := func(path, format string, args ...any) {
		errs = append(errs, &job.ParamError{Path: path, Err: fmt.Errorf(format, args...)})
	}
	if p.Proxy == "" {
		fail("proxy", "missing: give proxy (and port), or datasource")
	}
	if p.UserName != "" || p.Username != "" || p.Password != "" {
		fail("userName", "memcached's text protocol has no authentication (SASL): datasync can write only to a server that needs no password, such as ApsaraDB for Memcache from its VPC")
	}
	if p.Port < 0 || p.Port > 65535 {
		fail("port", "%d is not a port number", p.Port)
	}
	if p.BatchSize < 0 {
		fail("batchSize", "%d is negative", p.BatchSize)
	}
	port := p.Port
	if port == 0 {
		port = 11211
	}
	cfg := memcache.SinkConfig{
		Servers:    []string{net.JoinHostPort(p.Proxy, strconv.Itoa(port))},
		WriteMode:  memcache.WriteMode(strings.ToLower(p.WriteMode)),
		KeyColumns: p.Indexes,
		Format:     memcache.ValueFormat(strings.ToLower(p.WriteFormat)),
	}
	if d := p.FieldDelimiter; d != nil {
		// The key's too, as DataX; a delimiter memcached cannot take in
		// a key makes keys of several columns dirty, saying why.
		cfg.KeyDelimiter = *d
		if cfg.Format != memcache.Binary {
			cfg.ValueDelimiter = *d
		}
	}
	switch e := p.ExpireTime; {
	case e < 0:
		fail("expireTime", "%d is negative", e)
	case e > maxRelativeExpire:
		cfg.ExpireAt = time.Unix(e, 0)
	case e > 0:
		cfg.TTL = time.Duration(e) * time.Second
	}
	return cfg, errors.Join(errs...)
}

// registerMemcache registers "ocswriter".
func registerMemcache(r *job.Registry) {
	r.Register("ocswriter", job.Connector{Sink: job.SinkFunc(func(p *ocsWriterParams) (datasync.Sink, error) {
		cfg, err := p.config()
		if err != nil {
			return nil, err
		}
		return memcache.NewSink(cfg)
	})})
}
