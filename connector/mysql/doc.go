// Package mysql reads and writes MySQL tables for datasync: MySQL 5.7 and
// 8.x, MariaDB, and the MySQL-compatible systems (PolarDB, PolarDB-X,
// AnalyticDB for MySQL, OceanBase in MySQL mode), through
// github.com/go-sql-driver/mysql.
//
// A [Source] reads a table (or a query) in parallel splits; a [Sink] writes
// a table with LOAD DATA LOCAL INFILE, or multi-row INSERT where that is not
// available. Both take a DSN, or a *sql.DB the caller already owns:
//
//	src, err := mysql.NewSource(mysql.SourceConfig{DSN: "app:pw@tcp(db1:3306)/shop", Table: "orders"})
//	dst, err := mysql.NewSink(mysql.SinkConfig{DB: warehouseDB, Table: "orders", WriteMode: "update"})
//	p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(8))
//	res, err := p.Run(ctx)
//
// The configs' JSON names are DataX's mysqlreader and mysqlwriter parameter
// names (column, where, querySql, splitPk, fetchSize, session, writeMode,
// preSql, postSql, batchSize), so a DataX job maps over.
//
// # Sessions
//
// Every connection the package uses reads and writes TIMESTAMP values in
// UTC (time_zone '+00:00'), so they are exact instants whatever the
// server's or the host's zone, while DATETIME stays a wall-clock time; uses
// utf8mb4; and is in strict mode (STRICT_ALL_TABLES added to the
// sql_mode, NO_BACKSLASH_ESCAPES removed). On a pool built from a DSN this
// is done once per connection, on a caller's *sql.DB on each connection
// taken, and undone before the connection goes back; a connection on which
// Session statements ran is closed instead. Parameters of the DSN that would
// change values (parseTime, loc, charset) have no effect on what is read or
// written.
//
// Session statements run after these settings, which are then made again.
// So a time_zone set in Session (as DataX jobs often do) does not shift
// TIMESTAMP values: instants are kept whatever the zone. It applies to the
// Session statements that follow it, and to nothing after them: NOW(),
// CURDATE() and CURRENT_TIMESTAMP in a Where, a QuerySQL, a PreSQL or a
// column's default are evaluated in UTC. For a local time there, compute it
// in Session (SET time_zone = '+09:00', then SET @today = CURDATE(), and
// Where "created >= @today"), or convert it (CONVERT_TZ(NOW(), '+00:00',
// '+09:00')). Likewise a character set or a NO_BACKSLASH_ESCAPES set in
// Session does not outlive it; other sql_mode flags do.
//
// # Reading
//
// Plan divides a table by its split key (SplitPK, by default the primary
// key): the boundaries are the keys found every N rows in key order, so
// integer, string and composite keys, and skewed data, all give splits of
// about the same size. The boundary queries walk the key's index with
// LIMIT 1 OFFSET N from the previous boundary; a split key without an index
// uses one ROW_NUMBER() window query instead, and a server without window
// functions falls back to the first way. Rows whose split key is NULL form
// a split of their own, so every row is in exactly one split.
//
// A split is read in keyset pages ordered by a unique NOT NULL key (the
// split key, completed by the primary key): WHERE key > last ORDER BY key
// LIMIT n, each page a complete query sized to the room left in the batch.
// No query stays open between two reads, so a slow writer never leaves a
// server-side stream waiting until net_write_timeout kills it. The
// checkpoint is the last key read, and a split reopened from it (in this
// process or another) resumes just after it. A page is read from the
// driver's own connection (sql.Conn.Raw, driver.Rows.Next), each row's
// values going straight to the decoder, without database/sql's Scan and
// its per-row locking and conversions: about a fifth less CPU per row read
// (BenchmarkPageWays).
//
// A query (QuerySQL), or a table without a unique NOT NULL key, is read as
// a stream per split, on a connection whose net_write_timeout is raised to
// a day. Such a split cannot resume: reopening it after some rows fails
// with a permanent error rather than replaying them.
//
// # Writing
//
// Each writer writes in a transaction that its Flush commits (the
// pipeline's durability point); Close without Flush rolls back, so a
// retried split never leaves half a batch behind. The table's engine must
// be transactional (InnoDB): the sink refuses MyISAM, Aria, MEMORY and the
// like. One case stays at-least-once, as in every database client: a
// connection lost during the COMMIT itself leaves the writer unable to tell
// whether it committed; the retry replays those rows, which in insert mode
// come back as duplicate-key dirty rows (never as silent duplicates, when
// the table has a key), and which replace and update write again exactly.
//
// The bulk path is LOAD DATA LOCAL INFILE from a reader registered with the
// driver ('Reader::<unique name>'), which encodes the batch as the server
// asks for it, without building a copy (allowAllFiles is never enabled).
// When the server does not allow LOAD DATA LOCAL (local_infile=0, or a
// compatible system without it), the sink falls back to multi-row INSERT,
// detected at the first batch and logged; LoadData "off" always uses
// INSERT, "require" fails instead. WriteMode "update" always uses
// INSERT ... ON DUPLICATE KEY UPDATE, which LOAD DATA has no form of.
// Multi-row INSERTs are sized by max_allowed_packet, BatchSize and the
// 65,535-placeholder limit, and written as literal SQL: no prepared
// statements, one round trip each.
//
// # Atomic refresh
//
// With SinkConfig.AtomicRefresh, Prepare (re)creates a staging table,
// <table>_datasync_new, with CREATE TABLE .. LIKE the table (columns,
// defaults, indexes, AUTO_INCREMENT attributes, CHECK constraints on 8.0.16
// and later), and the writers load it. Finalize, once every split
// succeeded, swaps it in with one RENAME TABLE table TO table_datasync_old,
// staging TO table, which is atomic: readers wait on its metadata lock and
// then read the new table, never a half-loaded one. The old table is then
// dropped, and PostSQL runs. Privileges granted on the table stay, as MySQL
// grants by name. Not carried over: foreign keys (CREATE TABLE .. LIKE
// drops them), triggers (they go with the old table) and the AUTO_INCREMENT
// counter (it follows the rows loaded). A failed job's Abort drops the
// staging table, leaving the table untouched.
//
// # Incremental reads
//
// With SourceConfig.Incremental, the source is a datasync.IncrementalSource
// (see package state for the marks and the runs): HighWater reads
// CAST(MAX(column) AS CHAR) of the rows the source reads (TIMESTAMP values
// in UTC, as every session of the package), and Since returns a source
// whose where condition adds column > mark (less the lookback) AND column
// <= the run's high-water mark; numeric marks are written as number
// literals, so that a BIGINT compares exactly.
//
// When a MySQL Source feeds a MySQL Sink and every column has the same
// type on both sides (COLUMN_TYPE and character set; no nullable column
// into a NOT NULL one), the reader writes each row straight into the LOAD
// DATA format as the driver hands it over and the writer streams those
// lines (datasync's encoded rows), skipping the decoding into values and
// the encoding back. A value always fits a column of its own type; the
// reader still applies ZeroDate and rejects text that is not UTF-8, and the
// load is checked as below, its rows decoded back into values for the
// INSERT path when it is not exact.
//
// # Exactly-once
//
// With ProgressTable set, every flush commits the rows written since the
// last one and the split's checkpoint in one transaction: the checkpoint
// is a row (job, split, checkpoint, done, updated_at) of an InnoDB
// progress table, which Prepare creates when missing, written with INSERT
// .. ON DUPLICATE KEY UPDATE just before COMMIT. The Sink is a
// datasync.CheckpointSink: before a split runs, and before each retry, the
// pipeline reads its durable checkpoint back, so a window whose COMMIT
// landed (even when its reply was lost) is never written twice, and a split
// found done is skipped. Prepare of a job that has progress in the table
// (an interrupted run) skips Truncate and PreSQL; Finalize deletes the
// job's progress after PostSQL, so the next run copies everything again.
// ProgressJob (default: Table) keys the job's rows (hashed beyond 255
// bytes). The target table must be transactional (InnoDB) for the
// guarantee to hold.
//
// # Nothing is changed or dropped silently
//
// LOAD DATA LOCAL turns data errors into warnings and truncates, rounds,
// converts or skips the rows at fault. So every value is checked against
// its target column before it is sent, in both paths: length (characters
// for CHAR and VARCHAR, bytes for TEXT and binary types), range (integers,
// FLOAT, YEAR, DATE, DATETIME, TIMESTAMP, TIME), scale (DECIMAL digits and
// fractional seconds that MySQL would round), NOT NULL, valid UTF-8, the
// column's character set (utf8mb3, latin1, ascii), ENUM and SET members,
// JSON validity, and geometry structure. A value that fails is a dirty
// row, with the reason, and is not sent. After each load the affected-row
// count and the warnings must say that every row sent arrived exactly;
// when they do not, the load is rolled back to its savepoint and the batch
// goes through INSERT statements instead. A statement the server rejects,
// or that succeeds with a warning of a changed value, is rolled back to its
// savepoint and halved, down to the single rows at fault, which become
// dirty rows with MySQL's own message (a duplicate key in insert mode, a
// foreign key, a check constraint, a trigger's SIGNAL): every other row is
// written exactly once.
//
// Some MySQL behaviours remain, by design of the types: CHAR drops trailing
// spaces when read, and BINARY(n) pads with zero bytes; a SET is stored in
// its definition's order; MariaDB stores a FLOAT or DOUBLE -0 as 0.
//
// # Types
//
// Reading, MySQL to datasync:
//
//	TINYINT .. BIGINT, signed or unsigned   Int
//	BIGINT UNSIGNED                         Int; values above 2^63-1 are Decimal
//	TINYINT(1)                              Int; Bool with TinyIntAsBool (a value other than 0 or 1 is dirty)
//	BIT(1)                                  Bool
//	BIT(n), n > 1                           Bytes, big-endian, (n+7)/8 bytes
//	DECIMAL(p,s)                            Decimal, exact, scale kept (up to DECIMAL(65,30))
//	FLOAT                                   Float, a datasync.Float32: every bit kept, text the float32's shortest (3.1415927)
//	DOUBLE                                  Float
//	CHAR, VARCHAR, TINYTEXT .. LONGTEXT     String (utf8mb4; text that is not UTF-8 is dirty)
//	ENUM, SET                               String
//	BINARY, VARBINARY, TINYBLOB .. LONGBLOB Bytes
//	JSON (and MariaDB's JSON alias)         JSON
//	DATE                                    Date
//	DATETIME(0..6)                          Timestamp, wall clock
//	TIMESTAMP(0..6)                         Timestamp, instant (read in UTC)
//	TIME(0..6)                              Time, negative and over 24 hours included
//	YEAR                                    Int (0 for 0000)
//	GEOMETRY, POINT, ... GEOMETRYCOLLECTION Bytes: WKB, or EWKB (with the SRID) when the SRID is not 0
//	UUID, INET4, INET6 (MariaDB)            String
//
// Zero and impossible dates ('0000-00-00', '2024-00-10', '2024-02-30' under
// ALLOW_INVALID_DATES) are NULL by default and dirty rows with ZeroDate
// "dirty"; they never fail the split. Column.Native is the server's
// COLUMN_TYPE; Column.Key the position in the unique key that orders the
// pages (the primary key). A query's metadata is thinner: there TINYINT(1)
// is Int, BIT(n) is Bytes whatever n, MariaDB's JSON is String, and lengths
// are unknown.
//
// Writing, datasync to MySQL (every value checked as above):
//
//	integer types   Int, Bool (0/1); Float, Decimal, String when integral; range-checked
//	BIGINT UNSIGNED as above, and Decimal up to 18446744073709551615
//	BIT(n)          Bool, Int, Bytes, when the value has at most n bits
//	DECIMAL(p,s)    Decimal, Int, Float (its shortest text), String; no more than p-s and s digits
//	FLOAT           Float32 with its bits; Float, Int, Decimal, String when float32 holds them exactly
//	                (datasync.Value.AsFloat32: 0.5 and "0.1", not a float64 0.1, which FLOAT would round);
//	                no NaN or infinity
//	DOUBLE          Float (a Float32 widened exactly, as CAST does: 0.1 is 0.10000000149011612), Int,
//	                Decimal, String when float64 holds them exactly; no NaN or infinity
//	YEAR            Int 1901..2155 or 0
//	text types      every kind, as its text form (see datasync.Value.AppendTo)
//	binary types    Bytes and String as they are; other kinds as their text form
//	ENUM, SET       String naming members exactly
//	JSON            JSON; String, Int, Float, Decimal, Bool when they are valid JSON
//	DATE            Date; Timestamp at midnight; String
//	DATETIME        Timestamp (an instant as its UTC reading); Date; String
//	TIMESTAMP       Timestamp (a wall-clock time taken as UTC); Date; String; 1970-01-01 00:00:01 to 2038-01-19 03:14:07.999999 UTC
//	TIME            Time, -838:59:59 to 838:59:59; String
//	spatial types   Bytes holding WKB or EWKB, 2D, of the column's geometry type
//
// A kind a column cannot take at all (a Timestamp for an INT) is reported by
// Check and Prepare before any row moves.
//
// CreateTable makes a missing table from the schema: Bool tinyint(1), Int
// bigint, Float double (float for a PostgreSQL real), Decimal decimal(p,s) (decimal(65,30) when unknown),
// String varchar(n) (longtext when unbounded or over 16,383), Bytes
// varbinary(n) (longblob), Date date, Time time(p), Timestamp datetime(p),
// JSON json; a MySQL source's own type is kept where the kind alone cannot
// tell it (an unsigned or smaller integer, BIT, YEAR, ENUM, SET, FLOAT,
// CHAR, BINARY, TIMESTAMP, spatial types). The Key columns become the
// primary key. InnoDB, utf8mb4.
//
// # Checks and errors
//
// [Source.Check] and [Sink.Check] (datasync.SourceChecker and SinkChecker)
// validate a job against the live server without reading or changing data:
// the connection, the table, the columns, the types, the key the write mode
// needs, the privilege to write (a statement that inserts nothing, rolled
// back) and whether LOAD DATA LOCAL is available (an empty load, rolled
// back). Configuration mistakes are reported by NewSource and NewSink, and
// schema mistakes by Schema, Plan, Check and Prepare, before any row moves;
// errors name the table and column, never the password.
//
// A lost or killed connection, a deadlock or a lock wait timeout is
// retryable (datasync.IsRetryable): the pipeline reopens the split from its
// last durable checkpoint, and the writer's transaction, rolled back by the
// server, is replayed exactly.
//
// A pool opened from a DSN gives its connections TCP keepalives, and a
// stalled network (the server up, no bytes moving) holds its Close, and the
// ROLLBACK a writer runs while closing, for a few seconds at most. A stalled
// read or write is ended by the pipeline's stall watchdog
// (datasync.WithStallTimeout) and retried. A caller's *sql.DB is used as it
// is.
package mysql
