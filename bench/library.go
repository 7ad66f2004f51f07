package main

import (
	"context"
	"io"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/bench/internal/dataset"
	"github.com/datasync-go/datasync/connector/file"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/connector/postgres"
	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/sink"
)

// LibraryFunc runs one library scenario: it builds the scenario's source and
// sink from p and moves the dataset with runPipeline. It runs in a child
// process of the harness (see child.go), so that the peak memory measured is
// the library's alone. The harness has emptied the target before the call
// and verifies it after; the function need not do either.
type LibraryFunc func(ctx context.Context, p Params) (datasync.Result, error)

// libraryScenarios is the extension point: scenario name -> how the library
// runs it. The scenarios, their native tools, the emptying of targets and the
// verification are in scenarios.go and need no change; a scenario listed
// there without an entry here shows "not wired yet" on its library rows while
// its native tools still run.
//
// To wire a connector scenario, add one entry, for example pg->pg:
//
//	"pg->pg": func(ctx context.Context, p Params) (datasync.Result, error) {
//		src := postgres.NewSource(postgres.SourceConfig{DSN: p.PostgresSource, Table: p.Table})
//		dst := postgres.NewSink(postgres.SinkConfig{DSN: p.PostgresTarget, Table: p.Table, WriteMode: "insert"})
//		return runPipeline(ctx, p, src, dst)
//	},
//
// (check each constructor's error if it returns one). The other names are
// mysql->pg, pg->mysql, mysql->mysql (MySQLSource, MySQLTarget), pg->csv,
// mysql->csv (file.NewSink with CSVTargetDir and CSVTargetName), csv->pg and
// csv->mysql (file.NewSource with CSVSource); bench/README.md lists them all.
var libraryScenarios = map[string]LibraryFunc{
	"memory->discard": memoryToDiscard,
	"pg->pg":          library(postgresSource, postgresSink),
	"mysql->pg":       library(mysqlSource, postgresSink),
	"pg->mysql":       library(postgresSource, mysqlSink),
	"mysql->mysql":    library(mysqlSource, mysqlSink),
	"pg->csv":         library(postgresSource, csvSink),
	"csv->pg":         library(csvSource, postgresSink),
	"mysql->csv":      library(mysqlSource, csvSink),
	"csv->mysql":      library(csvSource, mysqlSink),
}

// library returns the LibraryFunc that moves the dataset from the source
// newSource builds to the sink newSink builds.
func library(newSource func(Params) (datasync.Source, error), newSink func(Params) (datasync.Sink, error)) LibraryFunc {
	return func(ctx context.Context, p Params) (datasync.Result, error) {
		return runWith(ctx, p, newSource, newSink)
	}
}

// runWith builds a scenario's source and sink with the given constructors and
// moves the dataset, closing both after.
func runWith(ctx context.Context, p Params, newSource func(Params) (datasync.Source, error), newSink func(Params) (datasync.Sink, error)) (datasync.Result, error) {
	src, err := newSource(p)
	if err != nil {
		return datasync.Result{}, err
	}
	defer closeIfCloser(src)
	dst, err := newSink(p)
	if err != nil {
		return datasync.Result{}, err
	}
	defer closeIfCloser(dst)
	return runPipeline(ctx, p, src, dst)
}

func closeIfCloser(v any) {
	if c, ok := v.(io.Closer); ok {
		_ = c.Close()
	}
}

func postgresSource(p Params) (datasync.Source, error) {
	return postgres.NewSource(postgres.SourceConfig{DSN: p.PostgresSource, Table: p.Table})
}

func postgresSink(p Params) (datasync.Sink, error) {
	return postgres.NewSink(postgres.SinkConfig{DSN: p.PostgresTarget, Table: p.Table})
}

func mysqlSource(p Params) (datasync.Source, error) {
	return mysql.NewSource(mysql.SourceConfig{DSN: p.MySQLSource, Table: p.Table})
}

func mysqlSink(p Params) (datasync.Sink, error) {
	return mysql.NewSink(mysql.SinkConfig{DSN: p.MySQLTarget, Table: p.Table})
}

// csvSource reads the dataset's CSV file: a header line, NULL as an empty
// unquoted field.
func csvSource(p Params) (datasync.Source, error) {
	null := ""
	var columns []text.ColumnSpec
	for _, c := range dataset.Schema() {
		columns = append(columns, text.ColumnNamed(c.Name, c.Kind))
	}
	return file.NewSource(file.SourceConfig{
		Path: []string{p.CSVSource},
		ReadOptions: text.ReadOptions{
			Format:     text.Format{NullText: &null},
			SkipHeader: true,
			Column:     columns,
		},
	})
}

// csvSink writes CSV files with a header line into the target directory.
func csvSink(p Params) (datasync.Sink, error) {
	return file.NewSink(file.SinkConfig{
		Path:         p.CSVTargetDir,
		FileName:     p.CSVTargetName,
		WriteMode:    text.WriteTruncate,
		WriteOptions: text.WriteOptions{WriteHeader: true},
	})
}

// Params is what a library scenario is given. Every field is set for every
// scenario; each uses those of its own source and target.
type Params struct {
	Scenario    string `json:"scenario"`
	Parallelism int    `json:"parallelism"` // for datasync.WithParallelism: 1 or 4 (-parallelism)
	Rows        int64  `json:"rows"`        // rows in the dataset
	Seed        uint64 `json:"seed"`        // the dataset's seed
	Table       string `json:"table"`       // the table's name in every database: "bench"

	PostgresSource string `json:"postgres_source"` // pgx DSN of the database holding the source table
	PostgresTarget string `json:"postgres_target"` // pgx DSN of the database holding the (emptied) target table
	MySQLSource    string `json:"mysql_source"`    // go-sql-driver DSN of the source database
	MySQLTarget    string `json:"mysql_target"`    // go-sql-driver DSN of the target database

	CSVSource     string `json:"csv_source"`      // path of the dataset as a CSV file (see bench/README.md for its dialect)
	CSVTargetDir  string `json:"csv_target_dir"`  // empty directory a CSV target writes into; every file in it is verified
	CSVTargetName string `json:"csv_target_name"` // a file name (or prefix) to write there: "bench"

	RedisAddr string `json:"redis_addr"` // "host:port" of the Redis server
	RedisDB   int    `json:"redis_db"`   // the (emptied) database to write

	// Profile is a directory where the run writes its CPU and allocation
	// profiles (-profile), "" for none.
	Profile string `json:"profile,omitempty"`
	// Run is the run's index (1-based), to name its profiles.
	Run int `json:"run,omitempty"`
}

// runPipeline runs src -> dst at p's parallelism with the library's defaults
// otherwise, as a user would.
func runPipeline(ctx context.Context, p Params, src datasync.Source, dst datasync.Sink) (datasync.Result, error) {
	pl, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(p.Parallelism))
	if err != nil {
		return datasync.Result{}, err
	}
	return pl.Run(ctx)
}

// memoryToDiscard generates the dataset in memory and drops it: the cost of
// the pipeline itself, with no I/O. The harness checks its count and bytes.
func memoryToDiscard(ctx context.Context, p Params) (datasync.Result, error) {
	g := dataset.New(dataset.Spec{Rows: p.Rows, Seed: p.Seed})
	return runPipeline(ctx, p, g.Source(), sink.Discard())
}
