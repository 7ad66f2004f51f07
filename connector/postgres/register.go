package postgres

import (
	"errors"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector"
	"github.com/datasync-go/datasync/connector/internal/datax"
)

// dataxReaderParams is postgresqlreader's parameter object: DataX's, with
// datasync's own settings beside it. DataX's session has no PostgreSQL
// reader equivalent and is refused.
type dataxReaderParams struct {
	datax.ReaderParams
	Consistent bool `json:"consistent"`
	Splits     int  `json:"splits"`
}

// dataxWriterParams is postgresqlwriter's parameter object: DataX's, with
// datasync's own settings beside it. batchSize (rows per INSERT batch in
// DataX) is accepted and has no effect: rows go by binary COPY in the
// pipeline's batches (job.setting.batch).
type dataxWriterParams struct {
	datax.WriterParams
	ConflictKey        []string `json:"conflictKey"`
	Truncate           bool     `json:"truncate"`
	CreateTable        bool     `json:"createTable"`
	DisablePassThrough bool     `json:"disablePassThrough"`
}

// Importing the package registers "postgres" (taking SourceConfig and
// SinkConfig) and DataX's "postgresqlreader" and "postgresqlwriter" (taking
// DataX's connection blocks) for job files.
func init() {
	connector.Register("postgres", connector.Connector{
		Source: connector.SourceFunc(func(c *SourceConfig) (datasync.Source, error) { return NewSource(*c) }),
		Sink:   connector.SinkFunc(func(c *SinkConfig) (datasync.Sink, error) { return NewSink(*c) }),
	})
	connector.Register("postgresqlreader", connector.Connector{Source: connector.SourceFunc(newDataXSource)})
	connector.Register("postgresqlwriter", connector.Connector{Sink: connector.SinkFunc(newDataXSink)})
}

// newDataXSource reads every table (or query) of the connection block, as
// one source when there are several.
func newDataXSource(p *dataxReaderParams) (datasync.Source, error) {
	if len(p.Session) > 0 {
		return nil, &connector.ParamError{Path: "session", Err: errors.New("not supported by the PostgreSQL reader")}
	}
	return p.BuildSource("postgresql", func(e datax.ReaderSource) (datasync.Source, error) {
		return NewSource(SourceConfig{
			DSN:        e.URL.PostgresURL(p.Username, p.Password),
			Table:      e.Table,
			QuerySQL:   e.QuerySQL,
			Column:     datax.Columns(p.Column),
			Where:      p.Where,
			SplitPK:    p.SplitPK,
			FetchSize:  p.FetchSize,
			Consistent: p.Consistent,
			Splits:     p.Splits,
		})
	})
}

func newDataXSink(p *dataxWriterParams) (datasync.Sink, error) {
	if len(p.Session) > 0 {
		return nil, &connector.ParamError{Path: "session", Err: errors.New("not supported by the PostgreSQL writer")}
	}
	u, table, err := p.Target("postgresql")
	if err != nil {
		return nil, &connector.ParamError{Err: err}
	}
	return NewSink(SinkConfig{
		DSN:                u.PostgresURL(p.Username, p.Password),
		Table:              table,
		Column:             datax.Columns(p.Column),
		WriteMode:          WriteMode(p.WriteMode),
		ConflictKey:        p.ConflictKey,
		PreSQL:             p.PreSQL,
		PostSQL:            p.PostSQL,
		Truncate:           p.Truncate,
		CreateTable:        p.CreateTable,
		DisablePassThrough: p.DisablePassThrough,
	})
}
