package datax

import (
	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/job"
)

// mysqlReaderParams is mysqlreader's parameter object: DataX's, with
// datasync's own settings beside it.
type mysqlReaderParams struct {
	ReaderParams
	Splits        int    `json:"splits"`
	MinSplitRows  int64  `json:"minSplitRows"`
	TinyIntAsBool bool   `json:"tinyIntAsBool"`
	ZeroDate      string `json:"zeroDate"`
}

// mysqlWriterParams is mysqlwriter's parameter object: DataX's, with
// datasync's own settings beside it.
type mysqlWriterParams struct {
	WriterParams
	Truncate    bool   `json:"truncate"`
	CreateTable bool   `json:"createTable"`
	LoadData    string `json:"loadData"`
}

// registerMySQL registers DataX's "mysqlreader" and "mysqlwriter", which
// take DataX's connection blocks.
func registerMySQL(r *job.Registry) {
	r.Register("mysqlreader", job.Connector{Source: job.SourceFunc(newMySQLSource)})
	r.Register("mysqlwriter", job.Connector{Sink: job.SinkFunc(newMySQLSink)})
}

// newMySQLSource reads every table (or query) of the connection block, as
// one source when there are several.
func newMySQLSource(p *mysqlReaderParams) (datasync.Source, error) {
	return p.BuildSource("mysql", func(e ReaderSource) (datasync.Source, error) {
		return mysql.NewSource(mysql.SourceConfig{
			DSN:           e.URL.MySQLDSN(p.Username, p.Password),
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
		})
	})
}

func newMySQLSink(p *mysqlWriterParams) (datasync.Sink, error) {
	u, table, err := p.Target("mysql")
	if err != nil {
		return nil, &job.ParamError{Err: err}
	}
	return mysql.NewSink(mysql.SinkConfig{
		DSN:         u.MySQLDSN(p.Username, p.Password),
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
	})
}
