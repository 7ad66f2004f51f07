package mysql

import (
	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector"
	"github.com/datasync-go/datasync/connector/internal/datax"
)

// dataxReaderParams is mysqlreader's parameter object: DataX's, with
// datasync's own settings beside it.
type dataxReaderParams struct {
	datax.ReaderParams
	Splits        int    `json:"splits"`
	MinSplitRows  int64  `json:"minSplitRows"`
	TinyIntAsBool bool   `json:"tinyIntAsBool"`
	ZeroDate      string `json:"zeroDate"`
}

// dataxWriterParams is mysqlwriter's parameter object: DataX's, with
// datasync's own settings beside it.
type dataxWriterParams struct {
	datax.WriterParams
	Truncate    bool   `json:"truncate"`
	CreateTable bool   `json:"createTable"`
	LoadData    string `json:"loadData"`
}

// Importing the package registers "mysql" (taking SourceConfig and
// SinkConfig) and DataX's "mysqlreader" and "mysqlwriter" (taking DataX's
// connection blocks) for job files.
func init() {
	connector.Register("mysql", connector.Connector{
		Source: connector.SourceFunc(func(c *SourceConfig) (datasync.Source, error) { return NewSource(*c) }),
		Sink:   connector.SinkFunc(func(c *SinkConfig) (datasync.Sink, error) { return NewSink(*c) }),
	})
	connector.Register("mysqlreader", connector.Connector{Source: connector.SourceFunc(newDataXSource)})
	connector.Register("mysqlwriter", connector.Connector{Sink: connector.SinkFunc(newDataXSink)})
}

// newDataXSource reads every table (or query) of the connection block, as
// one source when there are several.
func newDataXSource(p *dataxReaderParams) (datasync.Source, error) {
	return p.BuildSource("mysql", func(e datax.ReaderSource) (datasync.Source, error) {
		dsn, tlsConfig := e.URL.MySQLDSN(p.Username, p.Password)
		return NewSource(SourceConfig{
			DSN:           dsn,
			TLS:           tlsConfig,
			Table:         e.Table,
			QuerySQL:      e.QuerySQL,
			Column:        datax.Columns(p.Column),
			Where:         p.Where,
			SplitPK:       p.SplitPK,
			FetchSize:     p.FetchSize,
			Session:       p.Session,
			Splits:        p.Splits,
			MinSplitRows:  p.MinSplitRows,
			TinyIntAsBool: p.TinyIntAsBool,
			ZeroDate:      p.ZeroDate,
		})
	})
}

func newDataXSink(p *dataxWriterParams) (datasync.Sink, error) {
	u, table, err := p.Target("mysql")
	if err != nil {
		return nil, &connector.ParamError{Err: err}
	}
	dsn, tlsConfig := u.MySQLDSN(p.Username, p.Password)
	return NewSink(SinkConfig{
		DSN:         dsn,
		TLS:         tlsConfig,
		Table:       table,
		Column:      datax.Columns(p.Column),
		WriteMode:   p.WriteMode,
		PreSQL:      p.PreSQL,
		PostSQL:     p.PostSQL,
		Session:     p.Session,
		BatchSize:   p.BatchSize,
		Truncate:    p.Truncate,
		CreateTable: p.CreateTable,
		LoadData:    p.LoadData,
	})
}
