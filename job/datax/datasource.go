package datax

import (
	"crypto/tls"
	"errors"
	"fmt"

	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datasource"
)

// UseDataSources fills the connection block from the data sources it
// names, each of type want: "datasource" in a connection entry, or at the
// top level for every entry (or, with no connection block, for the one
// entry it and "table" stand for, DataWorks' form). An entry's jdbcUrl
// becomes the data source's URL and its credentials the data source's.
// Naming a data source and giving jdbcUrl, username or password too is an
// error. Errors are *job.ParamError, joined.
func (p *ReaderParams) UseDataSources(lookup job.DataSourceLookup, want datasource.Type) error {
	if len(p.Connection) == 0 && p.Datasource != "" {
		p.Connection = []ReaderConnection{{implicit: true}}
	}
	var errs []error
	used := ""
	for i := range p.Connection {
		c := &p.Connection[i]
		name, at := c.Datasource, fmt.Sprintf("connection[%d].datasource", i)
		if name == "" {
			name, at = p.Datasource, "datasource"
		}
		if name == "" {
			continue
		}
		if len(c.JdbcURL) > 0 {
			errs = append(errs, &job.ParamError{Path: fmt.Sprintf("connection[%d].jdbcUrl", i), Err: fmt.Errorf("give jdbcUrl or datasource (%q), not both", name)})
			continue
		}
		r, err := lookup(name, want)
		if err != nil {
			errs = append(errs, &job.ParamError{Path: at, Err: err})
			continue
		}
		c.JdbcURL = []string{r.DataSource.URL()}
		c.username, c.password, c.fromSource = r.Username, r.Password, true
		used = name
	}
	return errors.Join(append(errs, credentialsClash(used, p.Username, p.Password)...)...)
}

// UseDataSources fills the connection block from the data source it
// names, of type want: "datasource" in the connection entry, or at the top
// level (with "table" beside it and no connection block, DataWorks' form).
// jdbcUrl becomes the data source's URL, username and password its
// credentials. Naming a data source and giving jdbcUrl, username or
// password too is an error. Errors are *job.ParamError, joined.
func (p *WriterParams) UseDataSources(lookup job.DataSourceLookup, want datasource.Type) error {
	if len(p.Connection) == 0 && p.Datasource != "" {
		p.Connection = []WriterConnection{{implicit: true}}
	}
	var errs []error
	for i := range p.Connection {
		c := &p.Connection[i]
		name, at := c.Datasource, fmt.Sprintf("connection[%d].datasource", i)
		if name == "" {
			name, at = p.Datasource, "datasource"
		}
		if name == "" {
			continue
		}
		if c.JdbcURL != "" {
			errs = append(errs, &job.ParamError{Path: fmt.Sprintf("connection[%d].jdbcUrl", i), Err: fmt.Errorf("give jdbcUrl or datasource (%q), not both", name)})
			continue
		}
		r, err := lookup(name, want)
		if err != nil {
			errs = append(errs, &job.ParamError{Path: at, Err: err})
			continue
		}
		errs = append(errs, credentialsClash(name, p.Username, p.Password)...)
		c.JdbcURL = r.DataSource.URL()
		p.Username, p.Password = r.Username, r.Password
	}
	return errors.Join(errs...)
}

// credentialsClash reports username and password given beside a data
// source (named used; "" for none), which brings its own.
func credentialsClash(used, username, password string) []error {
	if used == "" {
		return nil
	}
	var errs []error
	if username != "" {
		errs = append(errs, &job.ParamError{Path: "username", Err: fmt.Errorf("comes from data source %q; remove it", used)})
	}
	if password != "" {
		errs = append(errs, &job.ParamError{Path: "password", Err: fmt.Errorf("comes from data source %q; remove it", used)})
	}
	return errs
}

// ossTarget points at the connection settings of an OSS reader's or
// writer's parameters.
type ossTarget struct {
	endpoint, bucket, region, accessID, accessKey, securityToken *string
}

// useOSSDataSource fills an OSS connection from the data source called
// name: endpoint, credentials, and the region and bucket unless the
// parameters give their own. Giving the endpoint or credentials beside a
// data source is an error.
func useOSSDataSource(name string, lookup job.DataSourceLookup, c ossTarget) error {
	if name == "" {
		return nil
	}
	var errs []error
	for _, s := range []struct {
		key   string
		value *string
	}{{"endpoint", c.endpoint}, {"accessId", c.accessID}, {"accessKey", c.accessKey}, {"securityToken", c.securityToken}} {
		if *s.value != "" {
			errs = append(errs, &job.ParamError{Path: s.key, Err: fmt.Errorf("comes from data source %q; remove it", name)})
		}
	}
	r, err := lookup(name, datasource.OSS)
	if err != nil {
		return errors.Join(append(errs, &job.ParamError{Path: "datasource", Err: err})...)
	}
	*c.endpoint, *c.accessID, *c.accessKey, *c.securityToken = r.DataSource.Endpoint, r.AccessID, r.AccessKey, r.SecurityToken
	if *c.bucket == "" {
		*c.bucket = r.DataSource.Bucket
	}
	if *c.region == "" {
		*c.region = r.DataSource.Region
	}
	return errors.Join(errs...)
}

// DataSourceDSN returns what a Go driver connects to a resolved mysql or
// postgresql data source with: a go-sql-driver/mysql DSN, or a postgres://
// URL (for pgx), as the jobs naming it connect. It holds the password:
// never show it. For mysql, the TLS settings of the URL come back as a
// tls.Config to use in place of the DSN's (nil when the DSN's tls parameter
// says all); for postgresql the URL holds them and the config is nil.
func DataSourceDSN(r datasource.Resolved) (string, *tls.Config, error) {
	d := r.DataSource
	if !d.Type.Relational() {
		return "", nil, fmt.Errorf("data source %s is %s, not mysql or postgresql", d.Name, d.Type)
	}
	jdbc, _, _ := datasource.StripOceanBasePrefix(d.URL())
	u, err := ParseJDBC(jdbc, string(d.Engine()))
	if err != nil {
		return "", nil, fmt.Errorf("data source %s: %w", d.Name, err)
	}
	if d.Engine() == datasource.MySQL {
		dsn, tlsConfig := u.MySQLDSN(r.Username, r.Password)
		return dsn, tlsConfig, nil
	}
	return u.PostgresURL(r.Username, r.Password), nil, nil
}
