package datax

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mongodb"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datasource"
)

// mongoConnection is what DataX's mongodbreader and mongodbwriter connect
// with: the members' addresses, the credentials, the database.
type mongoConnection struct {
	Address      []string `json:"address"`
	UserName     string   `json:"userName"`
	UserPassword string   `json:"userPassword" datasync:"secret"`
	AuthDb       string   `json:"authDb"`
	DbName       string   `json:"dbName"`
	// Datasource names a mongodb data source in place of address, the
	// credentials, authDb and (unless given) dbName.
	Datasource string `json:"datasource"`
}

// mongoColumn is one entry of DataX's column list.
type mongoColumn struct {
	Name     string `json:"name" datasync:"required"`
	Type     string `json:"type"`
	Splitter string `json:"splitter"`
}

// mongodbReaderParams is mongodbreader's parameter object: DataX's, with
// datasync's own settings beside it.
type mongodbReaderParams struct {
	mongoConnection
	// Username, Password and Database are DataX's other names for
	// userName, userPassword and dbName (its reader takes either).
	Username       string          `json:"username"`
	Password       string          `json:"password" datasync:"secret"`
	Database       string          `json:"database"`
	CollectionName string          `json:"collectionName" datasync:"required"`
	Column         []mongoColumn   `json:"column" datasync:"required"`
	Query          json.RawMessage `json:"query"`
	BatchSize      int             `json:"batchSize"`
	Splits         int             `json:"splits"`
	MinSplitDocs   int64           `json:"minSplitDocs"`
}

// mongodbWriteMode is mongodbwriter's writeMode object.
type mongodbWriteMode struct {
	IsReplace  json.RawMessage `json:"isReplace"`
	ReplaceKey string          `json:"replaceKey"`
}

// mongodbWriterParams is mongodbwriter's parameter object: DataX's, with
// datasync's own settings beside it.
type mongodbWriterParams struct {
	mongoConnection
	CollectionName string            `json:"collectionName" datasync:"required"`
	Column         []mongoColumn     `json:"column"`
	WriteMode      *mongodbWriteMode `json:"writeMode"`
	BatchSize      int               `json:"batchSize"`
	// Upsert, with writeMode.isReplace, sets the written fields on the
	// matching document instead of replacing it (datasync's own).
	Upsert bool `json:"upsert"`
	// Decimal is "decimal128" (the default) or "string" (datasync's own).
	Decimal  string `json:"decimal"`
	Truncate bool   `json:"truncate"`
}

// ResolveDataSources fills the connection from the mongodb data source
// named, if any.
func (p *mongodbReaderParams) ResolveDataSources(lookup job.DataSourceLookup) error {
	if err := p.useAliases(); err != nil {
		return err
	}
	return p.useDataSource(lookup)
}

// ResolveDataSources fills the connection from the mongodb data source
// named, if any.
func (p *mongodbWriterParams) ResolveDataSources(lookup job.DataSourceLookup) error {
	return p.useDataSource(lookup)
}

func (c *mongoConnection) useDataSource(lookup job.DataSourceLookup) error {
	if c.Datasource == "" {
		return nil
	}
	var errs []error
	for _, s := range []struct {
		key string
		set bool
	}{{"address", len(c.Address) > 0}, {"userName", c.UserName != ""}, {"userPassword", c.UserPassword != ""}, {"authDb", c.AuthDb != ""}} {
		if s.set {
			errs = append(errs, &job.ParamError{Path: s.key, Err: fmt.Errorf("comes from data source %q; remove it", c.Datasource)})
		}
	}
	r, err := lookup(c.Datasource, datasource.MongoDB)
	if err != nil {
		return errors.Join(append(errs, &job.ParamError{Path: "datasource", Err: err})...)
	}
	d := r.DataSource
	c.Address, c.UserName, c.UserPassword, c.AuthDb = d.Address, r.Username, r.Password, d.AuthDB
	if c.DbName == "" {
		c.DbName = d.Database
	}
	return errors.Join(errs...)
}

// uri is the connection string of c: mongodb://user:password@a,b/dbName
// with authSource authDb (default dbName, as DataX).
func (c *mongoConnection) uri() (string, error) {
	var errs []error
	if len(c.Address) == 0 {
		errs = append(errs, &job.ParamError{Path: "address", Err: errors.New("missing required setting (host:port of each member, or datasource)")})
	}
	for i, a := range c.Address {
		if a == "" || strings.ContainsAny(a, "/@?,") {
			errs = append(errs, &job.ParamError{Path: fmt.Sprintf("address[%d]", i), Err: fmt.Errorf("%q is not host:port", a)})
		}
	}
	if c.DbName == "" {
		errs = append(errs, &job.ParamError{Path: "dbName", Err: errors.New("missing required setting")})
	}
	if err := errors.Join(errs...); err != nil {
		return "", err
	}
	u := url.URL{Scheme: "mongodb", Host: strings.Join(c.Address, ","), Path: "/"}
	if c.UserName != "" {
		u.User = url.UserPassword(c.UserName, c.UserPassword)
		auth := c.AuthDb
		if auth == "" {
			auth = c.DbName
		}
		u.RawQuery = url.Values{"authSource": {auth}}.Encode()
	}
	return u.String(), nil
}

// mongoKind is the datasync kind of a DataX column type.
func mongoKind(typ string) (datasync.Kind, error) {
	switch strings.ToLower(typ) {
	case "", "string", "objectid":
		return datasync.KindString, nil
	case "int", "long":
		return datasync.KindInt, nil
	case "double":
		return datasync.KindFloat, nil
	case "decimal", "decimal128":
		return datasync.KindDecimal, nil
	case "date":
		return datasync.KindTimestamp, nil
	case "boolean", "bool":
		return datasync.KindBool, nil
	case "bytes":
		return datasync.KindBytes, nil
	case "array", "document", "document.array", "json":
		return datasync.KindJSON, nil
	}
	if k, ok := datasync.ParseKind(typ); ok && k != datasync.KindNull {
		return k, nil
	}
	return 0, fmt.Errorf("type %q is not string, objectid, int, long, double, decimal, date, boolean, bytes, array, document or a datasync kind", typ)
}

// checkColumns rejects DataX column settings datasync does not do.
func checkColumns(cols []mongoColumn) []error {
	var errs []error
	for i, c := range cols {
		if c.Splitter != "" {
			errs = append(errs, &job.ParamError{Path: fmt.Sprintf("column[%d].splitter", i), Err: errors.New("not supported: arrays are read and written as JSON")})
		}
		if _, err := mongoKind(c.Type); err != nil {
			errs = append(errs, &job.ParamError{Path: fmt.Sprintf("column[%d].type", i), Err: err})
		}
	}
	return errs
}

// queryText returns DataX's query, given as a string of JSON or as an
// object.
func queryText(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	if strings.HasPrefix(strings.TrimSpace(string(raw)), "{") {
		return string(raw), nil
	}
	return "", &job.ParamError{Path: "query", Err: errors.New("want a filter document, or a string holding one")}
}

// useAliases moves username, password and database to userName,
// userPassword and dbName; giving both names of one setting is an error.
func (p *mongodbReaderParams) useAliases() error {
	var errs []error
	for _, a := range []struct {
		alias, name string
		from, to    *string
	}{{"username", "userName", &p.Username, &p.UserName}, {"password", "userPassword", &p.Password, &p.UserPassword}, {"database", "dbName", &p.Database, &p.DbName}} {
		switch {
		case *a.from == "":
		case *a.to != "" && *a.to != *a.from:
			errs = append(errs, &job.ParamError{Path: a.alias, Err: fmt.Errorf("give %s or %s, not both", a.name, a.alias)})
		default:
			*a.to, *a.from = *a.from, ""
		}
	}
	return errors.Join(errs...)
}

func newMongoDBSource(p *mongodbReaderParams) (datasync.Source, error) {
	if err := p.useAliases(); err != nil {
		return nil, err
	}
	uri, err := p.uri()
	errs := []error{err}
	errs = append(errs, checkColumns(p.Column)...)
	query, err := queryText(p.Query)
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	cols := make([]mongodb.Column, len(p.Column))
	for i, c := range p.Column {
		k, _ := mongoKind(c.Type)
		cols[i] = mongodb.Column{Name: c.Name, Kind: k}
	}
	return mongodb.NewSource(mongodb.SourceConfig{
		URI: uri, Database: p.DbName, Collection: p.CollectionName, Columns: cols, Filter: query,
		FetchSize: p.BatchSize, Splits: p.Splits, MinSplitDocs: p.MinSplitDocs,
	})
}

func newMongoDBSink(p *mongodbWriterParams) (datasync.Sink, error) {
	uri, err := p.uri()
	errs := []error{err}
	errs = append(errs, checkColumns(p.Column)...)
	cfg := mongodb.SinkConfig{URI: uri, Database: p.DbName, Collection: p.CollectionName, BatchSize: p.BatchSize,
		Decimal: mongodb.DecimalMode(p.Decimal), Truncate: p.Truncate}
	for _, c := range p.Column {
		cfg.Columns = append(cfg.Columns, c.Name)
		if strings.EqualFold(c.Type, "objectid") {
			cfg.ObjectID = append(cfg.ObjectID, c.Name)
		}
	}
	if w := p.WriteMode; w != nil {
		replace, err := flag(w.IsReplace)
		if err != nil {
			errs = append(errs, &job.ParamError{Path: "writeMode.isReplace", Err: err})
		}
		switch {
		case replace && p.Upsert:
			cfg.WriteMode = mongodb.WriteUpsert
		case replace:
			cfg.WriteMode = mongodb.WriteReplace
		case w.ReplaceKey != "":
			errs = append(errs, &job.ParamError{Path: "writeMode.replaceKey", Err: errors.New("only with isReplace true")})
		}
		if replace && w.ReplaceKey != "" {
			cfg.Key = []string{w.ReplaceKey}
		}
	}
	if p.Upsert && cfg.WriteMode != mongodb.WriteUpsert {
		errs = append(errs, &job.ParamError{Path: "upsert", Err: errors.New("only with writeMode.isReplace true")})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return mongodb.NewSink(cfg)
}

// flag reads DataX's booleans, written true or "true".
func flag(raw json.RawMessage) (bool, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return false, nil
	}
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return b, nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		switch strings.ToLower(s) {
		case "true":
			return true, nil
		case "false", "":
			return false, nil
		}
	}
	return false, fmt.Errorf("%s is not true or false", raw)
}

// registerMongoDB registers DataX's "mongodbreader" and "mongodbwriter".
func registerMongoDB(r *job.Registry) {
	r.Register("mongodbreader", job.Connector{Source: job.SourceFunc(newMongoDBSource).Accepting(acceptedFor("mongodbreader", nil)...)})
	r.Register("mongodbwriter", job.Connector{Sink: job.SinkFunc(newMongoDBSink).Accepting(acceptedFor("mongodbwriter", nil)...)})
}

// DataSourceMongoURI returns the connection string of a resolved mongodb
// data source, as the jobs naming it connect. It holds the password: never
// show it.
func DataSourceMongoURI(r datasource.Resolved) (string, error) {
	d := r.DataSource
	if d.Type != datasource.MongoDB {
		return "", fmt.Errorf("data source %s is %s, not mongodb", d.Name, d.Type)
	}
	c := mongoConnection{Address: d.Address, UserName: r.Username, UserPassword: r.Password, AuthDb: d.AuthDB, DbName: d.Database}
	uri, err := c.uri()
	if err != nil {
		return "", fmt.Errorf("data source %s: %w", d.Name, err)
	}
	return uri, nil
}
