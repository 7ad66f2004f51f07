package datax

import (
	"errors"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/postgres"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datasource"
)

// postgresReaderParams is postgresqlreader's parameter object: DataX's, with
// datasync's own settings beside it. DataX's session has no PostgreSQL
// reader equivalent and is refused.
type postgresReaderParams struct {
	ReaderParams
	IncrementalParams
	Consistent bool `json:"consistent"`
	Splits     int  `json:"splits"`
}

// postgresWriterParams is postgresqlwriter's parameter object: DataX's, with
// datasync's own settings beside it. batchSize (rows per INSERT batch in
// DataX) is accepted and has no effect: rows go by binary COPY in the
// pipeline's batches (job.setting.batch).
type postgresWriterParams struct {
	WriterParams
	AtomicRefreshParams
	ConflictKey        []string `json:"conflictKey"`
	Truncate           bool     `json:"truncate"`
	CreateTable        bool     `json:"createTable"`
	DisablePassThrough bool     `json:"disablePassThrough"`
	// ProgressTable and ProgressJob turn exactly-once on (see
	// postgres.SinkConfig).
	ProgressTable string `json:"progressTable"`
	ProgressJob   string `json:"progressJob"`
}

// ResolveDataSources fills the connection block from the PostgreSQL data
// sources it names (see ReaderParams.UseDataSources).
func (p *postgresReaderParams) ResolveDataSources(lookup job.DataSourceLookup) error {
	return p.UseDataSources(lookup, datasource.PostgreSQL)
}

// ResolveDataSources fills the connection block from the PostgreSQL data
// source it names (see WriterParams.UseDataSources).
func (p *postgresWriterParams) ResolveDataSources(lookup job.DataSourceLookup) error {
	return p.UseDataSources(lookup, datasource.PostgreSQL)
}

// registerPostgres registers DataX's "postgresqlreader" and
// "postgresqlwriter", which take DataX's connection blocks.
func registerPostgres(r *job.Registry) {
	r.Register("postgresqlreader", job.Connector{Source: job.SourceFunc(newPostgresSource).Accepting(acceptedFor("postgresqlreader", rdbmsReaderAccepted)...)})
	r.Register("postgresqlwriter", job.Connector{Sink: job.SinkFunc(newPostgresSink).Accepting(acceptedFor("postgresqlwriter", rdbmsWriterAccepted)...)})
}

// newPostgresSource reads every table (or query) of the connection block, as
// one source when there are several.
func newPostgresSource(p *postgresReaderParams) (datasync.Source, error) {
	if len(p.Session) > 0 {
		return nil, &job.ParamError{Path: "session", Err: errors.New("not supported by the PostgreSQL reader")}
	}
	inc, err := p.Incremental()
	if err != nil {
		return nil, err
	}
	return p.BuildSource("postgresql", func(e ReaderSource) (datasync.Source, error) {
		return postgres.NewSource(postgres.SourceConfig{
			DSN:        e.URL.PostgresURL(e.Username, e.Password),
			Table:      e.Table,
			QuerySQL:   e.QuerySQL,
			Column:     Columns(p.Column),
			Where:      p.Where,
			SplitPK:    p.SplitPK,
			FetchSize:  p.FetchSize,
			Consistent: p.Consistent,
			Splits:     p.Splits,

			Incremental: inc,
		})
	})
}

func newPostgresSink(p *postgresWriterParams) (datasync.Sink, error) {
	if len(p.Session) > 0 {
		return nil, &job.ParamError{Path: "session", Err: errors.New("not supported by the PostgreSQL writer")}
	}
	u, table, err := p.Target("postgresql")
	if err != nil {
		return nil, err
	}
	mode, conflictKey, err := postgresWriteMode(p.WriteMode, p.ConflictKey)
	if err != nil {
		return nil, err
	}
	return postgres.NewSink(postgres.SinkConfig{
		DSN:                u.PostgresURL(p.Username, p.Password),
		Table:              table,
		Column:             Columns(p.Column),
		WriteMode:          mode,
		ConflictKey:        conflictKey,
		PreSQL:             p.PreSQL,
		PostSQL:            p.PostSQL,
		Truncate:           p.Truncate,
		CreateTable:        p.CreateTable,
		DisablePassThrough: p.DisablePassThrough,
		ProgressTable:      p.ProgressTable,
		ProgressJob:        p.ProgressJob,

		AtomicRefresh: p.AtomicRefresh,
	})
}
