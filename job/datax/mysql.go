package datax

import (
	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datasource"
)

// mysqlReaderParams is mysqlreader's parameter object: DataX's, with
// datasync's own settings beside it.
type mysqlReaderParams struct {
	ReaderParams
	IncrementalParams
	Splits        int    `json:"splits"`
	MinSplitRows  int64  `json:"minSplitRows"`
	TinyIntAsBool bool   `json:"tinyIntAsBool"`
	ZeroDate      string `json:"zeroDate"`
}

// mysqlWriterParams is mysqlwriter's parameter object: DataX's, with
// datasync's own settings beside it.
type mysqlWriterParams struct {
	WriterParams
	AtomicRefreshParams
	Truncate    bool   `json:"truncate"`
	CreateTable bool   `json:"createTable"`
	LoadData    string `json:"loadData"`
	// ProgressTable and ProgressJob turn exactly-once on (see
	// mysql.SinkConfig).
	ProgressTable string `json:"progressTable"`
	ProgressJob   string `json:"progressJob"`
}

// ResolveDataSources fills the connection block from the MySQL data
// sources it names (see ReaderParams.UseDataSources).
func (p *mysqlReaderParams) ResolveDataSources(lookup job.DataSourceLookup) error {
	return p.UseDataSources(lookup, datasource.MySQL)
}

// ResolveDataSources fills the connection block from the MySQL data source
// it names (see WriterParams.UseDataSources).
func (p *mysqlWriterParams) ResolveDataSources(lookup job.DataSourceLookup) error {
	return p.UseDataSources(lookup, datasource.MySQL)
}

// registerMySQL registers DataX's "mysqlreader" and "mysqlwriter", which
// take DataX's connection blocks.
func registerMySQL(r *job.Registry) {
	r.Register("mysqlreader", job.Connector{Source: job.SourceFunc(newMySQLSource).Accepting(acceptedFor("mysqlreader", rdbmsReaderAccepted)...)})
	r.Register("mysqlwriter", job.Connector{Sink: job.SinkFunc(newMySQLSink).Accepting(acceptedFor("mysqlwriter", rdbmsWriterAccepted)...)})
}

// newMySQLSource reads every table (or query) of the connection block, as
// one source when there are several.
func newMySQLSource(p *mysqlReaderParams) (datasync.Source, error) {
	inc, err := p.Incremental()
	if err != nil {
		return nil, err
	}
	return p.BuildSource("mysql", func(e ReaderSource) (datasync.Source, error) {
		dsn, tlsConfig := e.URL.MySQLDSN(e.Username, e.Password)
		return mysql.NewSource(mysql.SourceConfig{
			DSN:           dsn,
			TLS:           tlsConfig,
			Table:         e.Table,
			QuerySQL:      e.QuerySQL,
			Column:        Columns(p.Column),
			Where:         p.Where,
			SplitPK:       p.SplitPK,
			FetchSize:     p.FetchSize,
			Session:       p.Session,
			Splits:        p.Splits,
			MinSplitRows:  p.MinSplitRows,
			TinyIntAsBool: p.TinyIntAsBool,
			ZeroDate:      mysql.ZeroDate(p.ZeroDate),
			Incremental:   inc,
		})
	})
}

func newMySQLSink(p *mysqlWriterParams) (datasync.Sink, error) {
	cfg, err := p.sinkConfig()
	if err != nil {
		return nil, err
	}
	return mysql.NewSink(cfg)
}

// sinkConfig is the mysql sink's config the parameters translate to.
func (p *mysqlWriterParams) sinkConfig() (mysql.SinkConfig, error) {
	u, table, err := p.Target("mysql")
	if err != nil {
		return mysql.SinkConfig{}, err
	}
	dsn, tlsConfig := u.MySQLDSN(p.Username, p.Password)
	return mysql.SinkConfig{
		DSN:         dsn,
		TLS:         tlsConfig,
		Table:       table,
		Column:      Columns(p.Column),
		WriteMode:   mysql.WriteMode(p.WriteMode),
		PreSQL:      p.PreSQL,
		PostSQL:     p.PostSQL,
		Session:     p.Session,
		BatchSize:   p.BatchSize,
		Truncate:    p.Truncate,
		CreateTable: p.CreateTable,
		LoadData:    mysql.LoadData(p.LoadData),

		ProgressTable: p.ProgressTable,
		ProgressJob:   p.ProgressJob,
		AtomicRefresh: p.AtomicRefresh,
	}, nil
}
