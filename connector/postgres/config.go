package postgres

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/datasync-go/datasync"
)

// SourceConfig configures a Source. JSON names are DataX's where DataX has
// the parameter (postgresqlreader), so a DataX job maps over.
//
// Give DSN or Pool, and Table or QuerySQL.
type SourceConfig struct {
	// DSN is a PostgreSQL connection string, as a URL
	// (postgres://user:password@host:5432/db?sslmode=disable) or as
	// key=value pairs. The Source opens its own pool from it, closed by
	// Source.Close. Errors never show it: it may hold a password. Its
	// secrets (password, sslpassword) are masked wherever the config is
	// shown (String, %#v, slog, JSON).
	DSN string `json:"dsn,omitempty" datasync:"secret"`
	// Pool is a pool the caller owns, used instead of DSN. The Source never
	// closes it and never changes its connections' settings. Its readers
	// take a connection for each read (and keep one in consistent mode, or
	// for a query), so a pool shared with the Sink needs more connections
	// than the job's parallelism.
	Pool *pgxpool.Pool `json:"-"`

	// Table is the table (or view) to read: name, schema.name, or with
	// double-quoted parts for names that need them ("Sales"."Order Lines").
	// An unquoted name is folded to lower case, as PostgreSQL does; when
	// no such table exists, the name as written is tried too.
	Table string `json:"table,omitempty"`
	// Column lists what to read, in order: column names, or SQL
	// expressions and constants as DataX allows (upper(name), 'x', 1).
	// Empty or ["*"] reads every column in table order.
	Column []string `json:"column,omitempty"`
	// Where is an SQL condition the rows must meet, without the WHERE.
	Where string `json:"where,omitempty"`
	// QuerySQL is an arbitrary query to read instead of Table, as one
	// split (it cannot be divided). It is read as one stream; a retried
	// split skips the rows it already delivered, so the query should
	// give its rows in a stable order (ORDER BY a unique key).
	QuerySQL string `json:"querySql,omitempty"`
	// SplitPK names the column (or comma-separated columns) whose ranges
	// divide the table into splits and that orders the rows inside a split.
	// Default: the primary key; a table without one is divided by physical
	// blocks. A column that is not unique works, at some cost (see the
	// package doc).
	SplitPK string `json:"splitPk,omitempty"`
	// FetchSize bounds the rows of each page read from the server
	// (default 10,000; a page never holds more than the batch has room
	// for).
	FetchSize int `json:"fetchSize,omitempty"`
	// Consistent makes every split read one snapshot exported when the
	// source is planned, so that the copy is of a single point in time
	// even while the table changes. The snapshot lives until Close.
	Consistent bool `json:"consistent,omitempty"`
	// Splits, when above 0, is the number of key ranges to plan instead of
	// four per unit of parallelism.
	Splits int `json:"splits,omitempty"`
	// Incremental, when its Column is set, makes the source incremental
	// (see datasync.Incremental and state.RunIncremental): it is read
	// whole by itself, and past the last run's mark through Since.
	Incremental datasync.Incremental `json:"incremental,omitzero"`
}

// WriteMode is how a Sink writes rows (see SinkConfig.WriteMode).
type WriteMode string

// The write modes.
const (
	// WriteInsert loads rows with binary COPY; a row that breaks a unique
	// constraint is rejected as dirty data.
	WriteInsert WriteMode = "insert"
	// WriteUpsert loads rows into a temporary staging table with binary COPY,
	// then inserts them, updating the rows whose conflict key already
	// exists (INSERT .. ON CONFLICT .. DO UPDATE).
	WriteUpsert WriteMode = "upsert"
)

// SinkConfig configures a Sink. JSON names are DataX's where DataX has the
// parameter (postgresqlwriter).
//
// Give DSN or Pool, and Table.
type SinkConfig struct {
	// DSN is a PostgreSQL connection string (see SourceConfig.DSN).
	DSN string `json:"dsn,omitempty" datasync:"secret"`
	// Pool is a pool the caller owns, used instead of DSN; never closed by
	// the Sink. Each writer keeps a connection while it writes its split,
	// and sets only transaction-local settings on it.
	Pool *pgxpool.Pool `json:"-"`

	// Table is the target table, named as in SourceConfig.Table.
	Table string `json:"table"`
	// Column names the target columns that receive the source's columns,
	// in the order of the source's columns. Empty: the source's column
	// names. ["*"]: every column of the table, in table order.
	Column []string `json:"column,omitempty"`
	// WriteMode is WriteInsert (the default) or WriteUpsert.
	WriteMode WriteMode `json:"writeMode,omitempty"`
	// ConflictKey names the columns of the unique constraint an upsert
	// checks (default: the primary key).
	ConflictKey []string `json:"conflictKey,omitempty"`
	// PreSQL statements run once per job, before any row is written; PostSQL
	// ones once after every split succeeded. "@table" in them is replaced
	// by Table as configured.
	PreSQL  []string `json:"preSql,omitempty"`
	PostSQL []string `json:"postSql,omitempty"`
	// Truncate empties the table once per job, before any row is written.
	Truncate bool `json:"truncate,omitempty"`
	// AtomicRefresh replaces the table's rows as one atomic step: the job
	// loads a staging table made LIKE the table (INCLUDING ALL), and once
	// every split succeeded swaps it in by renames in one transaction, so
	// that readers see the old rows or the new ones, never a half-loaded
	// table; a failed job drops the staging table and leaves the table as it
	// was. See the package doc ("Atomic refresh") for what is carried over.
	// It cannot be combined with Truncate.
	AtomicRefresh bool `json:"atomicRefresh,omitempty"`
	// CreateTable creates the table from the source's schema when it does
	// not exist (see the package doc for the types chosen).
	CreateTable bool `json:"createTable,omitempty"`
	// DisablePassThrough turns off the pass-through of binary COPY rows
	// from a PostgreSQL source with the same column types: every value is
	// then decoded and encoded again.
	DisablePassThrough bool `json:"disablePassThrough,omitempty"`
	// ProgressTable turns exactly-once on (see the package doc): each
	// flush commits the rows and the split's checkpoint in one
	// transaction, the checkpoint going to this table of the target
	// database (created by Prepare when missing; "default" means
	// DefaultProgressTable in the current schema). Empty: at-least-once.
	ProgressTable string `json:"progressTable,omitempty"`
	// ProgressJob is the job's identity in the progress table (default:
	// Table as configured). Two jobs that write one table and share a
	// progress table need different ones.
	ProgressJob string `json:"progressJob,omitempty"`
	// Logger receives the sink's notices, such as creating the table or
	// merging upserts without ON CONFLICT on a server before 9.5; nil
	// discards them.
	Logger *slog.Logger `json:"-"`
}

// defaultFetchSize bounds a page when FetchSize is 0.
const defaultFetchSize = 10_000

func (c *SourceConfig) validate() (tbl name, cols []columnRef, key []columnRef, err error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if (c.DSN == "") == (c.Pool == nil) {
		bad("give DSN or Pool (exactly one)")
	}
	switch {
	case c.QuerySQL != "" && (c.Table != "" || len(c.Column) > 0 || c.Where != "" || c.SplitPK != ""):
		bad("querySql reads a query as it is: give it without table, column, where and splitPk")
	case c.QuerySQL == "" && strings.TrimSpace(c.Table) == "":
		bad("give table or querySql")
	case c.QuerySQL == "":
		if tbl, err = parseName(c.Table); err != nil {
			bad("table %q: %v", c.Table, err)
		}
	}
	if c.FetchSize < 0 {
		bad("fetchSize %d is negative", c.FetchSize)
	}
	if c.Incremental.Column != "" && c.QuerySQL != "" {
		bad("incremental reads a table past a mark: it cannot be combined with querySql")
	}
	if c.Splits < 0 {
		bad("splits %d is negative", c.Splits)
	}
	if !(len(c.Column) == 1 && strings.TrimSpace(c.Column[0]) == "*") {
		for i, s := range c.Column {
			ref, err := parseColumnRef(s)
			if err != nil {
				bad("column[%d]: %v", i, err)
				continue
			}
			cols = append(cols, ref)
		}
	}
	if c.SplitPK != "" {
		for part := range strings.SplitSeq(c.SplitPK, ",") {
			ref, err := parseColumnRef(part)
			if err == nil && ref.ident == nil {
				err = errors.New("not a column name")
			}
			if err != nil {
				bad("splitPk %q: %v", c.SplitPK, err)
				break
			}
			key = append(key, ref)
		}
	}
	if len(errs) > 0 {
		return tbl, nil, nil, fmt.Errorf("postgres: invalid source config: %w", errors.Join(errs...))
	}
	return tbl, cols, key, nil
}

// sinkSettings is a validated SinkConfig.
type sinkSettings struct {
	table       name
	columns     []columnRef // nil: by the source's names; see allColumns
	allColumns  bool        // ["*"]
	mode        WriteMode
	conflictKey []columnRef
}

func (c *SinkConfig) validate() (sinkSettings, error) {
	var s sinkSettings
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if (c.DSN == "") == (c.Pool == nil) {
		bad("give DSN or Pool (exactly one)")
	}
	var err error
	if strings.TrimSpace(c.Table) == "" {
		bad("give table")
	} else if s.table, err = parseName(c.Table); err != nil {
		bad("table %q: %v", c.Table, err)
	}
	if len(c.Column) == 1 && strings.TrimSpace(c.Column[0]) == "*" {
		s.allColumns = true
	} else {
		for i, col := range c.Column {
			ref, err := parseColumnRef(col)
			if err == nil && ref.ident == nil {
				err = errors.New("not a column name")
			}
			if err != nil {
				bad("column[%d] %q: %v", i, col, err)
				continue
			}
			s.columns = append(s.columns, ref)
		}
	}
	mode, err := parseWriteMode(c.WriteMode)
	if err != nil {
		bad("%v", err)
	}
	s.mode = mode
	keyText := c.ConflictKey
	if len(keyText) > 0 && mode != WriteUpsert {
		bad("conflictKey is for writeMode upsert, not %s", mode)
	}
	for _, k := range keyText {
		ref, err := parseColumnRef(k)
		if err == nil && ref.ident == nil {
			err = errors.New("not a column name")
		}
		if err != nil {
			bad("conflictKey %q: %v", k, err)
			continue
		}
		s.conflictKey = append(s.conflictKey, ref)
	}
	if c.AtomicRefresh && c.Truncate {
		bad("atomicRefresh loads an empty staging table: truncate has nothing to do beside it")
	}
	for i, q := range c.PreSQL {
		if strings.TrimSpace(q) == "" {
			bad("preSql[%d] is empty", i)
		}
	}
	for i, q := range c.PostSQL {
		if strings.TrimSpace(q) == "" {
			bad("postSql[%d] is empty", i)
		}
	}
	if _, err := c.progressSettings(); err != nil {
		bad("%v", err)
	}
	if len(errs) > 0 {
		return s, fmt.Errorf("postgres: invalid sink config: %w", errors.Join(errs...))
	}
	return s, nil
}

// parseWriteMode reads a write mode, in any case: "" is WriteInsert.
func parseWriteMode(m WriteMode) (WriteMode, error) {
	switch WriteMode(strings.ToLower(strings.TrimSpace(string(m)))) {
	case "", WriteInsert:
		return WriteInsert, nil
	case WriteUpsert:
		return WriteUpsert, nil
	}
	return "", fmt.Errorf("writeMode %q: want insert or upsert", m)
}
