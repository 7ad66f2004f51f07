package datax

import (
	"crypto/tls"
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
	"github.com/datasync-go/datasync/internal/masking"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/source"
)

// ReaderParams is the parameter object of DataX's relational readers, and
// of DataWorks' (which name a data source instead of a URL and
// credentials: "datasource" here or in a connection entry, see
// UseDataSources).
type ReaderParams struct {
	Username   string             `json:"username"`
	Password   string             `json:"password" datasync:"secret"`
	Datasource string             `json:"datasource"`
	Table      []string           `json:"table"`
	Column     []string           `json:"column"`
	Where      string             `json:"where"`
	SplitPK    string             `json:"splitPk"`
	FetchSize  int                `json:"fetchSize"`
	Session    []string           `json:"session"`
	Encoding   string             `json:"encoding"`
	Connection []ReaderConnection `json:"connection"`
}

// ReaderConnection is one entry of a reader's connection block. DataX lists
// alternative URLs of one database in jdbcUrl and reads through the first
// that connects; so does datasync (see BuildSource). Several tables are
// read as one source.
// Datasource names a data source in place of jdbcUrl.
type ReaderConnection struct {
	JdbcURL    []string `json:"jdbcUrl"`
	Datasource string   `json:"datasource"`
	Table      []string `json:"table"`
	QuerySQL   []string `json:"querySql"`

	// set by UseDataSources: the credentials of the data source, and
	// whether the entry stands for "datasource" and "table" (no block)
	username, password string
	fromSource         bool
	implicit           bool
}

// WriterParams is the parameter object of DataX's relational writers, and
// of DataWorks' (whose "datasource" and "table" stand for the connection
// block, see UseDataSources).
type WriterParams struct {
	Username   string             `json:"username"`
	Password   string             `json:"password" datasync:"secret"`
	Datasource string             `json:"datasource"`
	Table      []string           `json:"table"`
	Column     []string           `json:"column"`
	PreSQL     []string           `json:"preSql"`
	PostSQL    []string           `json:"postSql"`
	Session    []string           `json:"session"`
	WriteMode  string             `json:"writeMode"`
	BatchSize  int                `json:"batchSize"`
	Connection []WriterConnection `json:"connection"`
}

// WriterConnection is the writer's connection block entry: one database
// (jdbcUrl or datasource) and one table.
type WriterConnection struct {
	JdbcURL    string   `json:"jdbcUrl"`
	Datasource string   `json:"datasource"`
	Table      []string `json:"table"`

	implicit bool // set by UseDataSources: the entry stands for "datasource" and "table"
}

// Columns returns the column list as the connectors take it: nil for all
// columns (DataX's ["*"]).
func Columns(cols []string) []string {
	if len(cols) == 0 || (len(cols) == 1 && strings.TrimSpace(cols[0]) == "*") {
		return nil
	}
	return cols
}

// ReaderSource is one database and table (or query) of a reader's
// connection block, with the credentials to reach it.
type ReaderSource struct {
	URL JDBC
	// Fallbacks are the entry's other jdbcUrls, tried in order when URL
	// does not connect.
	Fallbacks          []JDBC
	Table              string // "" when QuerySQL is set
	QuerySQL           string
	Username, Password string
	Path               string // the JSON path of the entry, for errors

	urlTexts []string // the jdbcUrls as written: URL's, then the fallbacks'
	unusable []string // the failures of the entry's jdbcUrls that do not parse
}

// Sources flattens a reader's connection block into one entry per table or
// query, checking that each URL is of the wanted scheme ("mysql",
// "postgresql"). Call UseDataSources first when the parameters may name
// data sources. Errors are *job.ParamError, joined: every entry's.
func (p ReaderParams) Sources(scheme string) ([]ReaderSource, error) {
	var out []ReaderSource
	var errs []error
	fail := func(path, format string, args ...any) {
		errs = append(errs, &job.ParamError{Path: path, Err: fmt.Errorf(format, args...)})
	}
	if err := checkEncoding(p.Encoding); err != nil {
		fail("encoding", "%v", err)
	}
	if len(p.Connection) == 0 {
		fail("connection", "missing: give a connection block, or datasource and table")
	}
	for i, c := range p.Connection {
		path := fmt.Sprintf("connection[%d]", i)
		tables, tablePath := c.Table, path+".table"
		switch {
		case len(tables) > 0 && len(p.Table) > 0:
			fail("table", "give the tables here or in %s.table, not both", path)
		case len(tables) == 0 && len(c.QuerySQL) == 0:
			tables, tablePath = p.Table, "table"
		}
		switch {
		case len(tables) > 0 && len(c.QuerySQL) > 0:
			fail(path, "give table or querySql, not both")
		case len(tables) == 0 && len(c.QuerySQL) == 0 && c.implicit:
			fail("table", "missing: give the tables to read")
		case len(tables) == 0 && len(c.QuerySQL) == 0:
			fail(path, "give table or querySql")
		}
		if len(c.JdbcURL) == 0 {
			fail(path, "give jdbcUrl or datasource")
			continue
		}
		// In a list, a URL that does not parse is one that does not
		// connect, as in DataX (whose own docs list
		// jdbc:mysql://127.0.0.1:bad_port/database): it is reported only
		// if no other one connects.
		var urls []JDBC
		var texts, unusable []string
		var parseErrs []error
		for k, text := range c.JdbcURL {
			u, err := ParseJDBC(text, scheme)
			if err != nil {
				parseErrs = append(parseErrs, &job.ParamError{Path: fmt.Sprintf("%s.jdbcUrl[%d]", path, k), Err: err})
				unusable = append(unusable, fmt.Sprintf("jdbcUrl[%d]: %v", k, err))
				continue
			}
			urls, texts = append(urls, u), append(texts, text)
		}
		if len(urls) == 0 {
			errs = append(errs, parseErrs...)
			continue
		}
		u, fallbacks := urls[0], urls[1:]
		user, pass := p.Username, p.Password
		if c.fromSource {
			user, pass = c.username, c.password
		}
		for j, t := range tables {
			out = append(out, ReaderSource{URL: u, Fallbacks: fallbacks, urlTexts: texts, unusable: unusable, Table: t, Username: user, Password: pass, Path: fmt.Sprintf("%s[%d]", tablePath, j)})
		}
		for j, q := range c.QuerySQL {
			out = append(out, ReaderSource{URL: u, Fallbacks: fallbacks, urlTexts: texts, unusable: unusable, QuerySQL: q, Username: user, Password: pass, Path: fmt.Sprintf("%s.querySql[%d]", path, j)})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// checkEncoding accepts the encodings DataWorks writes for readers that
// decode nothing themselves: the drivers always talk UTF-8.
func checkEncoding(enc string) error {
	switch strings.ToLower(strings.ReplaceAll(enc, "-", "")) {
	case "", "utf8", "utf8mb4":
		return nil
	}
	return fmt.Errorf("encoding: datasync talks UTF-8 with the database; %q is not supported", enc)
}

// BuildSource builds a source for every table or query of p's connection
// block with newSource, and joins them with source.Concat when there are
// several. An entry with several jdbcUrls gets a source per URL, and reads
// through the first whose check passes when the job runs (the error lists
// every URL's failure when none does). Errors name the entry at fault
// (job.ParamError paths); sources already built are closed when another
// fails.
func (p ReaderParams) BuildSource(scheme string, newSource func(ReaderSource) (datasync.Source, error)) (datasync.Source, error) {
	entries, err := p.Sources(scheme)
	if err != nil {
		return nil, err
	}
	var sources []datasync.Source
	var errs []error
	for _, e := range entries {
		var candidates []datasync.Source
		for _, u := range append([]JDBC{e.URL}, e.Fallbacks...) {
			one := e
			one.URL, one.Fallbacks = u, nil
			src, err := newSource(one)
			if err != nil {
				errs = append(errs, &job.ParamError{Path: e.Path, Err: err})
				break
			}
			candidates = append(candidates, src)
		}
		if len(candidates) < 1+len(e.Fallbacks) {
			sources = append(sources, candidates...) // closed below
			continue
		}
		sources = append(sources, newFirstAvailable(candidates, e.urlTexts, e.unusable))
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

// Target returns the writer's database and table (DataX writers take
// one), from the connection block or from DataWorks' "table" beside
// "datasource". Call UseDataSources first when the parameters may name
// data sources. Errors are *job.ParamError, joined.
func (p WriterParams) Target(scheme string) (JDBC, string, error) {
	var errs []error
	fail := func(path, format string, args ...any) {
		errs = append(errs, &job.ParamError{Path: path, Err: fmt.Errorf(format, args...)})
	}
	switch len(p.Connection) {
	case 0:
		fail("connection", "missing: give a connection block, or datasource and table")
		return JDBC{}, "", errors.Join(errs...)
	case 1:
	default:
		fail("connection", "give exactly one entry, not %d", len(p.Connection))
	}
	c := p.Connection[0]
	tables, path := c.Table, "connection[0].table"
	switch {
	case len(tables) > 0 && len(p.Table) > 0:
		fail("table", "give the table here or in connection[0].table, not both")
	case len(tables) == 0 && (len(p.Table) > 0 || c.implicit):
		tables, path = p.Table, "table"
	}
	switch {
	case len(tables) == 0:
		fail(path, "missing required setting")
	case len(tables) > 1:
		fail(path, "give exactly one table, not %d", len(tables))
	}
	var u JDBC
	if c.JdbcURL == "" {
		fail("connection[0]", "give jdbcUrl or datasource")
	} else {
		var err error
		if u, err = ParseJDBC(c.JdbcURL, scheme); err != nil {
			fail("connection[0].jdbcUrl", "%v", err)
		}
	}
	if len(errs) > 0 {
		return JDBC{}, "", errors.Join(errs...)
	}
	return u, tables[0], nil
}

// JDBC is a parsed jdbc:<scheme>://host[:port][,host2...]/database?params URL.
type JDBC struct {
	Scheme   string // "mysql" or "postgresql"
	Host     string // the first host
	Port     string // "" for the default
	Database string
	Params   url.Values

	mysqlTLS *mysqlTLS  // what a jdbc:mysql URL asks of TLS; nil for Connector/J's default
	pgSSL    url.Values // the pgx settings for a jdbc:postgresql URL's TLS settings
}

// ParseJDBC parses a JDBC URL of the given scheme. The TLS settings of the
// MySQL and PostgreSQL drivers are read too (see parseMySQLTLS and
// parsePostgresSSL): one that cannot be honoured is an error naming it.
func ParseJDBC(s, scheme string) (JDBC, error) {
	prefix := "jdbc:" + scheme + "://"
	if !strings.HasPrefix(s, prefix) {
		return JDBC{}, fmt.Errorf("%q is not a %sURL", redactURL(s), prefix)
	}
	rest := strings.TrimPrefix(s, prefix)
	rest, query, _ := strings.Cut(rest, "?") // the parameters may follow the host directly
	hostPart, dbPart, _ := strings.Cut(rest, "/")
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
		return JDBC{}, fmt.Errorf("%q has an invalid host and port", redactURL(s))
	}
	host, port := hostPart, ""
	switch h, p, err := net.SplitHostPort(hostPart); {
	case err == nil:
		host, port = h, p
	case strings.HasPrefix(hostPart, "[") && strings.HasSuffix(hostPart, "]"):
		host = hostPart[1 : len(hostPart)-1] // an IPv6 address without a port
	case strings.Contains(hostPart, ":"):
		return JDBC{}, fmt.Errorf("%q has an invalid host and port", redactURL(s))
	}
	if host == "" {
		return JDBC{}, fmt.Errorf("%q has no host", redactURL(s))
	}
	params, err := url.ParseQuery(strings.ReplaceAll(query, ";", "&"))
	if err != nil {
		return JDBC{}, fmt.Errorf("%q has malformed parameters: %v", redactURL(s), err)
	}
	db, err := url.PathUnescape(dbPart)
	if err != nil {
		return JDBC{}, fmt.Errorf("%q has a malformed database name", redactURL(s))
	}
	u := JDBC{Scheme: scheme, Host: host, Port: port, Database: db, Params: params}
	switch scheme {
	case "mysql":
		var t mysqlTLS
		t, err = parseMySQLTLS(params)
		u.mysqlTLS = &t
	case "postgresql":
		u.pgSSL, err = parsePostgresSSL(params)
	}
	if err != nil {
		return JDBC{}, err
	}
	return u, nil
}

// redactURL removes the passwords given as URL parameters (password,
// sslpassword, key store passwords...) or before the host
// (user:password@host).
func redactURL(s string) string {
	base, query, ok := strings.Cut(s, "?")
	if scheme, rest, found := strings.Cut(base, "://"); found {
		authority, path, slash := strings.Cut(rest, "/")
		if at := strings.LastIndex(authority, "@"); at >= 0 {
			authority = masking.Mask + authority[at:]
		}
		base = scheme + "://" + authority
		if slash {
			base += "/" + path
		}
	}
	if !ok {
		return base
	}
	params, err := url.ParseQuery(strings.ReplaceAll(query, ";", "&"))
	if err != nil {
		return base + "?..."
	}
	for k := range params {
		if strings.Contains(strings.ToLower(k), "password") {
			params.Set(k, masking.Mask)
		}
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

// MySQLDSN returns a go-sql-driver/mysql DSN for u, and the TLS
// configuration that goes with it (nil when the DSN's tls parameter says
// it all; see mysql.SourceConfig.TLS). The TLS settings are applied as
// parseMySQLTLS says, never more weakly; connectTimeout and socketTimeout
// are translated; the driver-specific rest (useUnicode, characterEncoding,
// serverTimezone...) has no counterpart and is dropped: datasync always
// talks utf8mb4 and reads TIMESTAMP in UTC.
func (u JDBC) MySQLDSN(username, password string) (string, *tls.Config) {
	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd = u.user(username, password)
	port := u.Port
	if port == "" {
		port = "3306"
	}
	cfg.Net, cfg.Addr, cfg.DBName = "tcp", net.JoinHostPort(u.Host, port), u.Database
	t := mysqlTLS{mode: sslPreferred}
	if u.mysqlTLS != nil {
		t = *u.mysqlTLS
	}
	var tlsConfig *tls.Config
	cfg.TLSConfig, tlsConfig = t.dsnTLS(u.Host)
	if ms, err := strconv.Atoi(u.Params.Get("connectTimeout")); err == nil {
		cfg.Timeout = time.Duration(ms) * time.Millisecond
	}
	if ms, err := strconv.Atoi(u.Params.Get("socketTimeout")); err == nil {
		cfg.ReadTimeout = time.Duration(ms) * time.Millisecond
		cfg.WriteTimeout = cfg.ReadTimeout
	}
	return cfg.FormatDSN(), tlsConfig
}

// PostgresURL returns a postgres:// URL for u. The TLS settings are
// translated as parsePostgresSSL says, never more weakly; connectTimeout,
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
		case "connectTimeout":
			q.Set("connect_timeout", v)
		case "ApplicationName", "applicationName":
			q.Set("application_name", v)
		case "currentSchema":
			q.Set("search_path", v)
		}
	}
	for k, v := range u.pgSSL {
		q[k] = v
	}
	if !q.Has("sslmode") {
		q.Set("sslmode", "prefer") // a JDBC value not made by ParseJDBC
	}
	out.RawQuery = q.Encode()
	return out.String()
}
