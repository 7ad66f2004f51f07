// Package datasync moves data in batches between heterogeneous systems
// (MySQL, PostgreSQL, Alibaba OSS, text files, and anything a user writes a
// connector for), in the spirit of Alibaba DataWorks Data Integration and
// DataX, as a library a Go service embeds.
//
// # Records
//
// Every value is a [Value] of one of a few simplified kinds ([Kind]): Null,
// Bool, Int, Float, Decimal, String, Bytes, Date, Time, Timestamp and JSON.
// Unlike DataX's, they lose nothing: decimals are exact text of any length,
// times keep microseconds, a Float read from a single-precision column stays
// one ([Float32]: same bits in a FLOAT or real column, "0.1" as text), a
// [Timestamp] says whether it is an instant or a wall-clock reading, a [Date] belongs to no time zone, and nothing ever
// consults the process's local zone. [Value.Convert] and the As accessors
// convert between kinds by documented rules and return an error, never a
// silently changed value, when a conversion would lose information.
//
// A [Record] is one row; a [Schema] names and types its columns. Records
// travel in a [Batch], bounded by rows and by bytes, whose variable-width
// data lives in one reusable arena, so that moving millions of rows does not
// mean millions of allocations.
//
// # Connectors
//
// A [Source] plans its data into independent [Split]s and opens a [Reader]
// per split; a [Sink] is prepared once per job and opens a [Writer] per
// split. Readers report a [Checkpoint] after each batch; a checkpoint is
// durable once the writer has flushed the rows before it, and a failed split
// is reopened from there. Optional capabilities are separate interfaces
// found by type assertion, as in database/sql/driver: a Sink that is a
// [Finalizer] runs post-job work once, one that is an [Aborter] cleans up
// after a failed or cancelled job, a Writer that is a [Committer] publishes
// its output only when its split completes.
//
// Packages source and sink hold in-memory and generic implementations (the
// way to unit-test a pipeline); the connector packages hold the databases and
// file systems.
//
// Connectors whose reader and writer share a wire encoding may pass rows as
// that encoding's bytes instead of values; package encoded holds that
// machinery, which users of the pipeline never need.
//
// # Pipelines
//
// [NewPipeline] joins a source to a sink, with options for parallelism
// ([WithParallelism]), a job-wide rate limit shared by all workers
// ([WithRateLimit]), a dirty-data policy ([WithDirtyPolicy]), batch sizes,
// retries, flush intervals, a stall watchdog ([WithStallTimeout]), progress
// reports and logging. [Pipeline.Run] runs
// the whole job and returns a [Result]; [Pipeline.Plan] and
// [Pipeline.RunSplit] let a distributed engine run one split per machine.
//
// [WithTransform] adds a record-transformation stage, DataX's transformers
// as Go functions: inside the workers, right after each batch is read, a
// [TransformFunc] changes a record in place, drops it (counted in
// [Result.RecordsFiltered]) or makes it dirty with a reason
// ([StageTransform]). A [Transformer] sees the source's schema before
// anything runs; package transform has DataX's substr, pad, replace,
// filter and digest.
//
// Delivery is at least once: a retried split replays what it wrote after its
// last flush, so sinks with idempotent write modes (upsert, replace) make
// retries exact. It is exactly once with a sink whose writers commit the rows
// and the split's checkpoint together ([CheckpointWriter]) and read it back
// ([CheckpointSink]): before each attempt at a split, in [Pipeline.Run] and
// [Pipeline.RunSplit] alike, the worker resumes from the sink's durable
// checkpoint, and skips a split it has done. [WithCheckpointStore] keeps the
// progress outside the sink too (package state keeps it on local disk), so
// that a job killed half-way resumes: with the interrupted run's plan
// ([PlanStore]), and without the sink's destructive preparation
// ([ResumePreparer]).
//
// # Dirty data
//
// A record is dirty when the source cannot decode it, when one of its values
// cannot be converted for the destination column, or when the destination
// rejects it. Dirty records are never dropped silently: each one reaches the
// policy's [DirtyCollector] (JSON lines, a function, or any Sink, so they can
// land in a table or a file) with its split, column, value and reason, and
// the job stops with [ErrDirtyLimit] as soon as the policy's count or ratio is
// passed. The default policy allows none.
//
// # Watching a job
//
// [WithLogger] logs the job's events with log/slog: at Info and Warn its
// start and end (the [Result] as separate attributes), retries with their
// causes and failed splits; dirty records one line each for the first few
// of each split, then summaries by reason and by split that say where the
// records went ([WithDirtyLog], [DirtyDestination]); at Debug what tells
// why a job is slow or failing: the schema, the plan and each split's
// boundaries ([SplitDescriber]), connection setup, flushes and each
// split's figures. [WithMeterProvider] reports OpenTelemetry metrics
// through the caller's meter provider; the package uses only the
// OpenTelemetry API. [Result.WaitShares] tells a slow source, a slow sink
// and a rate limit apart, as shares of the workers' time.
//
// # Errors
//
// Errors follow the standard library's conventions: sentinels for errors.Is
// ([ErrDirtyLimit], [ErrStalled], [ErrNull], [ErrInvalidOption]), types for
// errors.As ([*RowError], [*RowErrors], [*SplitError], [*DirtyLimitError],
// [*StallError], [*ConversionError]) and the predicate [IsRetryable].
package datasync
