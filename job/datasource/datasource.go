package datasource

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/datasync-go/datasync/internal/strictjson"
)

// Type is the kind of system a data source reaches, named as DataWorks
// names it on its Data Source page.
type Type string

// The types of data source datasync knows.
const (
	MySQL      Type = "mysql"
	PostgreSQL Type = "postgresql"
	OSS        Type = "oss"
	MongoDB    Type = "mongodb"
	Redis      Type = "redis"
	Memcache   Type = "memcache"
)

// The MySQL- and PostgreSQL-compatible services of Alibaba Cloud, named as
// DataWorks names their data sources. They are reached like MySQL or
// PostgreSQL (see Type.Engine), through the mysql and postgres connectors.
const (
	PolarDB                 Type = "polardb"              // for MySQL or for PostgreSQL, by its jdbcUrl
	DRDS                    Type = "drds"                 // PolarDB-X 1.0
	AnalyticDBForMySQL      Type = "analyticdb_for_mysql" // 3.0
	HybridDBForMySQL        Type = "hybriddb_for_mysql"
	OceanBase               Type = "apsaradb_for_oceanbase" // MySQL mode
	PPAS                    Type = "rds_ppas"
	AnalyticDBForPostgreSQL Type = "analyticdb_for_postgresql"
)

// engines maps each compatible service to the system it speaks.
var engines = map[Type]Type{
	MySQL: MySQL, PostgreSQL: PostgreSQL,
	DRDS: MySQL, AnalyticDBForMySQL: MySQL, HybridDBForMySQL: MySQL, OceanBase: MySQL,
	PPAS: PostgreSQL, AnalyticDBForPostgreSQL: PostgreSQL,
}

// Types returns the known types, sorted.
func Types() []Type {
	return []Type{AnalyticDBForMySQL, AnalyticDBForPostgreSQL, OceanBase, DRDS, HybridDBForMySQL, Memcache, MongoDB, MySQL, OSS, PolarDB, PostgreSQL, PPAS, Redis}
}

// Relational reports whether t is reached through a JDBC URL (or host,
// port and database).
func (t Type) Relational() bool { return t == PolarDB || engines[t] != "" }

// Engine returns MySQL or PostgreSQL for a relational type: the system the
// service speaks ("" for PolarDB, whose engine its URL tells, and for the
// other types).
func (t Type) Engine() Type { return engines[t] }

// Engine returns MySQL or PostgreSQL for a relational data source: its
// type's engine, or, for PolarDB, the scheme of its jdbcUrl (MySQL when it
// gives a host instead).
func (d DataSource) Engine() Type {
	if d.Type != PolarDB {
		return d.Type.Engine()
	}
	if strings.HasPrefix(d.JdbcURL, "jdbc:postgresql://") {
		return PostgreSQL
	}
	return MySQL
}

// obPrefix is how DataX's OceanBase plugins put the cluster and tenant in
// front of a JDBC URL: ||_dsc_ob10_dsc_||cluster:tenant||_dsc_ob10_dsc_||.
const obPrefix = "||_dsc_ob10_dsc_||"

// StripOceanBasePrefix removes DataX's OceanBase prefix from a JDBC URL and
// returns the cluster and tenant it named ("" when there is none).
func StripOceanBasePrefix(jdbcURL string) (url, cluster, tenant string) {
	if !strings.HasPrefix(jdbcURL, obPrefix) {
		return jdbcURL, "", ""
	}
	inner, rest, ok := strings.Cut(strings.TrimPrefix(jdbcURL, obPrefix), obPrefix)
	if !ok {
		return jdbcURL, "", ""
	}
	cluster, tenant, _ = strings.Cut(inner, ":")
	return rest, cluster, tenant
}

// DataSource is a named connection: where a system is and the credentials
// to reach it. Which settings apply depends on Type:
//
//   - mysql, postgresql: JdbcURL, or Host, Port (default 3306 or 5432),
//     Database and Properties (the JDBC URL's parameters, such as useSSL
//     or sslmode); Username and Password.
//   - oss: Endpoint, Bucket (a job may name another) and Region (for V4
//     signatures); AccessID, AccessKey and SecurityToken (STS).
//   - mongodb: Address (host:port of each member, as DataX's mongodb
//     plugins), Database, AuthDB (the database the user is defined in;
//     default Database); Username and Password.
//   - redis: Host, Port (default 6379) and Database (the database number,
//     default "0"); Username (an ACL user, Redis 6+) and Password.
//   - memcache: Host and Port (default 11211); no credentials (memcached's
//     text protocol has none).
//
// Credentials are Secrets: environment variables or files, resolved when a
// job uses the data source (see Resolve). String, GoString, LogValue and
// MarshalJSON never show a secret's value.
type DataSource struct {
	Name        string `json:"name"`
	Type        Type   `json:"type"`
	Description string `json:"description,omitempty"`

	JdbcURL    string            `json:"jdbcUrl,omitempty"`
	Host       string            `json:"host,omitempty"`
	Port       int               `json:"port,omitempty"`
	Database   string            `json:"database,omitempty"`
	Properties map[string]string `json:"properties,omitempty"`
	Username   Secret            `json:"username,omitzero"`
	Password   Secret            `json:"password,omitzero"`

	Endpoint      string `json:"endpoint,omitempty"`
	Bucket        string `json:"bucket,omitempty"`
	Region        string `json:"region,omitempty"`
	AccessID      Secret `json:"accessId,omitzero"`
	AccessKey     Secret `json:"accessKey,omitzero"`
	SecurityToken Secret `json:"securityToken,omitzero"`

	Address []string `json:"address,omitempty"`
	AuthDB  string   `json:"authDb,omitempty"`
}

// validName is DataWorks' rule for data source names: a letter, then
// letters, digits, underscores and hyphens, at most 60 in all.
var validName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,59}$`)

// settingsOf lists the JSON names of the settings each type takes.
var settingsOf = map[Type][]string{
	MySQL:      {"jdbcUrl", "host", "port", "database", "properties", "username", "password"},
	PostgreSQL: {"jdbcUrl", "host", "port", "database", "properties", "username", "password"},
	OSS:        {"endpoint", "bucket", "region", "accessId", "accessKey", "securityToken"},
	Redis:      {"host", "port", "database", "username", "password"},
	Memcache:   {"host", "port"},
	MongoDB:    {"address", "database", "authDb", "username", "password"},
}

func init() {
	for t := range engines {
		settingsOf[t] = settingsOf[MySQL]
	}
	settingsOf[PolarDB] = settingsOf[MySQL]
}

// Check returns every problem with d, each prefixed by path (such as
// "datasources[2]"; "" for none): a bad name or type, a setting its type
// does not take, a missing one.
func (d DataSource) Check(path string) []error {
	at := func(key string) string {
		if path == "" {
			return key
		}
		return path + "." + key
	}
	var errs []error
	fail := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", at(key), fmt.Sprintf(format, args...)))
	}
	switch {
	case d.Name == "":
		fail("name", "missing required setting")
	case !validName.MatchString(d.Name):
		fail("name", "%q is not a data source name: a letter, then letters, digits, _ and -, at most 60", d.Name)
	}
	allowed, known := settingsOf[d.Type]
	if !known {
		names := make([]string, 0, len(settingsOf))
		for _, t := range Types() {
			names = append(names, string(t))
		}
		if d.Type == "" {
			fail("type", "missing required setting (one of %s)", strings.Join(names, ", "))
		} else {
			fail("type", "unknown type %q%s; known: %s", d.Type, suggestion(string(d.Type), names), strings.Join(names, ", "))
		}
		return errs
	}
	for _, key := range d.present() {
		if !slices.Contains(allowed, key) {
			fail(key, "not a setting of a %s data source (it takes %s)", d.Type, strings.Join(allowed, ", "))
		}
	}
	switch {
	case d.Type.Relational():
		switch {
		case d.JdbcURL != "" && (d.Host != "" || d.Port != 0 || d.Database != "" || len(d.Properties) > 0):
			fail("jdbcUrl", "give jdbcUrl or host, port, database and properties, not both")
		case d.JdbcURL != "":
			u, _, _ := StripOceanBasePrefix(d.JdbcURL)
			if prefix := "jdbc:" + string(d.Engine()) + "://"; !strings.HasPrefix(u, prefix) {
				fail("jdbcUrl", "%q does not start with %s", redactURL(d.JdbcURL), prefix)
			}
		case d.Host == "":
			fail("host", "missing: give jdbcUrl, or host and database")
		case d.Database == "":
			fail("database", "missing required setting")
		}
		if d.Port < 0 || d.Port > 65535 {
			fail("port", "%d is not a port number", d.Port)
		}
	case d.Type == OSS:
		if d.Endpoint == "" {
			fail("endpoint", "missing required setting")
		}
	case d.Type == MongoDB:
		if len(d.Address) == 0 {
			fail("address", "missing required setting (host:port of each member)")
		}
		if d.Database == "" {
			fail("database", "missing required setting")
		}
	case d.Type == Redis || d.Type == Memcache:
		if d.Host == "" {
			fail("host", "missing required setting")
		}
		if d.Port < 0 || d.Port > 65535 {
			fail("port", "%d is not a port number", d.Port)
		}
		if n, err := strconv.Atoi(d.Database); d.Database != "" && (err != nil || n < 0) {
			fail("database", "%q is not a Redis database number", d.Database)
		}
	}
	return errs
}

// present returns the JSON names of the connection settings d has.
func (d DataSource) present() []string {
	var out []string
	add := func(set bool, key string) {
		if set {
			out = append(out, key)
		}
	}
	add(d.JdbcURL != "", "jdbcUrl")
	add(d.Host != "", "host")
	add(d.Port != 0, "port")
	add(d.Database != "", "database")
	add(len(d.Properties) > 0, "properties")
	add(!d.Username.IsZero(), "username")
	add(!d.Password.IsZero(), "password")
	add(d.Endpoint != "", "endpoint")
	add(d.Bucket != "", "bucket")
	add(d.Region != "", "region")
	add(!d.AccessID.IsZero(), "accessId")
	add(!d.AccessKey.IsZero(), "accessKey")
	add(!d.SecurityToken.IsZero(), "securityToken")
	add(len(d.Address) > 0, "address")
	add(d.AuthDB != "", "authDb")
	return out
}

// URL returns the JDBC URL of a mysql or postgresql data source: JdbcURL,
// or one made of Host, Port, Database and Properties
// (jdbc:mysql://host:3306/db?useSSL=false).
func (d DataSource) URL() string {
	if d.JdbcURL != "" || !d.Type.Relational() {
		return d.JdbcURL
	}
	port := d.Port
	if port == 0 {
		port = 3306
		if d.Engine() == PostgreSQL {
			port = 5432
		}
	}
	u := "jdbc:" + string(d.Engine()) + "://" + net.JoinHostPort(d.Host, strconv.Itoa(port)) + "/" + url.PathEscape(d.Database)
	if len(d.Properties) > 0 {
		q := url.Values{}
		for _, k := range slices.Sorted(maps.Keys(d.Properties)) {
			q.Set(k, d.Properties[k])
		}
		u += "?" + q.Encode()
	}
	return u
}

// Addr returns the "host:port" of a redis or memcache data source, with
// the type's default port.
func (d DataSource) Addr() string {
	port := d.Port
	if port == 0 {
		port = map[Type]int{Redis: 6379, Memcache: 11211}[d.Type]
	}
	return net.JoinHostPort(d.Host, strconv.Itoa(port))
}

// Warnings returns what is allowed but unwise about d: secrets written
// inline.
func (d DataSource) Warnings() []string {
	var out []string
	for _, s := range []struct {
		key    string
		secret Secret
	}{{"password", d.Password}, {"accessKey", d.AccessKey}, {"securityToken", d.SecurityToken}} {
		if s.secret.IsInline() {
			out = append(out, fmt.Sprintf("data source %q: %s is written inline; prefer {\"env\": \"VARIABLE\"} or {\"file\": \"/path\"}", d.Name, s.key))
		}
	}
	return out
}

// Resolve returns d with its credentials resolved. Errors name the data
// source and the variable or file at fault.
func (d DataSource) Resolve() (Resolved, error) {
	r := Resolved{DataSource: d}
	var err error
	for _, s := range []struct {
		key  string
		ref  Secret
		into *string
	}{
		{"username", d.Username, &r.Username},
		{"password", d.Password, &r.Password},
		{"accessId", d.AccessID, &r.AccessID},
		{"accessKey", d.AccessKey, &r.AccessKey},
		{"securityToken", d.SecurityToken, &r.SecurityToken},
	} {
		if *s.into, err = s.ref.Resolve(); err != nil {
			return Resolved{}, fmt.Errorf("data source %q: %s: %w", d.Name, s.key, err)
		}
	}
	return r, nil
}

// String describes d with its secrets as references (env:NAME, file:PATH)
// and inline values masked.
func (d DataSource) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s data source %q {", d.Type, d.Name)
	switch {
	case d.Type.Relational():
		fmt.Fprintf(&b, "url %q, username %s, password %s", redactURL(d.URL()), d.Username, d.Password)
	case d.Type == OSS:
		fmt.Fprintf(&b, "endpoint %q, bucket %q, accessId %s, accessKey %s", d.Endpoint, d.Bucket, d.AccessID, d.AccessKey)
	case d.Type == MongoDB:
		fmt.Fprintf(&b, "address %q, database %q, username %s, password %s", d.Address, d.Database, d.Username, d.Password)
	case d.Type == Redis:
		fmt.Fprintf(&b, "addr %q, database %q, username %s, password %s", d.Addr(), d.Database, d.Username, d.Password)
	case d.Type == Memcache:
		fmt.Fprintf(&b, "addr %q", d.Addr())
	}
	b.WriteString("}")
	return b.String()
}

// GoString is String, so that %#v shows no secret either.
func (d DataSource) GoString() string { return d.String() }

// LogValue logs String.
func (d DataSource) LogValue() slog.Value { return slog.StringValue(d.String()) }

// MarshalJSON writes d as a catalog file holds it, but with inline secrets
// (and a password inside JdbcURL) masked: it is for showing.
func (d DataSource) MarshalJSON() ([]byte, error) {
	type plain DataSource // without the methods
	p := plain(d)
	p.JdbcURL = redactURL(p.JdbcURL)
	if p.Properties != nil {
		p.Properties = maps.Clone(p.Properties)
		for k := range p.Properties {
			if strings.EqualFold(k, "password") {
				p.Properties[k] = Mask
			}
		}
	}
	return json.Marshal(p)
}

// Resolved is a data source with its credentials' values: what a job
// connects with. Its String, GoString, LogValue and MarshalJSON are the
// DataSource's, never showing a value; Secrets lists the values to blot out
// of anything shown.
type Resolved struct {
	DataSource DataSource
	// Username, Password, AccessID, AccessKey and SecurityToken are the
	// values of the DataSource's credentials ("" when it has none).
	Username, Password, AccessID, AccessKey, SecurityToken string
}

// Secrets returns the resolved values that must never be shown: the
// password, the access key, the security token, and a password inside the
// JDBC URL.
func (r Resolved) Secrets() []string {
	var out []string
	for _, s := range []string{r.Password, r.AccessKey, r.SecurityToken, urlPassword(r.DataSource.URL())} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// String is the DataSource's: no secret value.
func (r Resolved) String() string { return r.DataSource.String() }

// GoString is the DataSource's: no secret value.
func (r Resolved) GoString() string { return r.DataSource.String() }

// LogValue is the DataSource's: no secret value.
func (r Resolved) LogValue() slog.Value { return r.DataSource.LogValue() }

// MarshalJSON is the DataSource's: no secret value.
func (r Resolved) MarshalJSON() ([]byte, error) { return r.DataSource.MarshalJSON() }

// urlPassword returns the password= parameter of a JDBC URL.
func urlPassword(s string) string {
	_, query, ok := strings.Cut(s, "?")
	if !ok {
		return ""
	}
	params, err := url.ParseQuery(strings.ReplaceAll(query, ";", "&"))
	if err != nil {
		return ""
	}
	return params.Get("password")
}

// redactURL masks a password= parameter of a JDBC URL.
func redactURL(s string) string {
	base, query, ok := strings.Cut(s, "?")
	if !ok {
		return s
	}
	params, err := url.ParseQuery(strings.ReplaceAll(query, ";", "&"))
	if err != nil {
		return base + "?..."
	}
	if !params.Has("password") {
		return s
	}
	params.Set("password", Mask)
	return base + "?" + params.Encode()
}

// suggestion returns "; did you mean %q?" for the candidate closest to s,
// or "".
func suggestion(s string, candidates []string) string {
	if c := strictjson.Suggest(s, candidates); c != "" {
		return fmt.Sprintf("; did you mean %q?", c)
	}
	return ""
}
