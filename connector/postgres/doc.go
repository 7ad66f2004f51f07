// Package postgres reads and writes PostgreSQL tables for datasync: a
// [Source] that divides a table into splits read in parallel, and a [Sink]
// that loads rows with binary COPY. It is meant for PostgreSQL 9.4 and later
// and for the PostgreSQL-compatible systems (PolarDB for PostgreSQL,
// AnalyticDB for PostgreSQL, Greenplum-like databases): where it uses a
// feature of a recent release it falls back to an older way (see
// Compatibility). It is built on jackc/pgx v5.
//
// Both take a DSN, or a *pgxpool.Pool the caller already has:
//
//	src, err := postgres.NewSource(postgres.SourceConfig{Pool: pool, Table: "public.orders"})
//	dst, err := postgres.NewSink(postgres.SinkConfig{DSN: dsn, Table: "orders", WriteMode: "upsert"})
//	p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(8))
//	res, err := p.Run(ctx)
//
// The configs' JSON names are DataX's (column, where, querySql, splitPk,
// fetchSize, preSql, postSql, writeMode), so a DataX job maps over. Config
// mistakes are reported by NewSource and NewSink (which do no I/O); a
// missing table or column, a column list that does not match the source, a
// type that cannot take the source's values, an unreachable server or
// rejected credentials, by Schema, Plan and Prepare, before any row moves.
// Both implement the checks of datasync's dry run (SourceChecker,
// SinkChecker), privileges included. No error shows a DSN: it may hold a
// password.
//
// A pool opened from a DSN gives its connections TCP keepalives, and a
// stalled network (the server up, no bytes moving) holds its Close, and
// the statements readers and writers run while closing, for a few seconds
// at most. A stalled read or write is ended by the pipeline's stall
// watchdog (datasync.WithStallTimeout) and retried. A caller's pool is used
// as it is.
//
// # Reading
//
// Plan divides a table into about four splits per unit of parallelism
// (SourceConfig.Splits to choose), by ranges of its split key: splitPk, by
// default the primary key, one column or several. A dense integer key is
// cut into equal ranges; any other key (text, uuid, composite, or an integer
// key with gaps or skew) at boundaries taken from its own values: all of
// them for tables up to 200,000 rows, a repeatable sample (TABLESAMPLE
// SYSTEM) of larger ones, so that every split holds about as many rows. Rows
// whose key has a NULL form one more split. A table without a key (and
// without splitPk) is divided by ranges of physical blocks. An empty table,
// a one-row table and a table whose keys are all equal give a single split.
// A querySql, or a view without a key, is one split.
//
// A key split is read in pages: a query for the rows after the last key
// read, in key order, as many as fit in the batch (FetchSize at most). No
// page query stays open between two Reads, so a slow sink never leaves a
// cursor (and the snapshot it holds) hanging on the server. When the split key is not
// unique, its ties are broken by the rows' physical position (tableoid,
// ctid), which costs a sort of each page's ties. Block splits are read in
// pages of blocks (a TID range scan). The checkpoint of a split is the last
// key read (or block position), so a retried split resumes just after it;
// a stream split (querySql, views) resumes by skipping the rows it
// delivered, which needs a stable order (give the query an ORDER BY).
//
// With SourceConfig.Consistent, Plan exports a snapshot (pg_export_snapshot)
// from a transaction kept open until Source.Close, and every split reads in
// it: the copy is of one point in time however long it takes and whatever
// the table goes through meanwhile. Splits planned this way can run in other
// processes while the Source that planned them is open.
//
// Rows come from the server in binary format, decoded into the batch's arena
// without an allocation per row.
//
// # Writing
//
// Each batch is encoded once into binary COPY rows straight from the batch
// (no allocation per row) and handed to a COPY that stays open across
// batches: Write returns while the server works on the rows. A COPY ends when
// its window is full (a share of 12 MiB among the Sink's open writers,
// between 2 and 8 MiB each), at Flush, or when a batch needs the other
// format. A value the server should parse itself (text for an interval, a
// date in an unusual format, a uuid in braces, any type datasync has no
// binary encoder for) sends its batch as text COPY instead, in a COPY of its
// own, so that the server accepts it or rejects it with its own message.
//
// A writer works in a transaction that Flush commits; Close rolls back what
// was not flushed, so a retried split never writes a row twice. The COPYs
// of a window run under one savepoint: a transaction with more than 64
// subtransactions would slow down every snapshot on the server. When the
// server rejects a row (text that is not of the column's type, a value too
// long, a NULL in a NOT NULL column, a unique violation, a NUL byte in text,
// a check or foreign key), the transaction is rolled back to the savepoint,
// the window's earlier COPYs are sent again (the writer keeps a copy of
// their rows), and the failed COPY's rows are sent again in parts: up to the
// row the error names ("COPY t, line 7"), that row alone, then the rest;
// without a line number, in halves. A row is rejected only when it fails
// alone; it reaches the dirty-data collector as a *Rejection carrying the
// server's *pgconn.PgError (message, SQLSTATE, detail), and every other row
// is written exactly once. As the server judges rows after the Write that
// carried them returned, a row of an earlier batch is reported late, from a
// later Write or from Flush, with its record decoded from the binary row
// that was sent (values of the target column's types), as datasync.Writer
// allows. A value that cannot be converted to its column at all (a Date for
// an integer column, 1.5 for an integer, digits a numeric(p,s) or a
// timestamp(p) would round away) is rejected before it is sent, as a
// *datasync.ConversionError, by the Write that carries it. Deferred
// constraints fail at the commit, which fails the split.
//
// WriteMode WriteUpsert loads the rows into a temporary
// staging table with the same COPY, then merges them in the same round trip:
// INSERT .. SELECT DISTINCT ON (key) .. ON CONFLICT (key) DO UPDATE. When a
// COPY holds several rows of one key, the last one wins, as if the rows were
// upserted one by one; rows with a NULL in the key never conflict and are all
// inserted. The conflict key is ConflictKey (which DataX's writeMode
// "update (a, b)" sets, through package job/datax), or the primary key, and must be a unique key of the table. Running the same
// upsert twice leaves the same table.
//
// PreSQL runs once per job in Prepare, then the table is created when it is
// missing and CreateTable is set, then truncated when Truncate is set;
// PostSQL runs once after every split succeeded. "@table" in them stands
// for the table as configured.
//
// # Exactly-once
//
// With ProgressTable set, every flush commits the rows written since the
// last one and the split's checkpoint in one transaction: the checkpoint
// is a row (job, split, checkpoint, done, updated_at) of the progress
// table, which Prepare creates when missing. The Sink is a
// datasync.CheckpointSink: before a split runs, and before each retry, the
// pipeline reads its durable checkpoint back, so a window whose COMMIT
// landed (even when its reply was lost) is never written twice, and a split
// found done is skipped. Prepare of a job that has progress in the table
// (an interrupted run) skips PreSQL and Truncate; Finalize deletes the
// job's progress after PostSQL, so the next run copies everything again.
// ProgressJob (default: Table) keys the job's rows. The commit's extra
// statements are an UPDATE and, for the first window, an INSERT of one
// small row, sent in the COMMIT's round trip.
// # Atomic refresh
//
// With SinkConfig.AtomicRefresh, Prepare (re)creates a staging table,
// <table>_datasync_new in the table's schema, with CREATE TABLE .. (LIKE
// table INCLUDING ALL): columns, defaults, NOT NULL and CHECK constraints,
// indexes (the primary key and unique ones included), identity and
// generated columns, storage, comments and statistics. The writers load it.
// Finalize, once every split succeeded, swaps it in within one transaction:
// it locks the table, renames it aside, gives the staging table its name,
// carries over the old table's owner and privileges (GRANTs to other roles,
// as aclexplode lists them), moves the sequences its columns owned (serial
// columns) to the new table, drops the old table and gives the new indexes
// the old ones' names; then PostSQL runs. Readers block on the lock for the
// transaction's short duration and then read the new table: they never see
// a half-loaded one. A failed job's Abort drops the staging table; the
// table is untouched. Not carried over, and so to be recreated by PostSQL
// if needed: foreign keys of the table, triggers, row-level security
// policies. Identity columns keep their sequence's position (setval on the
// new table's sequence). Objects that depend on the table (views, foreign keys
// of other tables referencing it) make the DROP fail, which rolls the swap
// back: the job fails and the old table stays. The user must own the table
// (or have its owner's role) and may create tables in its schema; Check
// says so. A job killed between the load and the swap leaves the staging
// table, which the next run drops and loads again.
//
// # Incremental reads
//
// With SourceConfig.Incremental, the source is a datasync.IncrementalSource
// (see package state for the marks and the runs): HighWater reads
// max(column) of the rows the source reads, as PostgreSQL's JSON text of
// the value (ISO 8601 times with their offset), and Since returns a source
// whose where condition adds column > mark (less the lookback) AND column
// <= the run's high-water mark, compared as the column's own type.
//
// # Pass-through
//
// When the source and the sink are both this connector and the sink's
// columns have exactly the source's types, in order (format_type equal:
// varchar(64) and varchar(64), numeric(18,4) and numeric(18,4)), the rows
// travel as the binary fields the source server sent, framed as binary COPY
// rows, and are given to the target's COPY as they are: no value is decoded
// or encoded. A rejected row is decoded only on its way to the dirty-data
// collector. It does not apply when a source column is read as text (a type
// datasync does not decode), when an array or composite column is of a
// user-defined type (its binary form names type OIDs, which differ between
// databases), when money columns have different decimal places, when the
// sink has no column list and has not seen the source's schema in Prepare
// (as in a Pipeline.RunSplit in another process), or when
// SinkConfig.DisablePassThrough is set. Every type of the mapping below
// passes through otherwise, upsert included.
//
// Passed-through rows of a table whose unique split key is integer columns
// that are read (the common case: a bigint or serial primary key) are read
// a page at a time with COPY (SELECT ... ORDER BY key LIMIT n) TO STDOUT
// (FORMAT binary), the page's bounds written into it as integer literals:
// the server sends the rows already framed as COPY tuples, and each one goes
// into the batch as it arrives, only its field lengths and, for the last
// one, its key parsed. This costs the reader about 15% less CPU per row
// than a page query (BenchmarkReadPages). Rows read as values come from
// page queries, which measured cheaper for them than decoding COPY tuples.
//
// # Types
//
// Reading, each PostgreSQL type becomes one datasync kind:
//
//	PostgreSQL                             Kind       Notes
//	smallint, integer, bigint, oid         Int
//	real                                   Float      a datasync.Float32: every bit (-0, NaN,
//	                                                  ±Infinity), text "0.1" not 0.10000000149011612
//	double precision                       Float      NaN, ±Infinity
//	numeric                                Decimal    exact text, scale kept; NaN; ±Infinity (14+)
//	money                                  Decimal    in lc_monetary's decimal places
//	boolean                                Bool
//	char(n), varchar(n), text, name,       String     char(n) keeps its padding; Length is n
//	  "char", citext, xml, enums
//	bytea                                  Bytes
//	date                                   Date       ±infinity
//	time                                   Time       microseconds; 24:00:00
//	timestamp                              Timestamp  a wall-clock time; ±infinity
//	timestamptz                            Timestamp  an instant, whatever the session's TimeZone
//	timetz                                 String     12:34:56.789+05:30
//	interval                               String     1 year 2 mons -3 days +04:05:06.789
//	uuid                                   String     lower-case, hyphenated
//	json, jsonb                            JSON       jsonb as the server normalizes it
//	inet, cidr                             String     192.168.1.5/24; a host without /32
//	macaddr, macaddr8                      String     08:00:2b:01:02:03
//	bit(n), varbit(n)                      String     the 0 and 1 digits
//	arrays of the types above              JSON       see below
//	a domain                               as its base type
//	anything else (geometric types,        String     the server's text form
//	  ranges, composites, tsvector ...)
//
// An array is a JSON array, nested for more dimensions: numbers and
// booleans as JSON numbers and booleans (NaN and infinities as strings),
// json elements embedded, NULL as null, every other element as a JSON string
// of its PostgreSQL text form ("2024-02-29", "\\x00ff", "1 day").
// Lower bounds other than 1 are not kept.
//
// Writing, a value is converted to its column's type by datasync's
// conversion rules (datasync.Value.Convert), never with a loss:
//
//	Kind       Column types                  Notes
//	Int        integer types, numeric,       range checked; float only when it holds the value
//	           real, double, money, bool
//	Float      real, double, numeric,        real: a Float32 with its bits; a float64 only
//	           integer types                 when float32 holds it exactly (0.5, not 0.1);
//	                                         double: a Float32 widened exactly (0.1 becomes
//	                                         0.10000000149011612, as a cast from real does);
//	                                         numeric and text: a Float32's shortest text (0.1);
//	                                         integers only when integral
//	Decimal    numeric, money, integer       never rounded: digits beyond numeric(p,s)'s or
//	           types, floats                 money's scale are an error; into real, the
//	                                         shortest text of a float32 (0.1), or what
//	                                         float32 holds exactly (datasync.Value.AsFloat32)
//	Bool       boolean, integer types
//	String     text types as it is; any      parsed by datasync for the common forms (numbers,
//	           other type                    ISO dates and times, uuid, inet, cidr), otherwise
//	                                         by the server, which accepts it or rejects the row
//	Bytes      bytea as it is; text types    the server checks the bytes are UTF-8
//	Date       date, timestamp, timestamptz  midnight (UTC)
//	Time       time, timetz                  timetz at UTC
//	Timestamp  timestamp, timestamptz, date  an instant into timestamp: its UTC reading; a
//	                                         wall-clock time into timestamptz: read as UTC;
//	                                         time(p), timestamp(p): an error rather than rounding
//	JSON       json, jsonb, arrays           a JSON array becomes a PostgreSQL array
//	any        text types                    its text form (datasync.Value.AppendTo)
//
// A String without a zone written to a timestamptz column is read as UTC:
// writers set their transaction's TimeZone to UTC.
//
// CreateTable picks a column type by kind, refined by the source's native
// type where it names a PostgreSQL type that holds the values (so a
// PostgreSQL source's uuid, inet, interval, timetz, bit, array columns keep
// their types): Bool boolean; Int smallint, integer or bigint; Float real
// (for a real, or a MySQL FLOAT) or double precision; Decimal numeric(p,s) or numeric; String varchar(n),
// character(n) or text; Bytes bytea; Date date; Time time(p); Timestamp
// timestamptz for instants (PostgreSQL timestamptz, MySQL TIMESTAMP),
// timestamp(p) otherwise; JSON json, jsonb or an array type. NOT NULL and
// the primary key follow the schema.
//
// # Performance
//
// Encoding a batch for COPY and decoding rows into a batch allocate nothing
// per row (see the package's benchmarks), so the client's share of the work
// is small; the server's is per row and per statement. A COPY statement
// costs the server far more than its rows when it carries few: measured on
// PostgreSQL 15, one million rows of the benchmark table cost the backend
// 2.1 CPU-seconds in one COPY, 2.5 in COPYs of 4,096 rows and 3.7 in COPYs
// of 1,024, hence COPYs that span batches. Reading costs one keyset page
// query per batch, about what COPY TO costs. More parallelism spreads the
// work over more server cores (on a two-core server, it mostly adds
// contention). The benchmark program in internal/pgperf compares the
// connector with psql's binary COPY pipe on a generated table.
//
// # Compatibility
//
// The fallbacks below are tested by forcing them on PostgreSQL 15.
// Before PostgreSQL 14 (no TID range scans) block pages are fetched by their
// tuple positions (ctid = ANY (...)), a TID scan. Before 9.5 (no ON CONFLICT,
// no TABLESAMPLE), upsert merges with an UPDATE and an INSERT of the rows
// not updated, in one statement, and split boundaries are computed from every
// key. Consistent mode needs pg_export_snapshot (9.2). On MPP databases
// such as Greenplum, where ctid is unique only within a segment, give tables
// a splitPk that is unique.
package postgres
