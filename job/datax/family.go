package datax

import (
	"errors"
	"fmt"
	"strings"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datasource"
)

// The MySQL and PostgreSQL family: Alibaba Cloud's services that speak
// MySQL's or PostgreSQL's protocol, registered under DataX's plugin names
// and DataWorks' stepTypes onto the mysql and postgres connectors, each
// with the path that works on that service (see the package doc's table).

// familyMember is one service of the family.
type familyMember struct {
	service        string          // its name, for messages
	stepType       datasource.Type // DataWorks' stepType, also its data source type
	reader, writer string          // the plugin names registered
	engine         datasource.Type // MySQL or PostgreSQL; "" for PolarDB (by URL)
	loadData       mysql.LoadData  // mysql sinks: LoadData
	oneSplitNoKey  bool            // postgres readers: one split unless splitPk is given
}

// family lists the members, in the order of the package doc's table.
var family = []familyMember{
	{service: "PolarDB", stepType: datasource.PolarDB, reader: "polardbreader", writer: "polardbwriter", loadData: mysql.LoadDataAuto},
	{service: "PolarDB-X 1.0 (DRDS)", stepType: datasource.DRDS, reader: "drdsreader", writer: "drdswriter", engine: datasource.MySQL, loadData: mysql.LoadDataOff},
	{service: "AnalyticDB for MySQL 3.0", stepType: datasource.AnalyticDBForMySQL, reader: "adbmysqlreader", writer: "adbmysqlwriter", engine: datasource.MySQL, loadData: mysql.LoadDataOff},
	{service: "HybridDB for MySQL", stepType: datasource.HybridDBForMySQL, reader: "hybriddbmysqlreader", writer: "hybriddbmysqlwriter", engine: datasource.MySQL, loadData: mysql.LoadDataOff},
	{service: "OceanBase (MySQL mode)", stepType: datasource.OceanBase, reader: "oceanbasev10reader", writer: "oceanbasev10writer", engine: datasource.MySQL, loadData: mysql.LoadDataAuto},
	{service: "RDS for PPAS", stepType: datasource.PPAS, reader: "ppasreader", writer: "ppaswriter", engine: datasource.PostgreSQL},
	{service: "AnalyticDB for PostgreSQL", stepType: datasource.AnalyticDBForPostgreSQL, reader: "adbpgreader", writer: "adbpgwriter", engine: datasource.PostgreSQL, oneSplitNoKey: true},
}

// engineLookup accepts any data source that speaks engine ("" for either):
// a job for a compatible service may name a data source of its own type or
// of the plain engine's.
func engineLookup(lookup job.DataSourceLookup, engine datasource.Type, plugin string) job.DataSourceLookup {
	return func(name string, _ datasource.Type) (datasource.Resolved, error) {
		r, err := lookup(name, "")
		if err != nil {
			return r, err
		}
		if !r.DataSource.Type.Relational() || (engine != "" && r.DataSource.Engine() != engine) {
			want := string(engine)
			if want == "" {
				want = "mysql or postgresql"
			}
			return datasource.Resolved{}, fmt.Errorf("data source %s is %s, the %s needs one that speaks %s", name, r.DataSource.Type, plugin, want)
		}
		return r, nil
	}
}

// familyReaderParams is the parameter object of a family reader: DataX's
// reader parameters, with datasync's own settings beside them (those of
// the mysql and postgres readers; a setting of the other engine is an
// error).
type familyReaderParams struct {
	ReaderParams
	Splits        int    `json:"splits"`
	MinSplitRows  int64  `json:"minSplitRows"`
	TinyIntAsBool bool   `json:"tinyIntAsBool"`
	ZeroDate      string `json:"zeroDate"`
	Consistent    bool   `json:"consistent"`

	member familyMember
}

// familyWriterParams is the parameter object of a family writer: DataX's
// writer parameters (with OceanBase's obWriteMode, and AnalyticDB for
// PostgreSQL's host, port, database and schema), with datasync's own
// settings beside them.
type familyWriterParams struct {
	WriterParams
	Truncate    bool     `json:"truncate"`
	CreateTable bool     `json:"createTable"`
	LoadData    string   `json:"loadData"`
	ConflictKey []string `json:"conflictKey"`
	ObWriteMode string   `json:"obWriteMode"`
	Host        string   `json:"host"`
	Port        int      `json:"port"`
	Database    string   `json:"database"`
	Schema      string   `json:"schema"`

	member familyMember
}

// ResolveDataSources fills the connection block from the data sources it
// names: any relational data source (a URL of the wrong engine for the
// member is then reported when the job is built).
func (p *familyReaderParams) ResolveDataSources(lookup job.DataSourceLookup) error {
	return p.UseDataSources(engineLookup(lookup, "", "reader"), "")
}

// ResolveDataSources fills the connection block from the data source it
// names, of any relational type (see familyReaderParams).
func (p *familyWriterParams) ResolveDataSources(lookup job.DataSourceLookup) error {
	return p.UseDataSources(engineLookup(lookup, "", "writer"), "")
}

// engineOf returns the engine the job's URLs speak: the member's, or for
// PolarDB the scheme of the first JDBC URL.
func engineOf(m familyMember, urls []string) datasource.Type {
	if m.engine != "" {
		return m.engine
	}
	for _, u := range urls {
		if strings.HasPrefix(u, "jdbc:postgresql://") {
			return datasource.PostgreSQL
		}
		return datasource.MySQL
	}
	return datasource.MySQL
}

// oceanBaseUser strips DataX's OceanBase prefix from url and, when it named
// a cluster and tenant, writes user as OceanBase's proxy wants it:
// user@tenant#cluster (a user already written so is kept).
func oceanBaseUser(url, user string) (string, string) {
	url, cluster, tenant := datasource.StripOceanBasePrefix(url)
	if tenant != "" && user != "" && !strings.Contains(user, "@") {
		user += "@" + tenant
		if cluster != "" {
			user += "#" + cluster
		}
	}
	return url, user
}

func newFamilySource(p *familyReaderParams) (datasync.Source, error) {
	var urls []string
	for i := range p.Connection {
		c := &p.Connection[i]
		for j := range c.JdbcURL {
			if c.fromSource {
				c.JdbcURL[j], c.username = oceanBaseUser(c.JdbcURL[j], c.username)
			} else {
				c.JdbcURL[j], p.Username = oceanBaseUser(c.JdbcURL[j], p.Username)
			}
			urls = append(urls, c.JdbcURL[j])
		}
	}
	if engineOf(p.member, urls) == datasource.PostgreSQL {
		var errs []error
		for _, s := range []struct {
			key string
			set bool
		}{{"minSplitRows", p.MinSplitRows != 0}, {"tinyIntAsBool", p.TinyIntAsBool}, {"zeroDate", p.ZeroDate != ""}} {
			if s.set {
				errs = append(errs, &job.ParamError{Path: s.key, Err: fmt.Errorf("a MySQL setting; %s here speaks PostgreSQL", p.member.service)})
			}
		}
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		splits := p.Splits
		if p.member.oneSplitNoKey && p.SplitPK == "" && splits == 0 {
			// Greenplum's physical blocks are per segment: block ranges
			// would read rows twice or not at all.
			splits = 1
		}
		return newPostgresSource(&postgresReaderParams{ReaderParams: p.ReaderParams, Consistent: p.Consistent, Splits: splits})
	}
	if p.Consistent {
		return nil, &job.ParamError{Path: "consistent", Err: fmt.Errorf("a PostgreSQL setting; %s here speaks MySQL", p.member.service)}
	}
	return newMySQLSource(&mysqlReaderParams{ReaderParams: p.ReaderParams, Splits: p.Splits, MinSplitRows: p.MinSplitRows,
		TinyIntAsBool: p.TinyIntAsBool, ZeroDate: p.ZeroDate})
}

func newFamilySink(p *familyWriterParams) (datasync.Sink, error) {
	t, err := translateFamilySink(p)
	if err != nil {
		return nil, err
	}
	if pg, ok := t.(*postgresWriterParams); ok {
		return newPostgresSink(pg)
	}
	return newMySQLSink(t.(*mysqlWriterParams))
}

// translateFamilySink returns the parameters of the writer p stands for:
// a *mysqlWriterParams or a *postgresWriterParams.
func translateFamilySink(p *familyWriterParams) (any, error) {
	var errs []error
	if p.Host != "" {
		// AnalyticDB for PostgreSQL's DataX writer: host, port, database
		// and schema in place of a connection block.
		if len(p.Connection) > 0 {
			errs = append(errs, &job.ParamError{Path: "host", Err: errors.New("give host, port and database, or connection, not both")})
		}
		port := p.Port
		if port == 0 {
			port = 5432
		}
		table := strings.Join(p.Table, "")
		if p.Schema != "" {
			table = p.Schema + "." + table
		}
		p.Connection = []WriterConnection{{JdbcURL: fmt.Sprintf("jdbc:postgresql://%s:%d/%s", p.Host, port, p.Database), Table: []string{table}}}
		p.Table = nil
	} else if p.Port != 0 || p.Database != "" || p.Schema != "" {
		errs = append(errs, &job.ParamError{Path: "host", Err: errors.New("port, database and schema go with host")})
	}
	var urls []string
	for i := range p.Connection {
		p.Connection[i].JdbcURL, p.Username = oceanBaseUser(p.Connection[i].JdbcURL, p.Username)
		urls = append(urls, p.Connection[i].JdbcURL)
	}
	if p.ObWriteMode != "" {
		if p.WriteMode != "" {
			errs = append(errs, &job.ParamError{Path: "obWriteMode", Err: errors.New("give writeMode or obWriteMode, not both")})
		}
		p.WriteMode = p.ObWriteMode // insert or update, as mysql's
	}
	if engineOf(p.member, urls) == datasource.PostgreSQL {
		for _, s := range []struct {
			key string
			set bool
		}{{"loadData", p.LoadData != ""}, {"obWriteMode", p.ObWriteMode != ""}} {
			if s.set {
				errs = append(errs, &job.ParamError{Path: s.key, Err: fmt.Errorf("a MySQL setting; %s here speaks PostgreSQL", p.member.service)})
			}
		}
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		return &postgresWriterParams{WriterParams: p.WriterParams, ConflictKey: p.ConflictKey, Truncate: p.Truncate, CreateTable: p.CreateTable}, nil
	}
	if len(p.ConflictKey) > 0 {
		errs = append(errs, &job.ParamError{Path: "conflictKey", Err: fmt.Errorf("a PostgreSQL setting; %s here speaks MySQL", p.member.service)})
	}
	loadData := p.LoadData
	if loadData == "" {
		loadData = string(p.member.loadData)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &mysqlWriterParams{WriterParams: p.WriterParams, Truncate: p.Truncate, CreateTable: p.CreateTable, LoadData: loadData}, nil
}

// registerFamily registers every family member's reader and writer, and
// its DataWorks stepType.
func registerFamily(r *job.Registry) {
	for _, m := range family {
		m := m
		r.Register(m.reader, job.Connector{Source: job.SourceFunc(func(p *familyReaderParams) (datasync.Source, error) {
			p.member = m
			return newFamilySource(p)
		}).Accepting(acceptedFor(m.reader, rdbmsReaderAccepted)...)})
		r.Register(m.writer, job.Connector{Sink: job.SinkFunc(func(p *familyWriterParams) (datasync.Sink, error) {
			p.member = m
			return newFamilySink(p)
		}).Accepting(acceptedFor(m.writer, rdbmsWriterAccepted)...)})
		r.RegisterStepType(string(m.stepType), m.reader, m.writer)
	}
}
