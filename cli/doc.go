// Package cli is the datasync command as a library: run, check and plan a
// job file, manage named data sources, serve the codeless UI, with a
// progress bar, a final report in DataX's layout, exit codes and clean
// interrupt handling. The datasync program is this package
// with the built-in connectors; a program with connectors of its own gets
// the same command from a few lines of main:
//
//	func main() {
//		r := job.NewRegistry()
//		builtin.Register(r)   // mysql, postgres, oss, ... and DataX's plugin names
//		myconnector.Register(r)
//		(&cli.Command{Name: "mysync", Registry: r}).Main()
//	}
//
// The commands:
//
//	run job.json [-p name=value ...] [--progress 5s] [--quiet | -v] [--log-format text|json]
//	    [--report FILE|-] [--metrics-addr host:port] [--verify] [--fresh] [--no-state] [--state-dir DIR]
//	check job.json [-p name=value ...]
//	plan job.json [-p name=value ...]
//	verify job.json [-p name=value ...] [--key COLS] [--range-rows N] [--max-keys N]
//	datasource list|test NAME|add NAME --type ...|remove NAME [--datasources FILE]
//	ui [--listen 127.0.0.1:PORT] [--datasources FILE] [--dir DIR] [--allow-remote]
//	state list|show job.json|clear job.json [--state-dir DIR]
//	version
//
// run, check and plan also take --datasources FILE (the catalog of the data
// sources the job names; when not given, the default catalog is read if
// the job names one, and a missing default catalog is an empty one) and
// --run-date YYYY-MM-DD[ hh:mm:ss] (the scheduled time DataWorks'
// scheduling parameters, such as ${bizdate} and $[yyyymmdd-1], are
// computed from; default now).
//
// run resumes an interrupted run of the job by default (package state
// keeps its plan and split checkpoints in --state-dir, keyed by the job
// file's absolute path and fingerprinted by the resolved job without
// secrets): finished splits are skipped, the others restart from their last
// durable checkpoint. A second run of a job while one runs is refused, and
// so is resuming a job that changed; --fresh starts over, --no-state keeps
// no local state.
//
// Incremental tasks (a reader with incrementalColumn, see package
// job/datax): run reads the rows past the mark of the task's last
// successful run and saves the new mark when the task succeeds. Marks live
// in the state directory ($DATASYNC_STATE_DIR, else datasync under
// $XDG_STATE_HOME or ~/.local/state; see package state), under the job
// file's absolute path and the task's path in it (job.content[0]).
//
// verify compares each task's source with its target without moving data
// (package verify): counts and checksums per key range, then the keys that
// are missing, extra or changed. It exits 0 when all are equal, 1
// otherwise; run --verify does the same after a successful run (comparing
// an incremental task's whole source).
//
// Named data sources live in a catalog file (package job/datasource): the
// file given with --datasources, else $DATASYNC_DATASOURCES, else
// datasync/datasources.json in the user's configuration directory.
// "datasource test" is DataWorks' "test connectivity": it runs the
// connector's Probe (mysql.Probe, postgres.Probe, oss.Probe) and prints its
// report. "datasource add" stores credentials as references to environment
// variables or files, and refuses a secret written on the command line.
//
// "ui" serves the codeless UI, a web page embedded in the binary that
// builds a job step by step (data sources, tables, field mapping with the
// check's verdict on each pair, channel control), runs it with live
// progress, and converts it to a DataWorks v2.0 script and a DataX job. It
// listens on loopback and prints its address with a token that every API
// call must carry; see its --help.
//
// Output: data and results (plan's JSON, check's summary) go to standard
// output; progress, logs, the report and errors to standard error. The
// job's secrets are blotted out of both. Help asked for (--help) goes to
// standard output; a usage mistake to standard error, with a did-you-mean
// for a mistyped command.
//
// Watching a run: -v logs debug lines (the plan and its split boundaries,
// connection setup, retries and their causes, flushes); --quiet shows no
// progress and logs only warnings and errors; --log-format json logs one
// JSON object per line. --report FILE (or - for standard output) also
// writes the final report as JSON, a [Report], whose fields are stable
// within [ReportVersion]; a job that fails before moving anything prints
// its error and no report of zeros. --metrics-addr serves the pipeline's
// OpenTelemetry metrics (datasync.WithMeterProvider) at /metrics, in
// Prometheus' format, while the job runs; port 0 picks a free port, and
// the address is logged ("serving metrics"). Progress is drawn as a bar when
// standard error is a terminal and logged every few seconds otherwise.
//
// Exit codes: ExitOK (0), ExitFailed (1: the job or a check failed, or it
// was interrupted), ExitInvalid (2: invalid job file or command line),
// ExitDirty (3: the dirty-data limit was passed).
//
// Interrupts: the first SIGINT or SIGTERM, or cancelling the context given
// to Run, stops the job cleanly (every split closed, uncommitted work
// rolled back, multipart uploads aborted) and the report says what was
// written; a second signal kills the process the usual way.
package cli
