// Package datax holds what DataX's relational readers and writers
// (mysqlreader, postgresqlwriter, ...) have in common: their parameter
// objects, with the connection block, and the translation of their JDBC URLs
// into the DSNs of Go drivers. The mysql and postgres connectors' job-file
// registrations build on it.
package datax

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector"
	"github.com/datasync-go/datasync/source"
)

// ReaderParams is the parameter object of DataX's relational readers.
type ReaderParams struct {
	Username   string             `json:"username"`
	Password   string             `json:"password" datasync:"secret"`
	Column     []string           `json:"column"`
	Where      string             `json:"where"`
	SplitPK    string             `json:"splitPk"`
	FetchSize  int                `json:"fetchSize"`
	Session    []string           `json:"session"`
	Connection []ReaderConnection `json:"connection" datasync:"required"`
}

// ReaderConnection is one entry of a reader's connection block. DataX lists
// alternative URLs of one database in jdbcUrl and tries them in order;
// datasync uses the first. Several tables are read as one source.
type ReaderConnection struct {
	JdbcURL  []string `json:"jdbcUrl" datasync:"required"`
	Table    []string `json:"table"`
	QuerySQL []string `json:"querySql"`
}

// WriterParams is the parameter object of DataX's relational writers.
type WriterParams struct {
	Username   string             `json:"username"`
	Password   string             `json:"password" datasync:"secret"`
	Column     []string           `json:"column"`
	PreSQL     []string           `json:"preSql"`
	PostSQL    []string           `json:"postSql"`
	Session    []string           `json:"session"`
	WriteMode  string             `json:"writeMode"`
	BatchSize  int                `json:"batchSize"`
	Connection []WriterConnection `json:"connection" datasync:"required"`
}

// WriterConnection is the writer's connection block entry: one database and
// one table.
type WriterConnection struct {
	JdbcURL string   `json:"jdbcUrl" datasync:"required"`
	Table   []string `json:"table" datasync:"required"`
}

// Columns returns the column list as the connectors take it: nil for all
// columns (DataX's ["*"]).
func Columns(cols []string) []string {
	if len(cols) == 0 || (len(cols) == 1 && strings.TrimSpace(cols[0]) == "*") {
		return nil
	}
	return cols
}

// ReaderSources is one database and table (or query) of a reader's
// connection block.
type ReaderSource struct {
	URL      JDBC
	Table    string // "" when QuerySQL is set
	QuerySQL string
	Path     string // the JSON path of the entry, for errors
}

// Sources flattens a reader's connection block into one entry per table or
// query, checking that each URL is of the wanted scheme ("mysql",
// "postgresql").
func (p ReaderParams) Sources(scheme string) ([]ReaderSource, error) {
	var out []ReaderSource
	for i, c := range p.Connection {
		path := fmt.Sprintf("connection[%d]", i)
		if len(c.JdbcURL) == 0 {
			return nil, fmt.Errorf("%s.jdbcUrl: give at least one URL", path)
		}
		u, err := ParseJDBC(c.JdbcURL[0], scheme)
		if err != nil {
			return nil, fmt.Errorf("%s.jdbcUrl[0]: %w", path, err)
		}
		switch {
		case len(c.Table) > 0 && len(c.QuerySQL) > 0:
			return nil, fmt.Errorf("%s: give table or querySql, not both", path)
		case len(c.Table) == 0 && len(c.QuerySQL) == 0:
			return nil, fmt.Errorf("%s: give table or querySql", path)
		}
		for j, t := range c.Table {
			out = append(out, ReaderSource{URL: u, Table: t, Path: fmt.Sprintf("%s.table[%d]", path, j)})
		}
		for j, q := range c.QuerySQL {
			out = append(out, ReaderSource{URL: u, QuerySQL: q, Path: fmt.Sprintf("%s.querySql[%d]", path, j)})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("connection: give at least one entry")
	}
	return out, nil
}

// BuildSource builds a source for every table or query of p's connection
// block with newSource, and joins them with source.Concat when there are
// several. Errors name the entry at fault (connector.ParamError paths);
// sources already built are closed when another fails.
func (p ReaderParams) BuildSource(scheme string, newSource func(ReaderSource) (datasync.Source, error)) (datasync.Source, error) {
	entries, err := p.Sources(scheme)
	if err != nil {
		return nil, &connector.ParamError{Err: err}
	}
	var sources []datasync.Source
	var errs []error
	for _, e := range entries {
		src, err := newSource(e)
		if err != nil {
			errs = append(errs, &connector.ParamError{Path: e.Path, Err: err})
			continue
		}
		sources = append(sources, src)
	}
	if len(errs) > 0 {
		for _, s := range sources {
			if c, ok := s.(io.Closer); ok {
				_ = c.Close()
			}
		}
		return nil, errors.Join(errs...)
	}
	if len(sources) == 1 {
		return sources[0], nil
	}
	return source.Concat(sources...), nil
}

// Target returns the writer's database and table: DataX writers take one.
func (p WriterParams) Target(scheme string) (JDBC, string, error) {
	if len(p.Connection) != 1 {
		return JDBC{}, "", fmt.Errorf("connection: give exactly one entry, not %d", len(p.Connection))
	}
	c := p.Connection[0]
	u, err := ParseJDBC(c.JdbcURL, scheme)
	if err != nil {
		return JDBC{}, "", fmt.Errorf("connection[0].jdbcUrl: %w", err)
	}
	if len(c.Table) != 1 {
		return JDBC{}, "", fmt.Errorf("connection[0].table: give exactly one table, not %d", len(c.Table))
	}
	return u, c.Table[0], nil
}

// JDBC is a parsed jdbc:<scheme>://host[:port][,host2...]/database?params URL.
type JDBC struct {
	Scheme   string // "mysql" or "postgresql"
	Host     string // the first host
	Port     string // "" for the default
	Database string
	Params   url.Values
}

// ParseJDBC parses a JDBC URL of the given scheme.
func ParseJDBC(s, scheme string) (JDBC, error) {
	prefix := "jdbc:" + scheme + "://"
	if !strings.HasPrefix(s, prefix) {
		return JDBC{}, fmt.Errorf("%q is not a %sURL", redactURL(s), prefix)
	}
	rest := strings.TrimPrefix(s, prefix)
	hostPart, dbPart, _ := strings.Cut(rest, "/")
	dbPart, query, _ := strings.Cut(dbPart, "?")
	hostPart, _, _ = strings.Cut(hostPart, ",") // failover hosts: the first
	if hostPart == "" {
		return JDBC{}, fmt.Errorf("%q has no host", redactURL(s))
	}
	if strings.Contains(hostPart, "@") {
		// DataX's drivers take no user before the host: it would become
		// part of the host name.
		return JDBC{}, fmt.Errorf("%q has a user before the host: give username and password as settings (or user= and password= parameters)", redactURL(s))
	}
	if u, err := url.Parse("//" + hostPart); err != nil || u.Host != hostPart {
		// Spaces, a port that is not a number: the drivers' own URLs and
		// DSNs could not hold it.
		return JDBC{}, fmt.Errorf("%q has an invalid host and port %q", redactURL(s), hostPart)
	}
	host, port := hostPart, ""
	switch h, p, err := net.SplitHostPort(hostPart); {
	case err == nil:
		host, port = h, p
	case strings.HasPrefix(hostPart, "[") && strings.HasSuffix(hostPart, "]"):
		host = hostPart[1 : len(hostPart)-1] // an IPv6 address without a port
	case strings.Contains(hostPart, ":"):
		return JDBC{}, fmt.Errorf("%q has an invalid host and port %q", redactURL(s), hostPart)
	}
	params, err := url.ParseQuery(strings.ReplaceAll(query, ";", "&"))
	if err != nil {
		return JDBC{}, fmt.Errorf("%q has malformed parameters: %v", redactURL(s), err)
	}
	db, err := url.PathUnescape(dbPart)
	if err != nil {
		return JDBC{}, fmt.Errorf("%q has a malformed database name", redactURL(s))
	}
	return JDBC{Scheme: scheme, Host: host, Port: port, Database: db, Params: params}, nil
}

// redactURL removes a password given as a URL parameter or before the
// host (user:password@host).
func redactURL(s string) string {
	base, query, ok := strings.Cut(s, "?")
	if scheme, rest, found := strings.Cut(base, "://"); found {
		authority, path, slash := strings.Cut(rest, "/")
		if at := strings.LastIndex(authority, "@"); at >= 0 {
			authority = "******" + authority[at:]
		}
		base = scheme + "://" + authority
		if slash {
			base += "/" + path
		}
	}
	if !ok {
		return base
	}
	params, err := url.ParseQuery(query)
	if err != nil {
		return base + "?..."
	}
	if params.Has("password") {
		params.Set("password", "******")
	}
	return base + "?" + params.Encode()
}

// user returns the user and password, from the parameters or the URL.
func (u JDBC) user(username, password string) (string, string) {
	if username == "" {
		username = u.Params.Get("user")
	}
	if password == "" {
		password = u.Params.Get("password")
	}
	return username, password
}

// MySQLDSN returns a go-sql-driver/mysql DSN for u. JDBC parameters with a
// counterpart are translated (useSSL=false gives tls=false, connectTimeout,
// socketTimeout); the driver-specific rest (useUnicode, characterEncoding,
// serverTimezone...) has none and is dropped: datasync always talks utf8mb4
// and reads TIMESTAMP in UTC.
func (u JDBC) MySQLDSN(username, password string) string {
	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd = u.user(username, password)
	port := u.Port
	if port == "" {
		port = "3306"
	}
	cfg.Net, cfg.Addr, cfg.DBName = "tcp", net.JoinHostPort(u.Host, port), u.Database
	switch u.Params.Get("useSSL") {
	case "false":
		cfg.TLSConfig = "false"
	case "true":
		cfg.TLSConfig = "skip-verify"
	}
	if ms, err := strconv.Atoi(u.Params.Get("connectTimeout")); err == nil {
		cfg.Timeout = time.Duration(ms) * time.Millisecond
	}
	if ms, err := strconv.Atoi(u.Params.Get("socketTimeout")); err == nil {
		cfg.ReadTimeout = time.Duration(ms) * time.Millisecond
		cfg.WriteTimeout = cfg.ReadTimeout
	}
	return cfg.FormatDSN()
}

// PostgresURL returns a postgres:// URL for u. sslmode, connectTimeout,
// ApplicationName and currentSchema (as search_path) are translated; other
// JDBC parameters are dropped.
func (u JDBC) PostgresURL(username, password string) string {
	user, pass := u.user(username, password)
	out := url.URL{Scheme: "postgres", Host: u.Host, Path: "/" + u.Database}
	if u.Port != "" {
		out.Host = net.JoinHostPort(u.Host, u.Port)
	}
	if pass != "" {
		out.User = url.UserPassword(user, pass)
	} else if user != "" {
		out.User = url.User(user)
	}
	q := url.Values{}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range u.Params {
			if !yield(k) {
				return
			}
		}
	}) {
		v := u.Params.Get(k)
		switch k {
		case "sslmode":
			q.Set("sslmode", v)
		case "ssl":
			if v == "true" {
				q.Set("sslmode", "require")
			}
		case "connectTimeout":
			q.Set("connect_timeout", v)
		case "ApplicationName", "applicationName":
			q.Set("application_name", v)
		case "currentSchema":
			q.Set("search_path", v)
		}
	}
	if !q.Has("sslmode") {
		q.Set("sslmode", "prefer")
	}
	out.RawQuery = q.Encode()
	return out.String()
}
