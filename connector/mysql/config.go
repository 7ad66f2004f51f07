package mysql

import (
	"crypto/tls"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/datasync-go/datasync"
)

// SourceConfig configures a Source. The JSON names are DataX mysqlreader's
// where DataX has the parameter, so a DataX job maps over.
//
// Exactly one of DSN and DB is set, and exactly one of Table and QuerySQL.
type SourceConfig struct {
	// DSN is a go-sql-driver/mysql data source name,
	// "user:password@tcp(host:3306)/db?param=value". The source opens its
	// own pool from it and closes it in Close. Some parameters are forced,
	// because exactness depends on them: parseTime=false,
	// allowAllFiles=false, multiStatements=false, columnsWithAlias=false,
	// charset utf8mb4, maxAllowedPacket from the server. The password is
	// masked wherever the config is shown (String, %#v, slog, JSON).
	DSN string `json:"dsn,omitempty" datasync:"secret"`
	// TLS, when set, is the TLS configuration of the connections made from
	// DSN, in place of the one its tls parameter names (which must then not
	// be false; with tls=preferred or allowFallbackToPlaintext=true a server
	// without TLS is still used in plaintext). It gives a CA of one's own, a
	// chain-only check (VERIFY_CA) or protocol limits without registering a
	// configuration with the driver; DataX's mysqlreader and mysqlwriter set
	// it from the TLS settings of the JDBC URL. It cannot be used with DB.
	TLS *tls.Config `json:"-"`
	// DB is a pool the caller owns, used instead of DSN and never closed by
	// the source. Session settings the source needs (time zone, character
	// set, sql_mode) are set on the connections it takes and put back before
	// they return to the pool; a connection on which Session statements ran
	// is closed instead, since they cannot be undone in general.
	DB *sql.DB `json:"-"`

	// Table is the table to read, optionally qualified as "db.table".
	Table string `json:"table,omitempty"`
	// Column lists the columns to read, in order; empty or ["*"] reads every
	// column in table order. Names are matched exactly, then without regard
	// to case. Not allowed with QuerySQL.
	Column []string `json:"column,omitempty"`
	// Where is an SQL condition added to every query on Table, as DataX's
	// where.
	Where string `json:"where,omitempty"`
	// QuerySQL is a SELECT to read instead of a table. It is read as one
	// split, streamed, and cannot resume from a checkpoint: a failure
	// restarts nothing and fails the split (see the package doc).
	QuerySQL string `json:"querySql,omitempty"`
	// SplitPK is the column (or comma-separated columns) to divide the table
	// by; the default is the primary key (or the first unique key whose
	// columns are NOT NULL). It need not be unique or NOT NULL: rows whose
	// key is NULL form a split of their own.
	SplitPK string `json:"splitPk,omitempty"`
	// Splits is the number of splits wanted; 0 plans about four per unit of
	// the pipeline's parallelism, with no split under MinSplitRows estimated
	// rows. Empty and small tables get one split.
	Splits int `json:"splits,omitempty"`
	// Incremental, when its Column is set, makes the source incremental
	// (see datasync.Incremental and state.RunIncremental): it is read
	// whole by itself, and past the last run's mark through Since.
	Incremental datasync.Incremental `json:"incremental,omitzero"`
	// MinSplitRows is the smallest number of rows (by the server's estimate)
	// worth a split of its own when Splits is 0; default 20,000.
	MinSplitRows int64 `json:"minSplitRows,omitempty"`
	// FetchSize bounds the rows of each keyset page the reader asks for;
	// 0 lets the batch's free room decide. Pages are always read to their
	// end before Read returns, so no server-side stream is left waiting on
	// a slow writer.
	FetchSize int `json:"fetchSize,omitempty"`
	// Session lists SQL statements run on every connection the source uses,
	// after its own settings, such as "SET SESSION max_execution_time = 0".
	// The settings exactness depends on are made again after them, so a
	// time_zone set here does not shift TIMESTAMP values, and applies only to
	// the Session statements after it: the reader's queries run in UTC (see
	// "Sessions" in the package doc).
	Session []string `json:"session,omitempty"`
	// TinyIntAsBool reads tinyint(1) columns as Bool rather than Int; a
	// value other than 0 and 1 is then a dirty row, never a guess.
	TinyIntAsBool bool `json:"tinyIntAsBool,omitempty"`
	// ZeroDate says what becomes of dates MySQL stores but the calendar does
	// not have ("0000-00-00", "2024-00-10", and "2024-02-30" under
	// ALLOW_INVALID_DATES): ZeroDateNull (the default) reads NULL,
	// ZeroDateDirty makes the row dirty data.
	ZeroDate ZeroDate `json:"zeroDate,omitempty"`
}

// SinkConfig configures a Sink. The JSON names are DataX mysqlwriter's where
// DataX has the parameter.
//
// Exactly one of DSN and DB is set.
type SinkConfig struct {
	// DSN is a go-sql-driver/mysql data source name (see SourceConfig.DSN
	// for the parameters that are forced, and how it is shown).
	DSN string `json:"dsn,omitempty" datasync:"secret"`
	// TLS is as in SourceConfig.
	TLS *tls.Config `json:"-"`
	// DB is a pool the caller owns, used instead of DSN and never closed by
	// the sink (see SourceConfig.DB for how its sessions are treated).
	DB *sql.DB `json:"-"`

	// Table is the table to write, optionally qualified as "db.table".
	Table string `json:"table"`
	// Column lists the target columns, matched by position to the source's
	// columns. Empty matches the source's column names to the table's;
	// ["*"] means every writable column of the table in order.
	Column []string `json:"column,omitempty"`
	// WriteMode is WriteInsert (the default; a duplicate key is a dirty
	// row), WriteReplace (REPLACE INTO: the new row replaces the old) or
	// WriteUpdate (INSERT ... ON DUPLICATE KEY UPDATE of every written
	// column). WriteReplace and WriteUpdate need a primary or unique key,
	// and make retries exact.
	WriteMode WriteMode `json:"writeMode,omitempty"`
	// PreSQL runs once per job before any row is written, PostSQL once after
	// every split succeeded; "@table" in them is replaced by the table.
	PreSQL  []string `json:"preSql,omitempty"`
	PostSQL []string `json:"postSql,omitempty"`
	// Truncate empties the table once per job, before PreSQL.
	Truncate bool `json:"truncate,omitempty"`
	// AtomicRefresh replaces the table's rows as one atomic step: the job
	// loads a staging table made with CREATE TABLE ... LIKE the table, and
	// once every split succeeded swaps it in with one RENAME TABLE of both,
	// so that readers see the old rows or the new ones, never a half-loaded
	// table; a failed job drops the staging table and leaves the table as it
	// was. See the package doc ("Atomic refresh") for what is carried over.
	// It cannot be combined with Truncate.
	AtomicRefresh bool `json:"atomicRefresh,omitempty"`
	// BatchSize bounds the rows of each multi-row INSERT; 0 sizes them by
	// max_allowed_packet and the 65,535-placeholder limit alone. LOAD DATA
	// streams a whole batch whatever it is.
	BatchSize int `json:"batchSize,omitempty"`
	// CreateTable creates the table from the source's schema when it does
	// not exist (see the package doc for the types chosen).
	CreateTable bool `json:"createTable,omitempty"`
	// LoadData chooses the bulk path: LoadDataAuto (the default) uses LOAD
	// DATA LOCAL INFILE when the server allows it and multi-row INSERT
	// otherwise, LoadDataOff always uses INSERT, LoadDataRequire fails (in
	// Check, and when writing) when LOAD DATA LOCAL is not available.
	LoadData LoadData `json:"loadData,omitempty"`
	// Session lists SQL statements run on every connection the sink uses,
	// after its own settings, which are made again after them (see
	// SourceConfig.Session).
	Session []string `json:"session,omitempty"`
	// ProgressTable turns exactly-once on (see the package doc): each
	// flush commits the rows and the split's checkpoint in one
	// transaction, the checkpoint going to this InnoDB table ("table" or
	// "db.table"; created by Prepare when missing; "default" means
	// DefaultProgressTable in the connection's database). Empty:
	// at-least-once.
	ProgressTable string `json:"progressTable,omitempty"`
	// ProgressJob is the job's identity in the progress table (default:
	// Table as configured). Two jobs that write one table and share a
	// progress table need different ones.
	ProgressJob string `json:"progressJob,omitempty"`
	// Logger receives the sink's notices, such as falling back from LOAD
	// DATA to INSERT; nil discards them.
	Logger *slog.Logger `json:"-"`
}

// WriteMode is how a Sink writes rows (see SinkConfig.WriteMode). The
// empty WriteMode is WriteInsert.
type WriteMode string

// The write modes.
const (
	WriteInsert  WriteMode = "insert"
	WriteReplace WriteMode = "replace"
	WriteUpdate  WriteMode = "update"
)

// LoadData chooses a Sink's bulk path (see SinkConfig.LoadData). The empty
// LoadData is LoadDataAuto.
type LoadData string

// The LoadData choices.
const (
	LoadDataAuto    LoadData = "auto"
	LoadDataOff     LoadData = "off"
	LoadDataRequire LoadData = "require"
)

// ZeroDate says what a Source makes of dates the calendar does not have
// (see SourceConfig.ZeroDate). The empty ZeroDate is ZeroDateNull.
type ZeroDate string

// The ZeroDate choices.
const (
	ZeroDateNull  ZeroDate = "null"
	ZeroDateDirty ZeroDate = "dirty"
)

const defaultMinSplitRows = 20_000

func (c *SourceConfig) validate() error {
	var errs []error
	errs = append(errs, checkConn(c.DSN, c.TLS, c.DB)...)
	switch {
	case c.Table == "" && c.QuerySQL == "":
		errs = append(errs, errors.New("set table or querySql"))
	case c.Table != "" && c.QuerySQL != "":
		errs = append(errs, errors.New("set table or querySql, not both"))
	}
	if c.Incremental.Column != "" && c.QuerySQL != "" {
		errs = append(errs, errors.New("incremental reads a table past a mark: it cannot be combined with querySql"))
	}
	if c.QuerySQL != "" {
		if len(c.Column) > 0 && !isStar(c.Column) {
			errs = append(errs, errors.New("column cannot be used with querySql: select the columns in the query"))
		}
		if c.Where != "" {
			errs = append(errs, errors.New("where cannot be used with querySql: put it in the query"))
		}
		if c.SplitPK != "" {
			errs = append(errs, errors.New("splitPk cannot be used with querySql: a query is read as one split"))
		}
	}
	if c.Table != "" {
		if _, err := parseTableName(c.Table); err != nil {
			errs = append(errs, err)
		}
	}
	for i, col := range c.Column {
		if strings.TrimSpace(col) == "" {
			errs = append(errs, fmt.Errorf("column %d is empty", i+1))
		}
	}
	if c.Splits < 0 {
		errs = append(errs, fmt.Errorf("splits %d is negative", c.Splits))
	}
	if c.MinSplitRows < 0 {
		errs = append(errs, fmt.Errorf("minSplitRows %d is negative", c.MinSplitRows))
	}
	if c.FetchSize < 0 {
		errs = append(errs, fmt.Errorf("fetchSize %d is negative", c.FetchSize))
	}
	switch ZeroDate(strings.ToLower(string(c.ZeroDate))) {
	case "", ZeroDateNull, ZeroDateDirty:
	default:
		errs = append(errs, fmt.Errorf("zeroDate %q is not %q or %q", c.ZeroDate, ZeroDateNull, ZeroDateDirty))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("mysql source: invalid config: %w", err)
	}
	return nil
}

func (c *SinkConfig) validate() error {
	var errs []error
	errs = append(errs, checkConn(c.DSN, c.TLS, c.DB)...)
	if c.Table == "" {
		errs = append(errs, errors.New("set table"))
	} else if _, err := parseTableName(c.Table); err != nil {
		errs = append(errs, err)
	}
	for i, col := range c.Column {
		if strings.TrimSpace(col) == "" {
			errs = append(errs, fmt.Errorf("column %d is empty", i+1))
		}
	}
	switch WriteMode(strings.ToLower(string(c.WriteMode))) {
	case "", WriteInsert, WriteReplace, WriteUpdate:
	default:
		errs = append(errs, fmt.Errorf("writeMode %q is not insert, replace or update", c.WriteMode))
	}
	switch LoadData(strings.ToLower(string(c.LoadData))) {
	case "", LoadDataAuto, LoadDataOff, LoadDataRequire:
	default:
		errs = append(errs, fmt.Errorf("loadData %q is not auto, off or require", c.LoadData))
	}
	if c.BatchSize < 0 {
		errs = append(errs, fmt.Errorf("batchSize %d is negative", c.BatchSize))
	}
	if _, err := c.progressSettings(); err != nil {
		errs = append(errs, err)
	}
	if c.AtomicRefresh && c.Truncate {
		errs = append(errs, errors.New("atomicRefresh loads an empty staging table: truncate has nothing to do beside it"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("mysql sink: invalid config: %w", err)
	}
	return nil
}

// checkConn checks that exactly one of dsn and db is set, that dsn parses,
// and that a TLS configuration comes with a DSN that wants TLS.
func checkConn(dsn string, tlsConfig *tls.Config, db *sql.DB) []error {
	switch {
	case dsn == "" && db == nil:
		return []error{errors.New("set dsn or DB")}
	case dsn != "" && db != nil:
		return []error{errors.New("set dsn or DB, not both")}
	case tlsConfig != nil && db != nil:
		return []error{errors.New("TLS applies to connections made from dsn: configure DB's own connector instead")}
	case dsn != "":
		cfg, err := parseDSN(dsn)
		if err != nil {
			return []error{err}
		}
		if tlsConfig != nil && cfg.TLSConfig == "false" {
			return []error{errors.New("TLS is set but the dsn asks for no TLS (tls=false): say which")}
		}
	}
	return nil
}

func isStar(cols []string) bool { return len(cols) == 1 && strings.TrimSpace(cols[0]) == "*" }
