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
)

// Types returns the known types, sorted.
func Types() []Type { return []Type{MySQL, OSS, PostgreSQL} }

// Relational reports whether t is reached through a JDBC URL (or host,
// port and database).
func (t Type) Relational() bool { return t == MySQL || t == PostgreSQL }

// DataSource is a named connection: where a system is and the credentials
// to reach it. Which settings apply depends on Type:
//
//   - mysql, postgresql: JdbcURL, or Host, Port (default 3306 or 5432),
//     Database and Properties (the JDBC URL's parameters, such as useSSL
//     or sslmode); Username and Password.
//   - oss: Endpoint, Bucket (a job may name another) and Region (for V4
//     signatures); AccessID, AccessKey and SecurityToken (STS).
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
}

// validName is DataWorks' rule for data source names: a letter, then
// letters, digits, underscores and hyphens, at most 60 in all.
var validName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,59}$`)

// settingsOf lists the JSON names of the settings each type takes.
var settingsOf = map[Type][]string{
	MySQL:      {"jdbcUrl", "host", "port", "database", "properties", "username", "password"},
	PostgreSQL: {"jdbcUrl", "host", "port", "database", "properties", "username", "password"},
	OSS:        {"endpoint", "bucket", "region", "accessId", "accessKey", "securityToken"},
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
			if prefix := "jdbc:" + string(d.Type) + "://"; !strings.HasPrefix(d.JdbcURL, prefix) {
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
		if d.Type == PostgreSQL {
			port = 5432
		}
	}
	u := "jdbc:" + string(d.Type) + "://" + net.JoinHostPort(d.Host, strconv.Itoa(port)) + "/" + url.PathEscape(d.Database)
	if len(d.Properties) > 0 {
		q := url.Values{}
		for _, k := range slices.Sorted(maps.Keys(d.Properties)) {
			q.Set(k, d.Properties[k])
		}
		u += "?" + q.Encode()
	}
	return u
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
