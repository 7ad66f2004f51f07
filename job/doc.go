// Package job reads job files, in DataX's shape or as DataWorks'
// code-editor scripts, and turns them into pipelines. A DataX job:
//
//	{
//	  "job": {
//	    "setting": {
//	      "speed": {"channel": 4, "byte": 10485760, "record": 50000},
//	      "errorLimit": {"record": 100, "percentage": 0.001}
//	    },
//	    "content": [{
//	      "reader": {"name": "mysqlreader", "parameter": {...}},
//	      "writer": {"name": "postgresqlwriter", "parameter": {...}}
//	    }]
//	  }
//	}
//
// speed.channel is the parallelism (one when a DataX job gives none, as in
// DataX, so that plugins making work per channel make DataX's records);
// speed.byte and speed.record are limits for the whole job (in DataX they
// are per channel; Job.LimitsNote says so, and the command logs it);
// errorLimit.record and errorLimit.percentage are the dirty-data policy.
// Unlike DataX, a job with no errorLimit tolerates no dirty record.
//
// Job files may hold "//" and "/* */" comments and trailing commas, as
// DataX's parser takes them (in both dialects); errors keep the line and
// column of the file as written. A setting a DataX plugin accepts but that
// has no meaning here (streamwriter's "encoding", a "setting" beside
// "job") is accepted with a Warning in Job.Warnings naming its JSON path
// (see Accepted, and the connectors' lists in docs/datax-parameters.md);
// a setting DataX does not know is an error with a suggestion. A DataX
// plugin that is not registered (hdfsreader) is named as such, with the
// list of what is, and a connector's Refusal (a file format it cannot
// read) is the only error reported for its step. Settings datasync adds:
//
//	"dirty": {"path": "dirty.jsonl"}        where dirty records go, as JSON lines
//	"dirty": {"writer": {"name": ..., "parameter": {...}}}   or into any writer
//	"retry": {"attempts": 3, "backoff": "1s"}
//	"batch": {"rows": 4096, "bytes": 4194304}
//	"stallTimeout": "2m"   a split that moves nothing this long fails and is retried; "0" disables
//
// The dirty-data file holds row values, so it is created readable and
// writable by its owner only (mode 0600), and an existing one loses its
// group and other permissions before it is rewritten.
//
// # DataWorks scripts
//
// Parse also reads DataWorks' code-editor scripts, version 2.0, telling the
// dialect from the document (an object with "steps"; Job.Dialect records
// it):
//
//	{"type": "job", "version": "2.0",
//	 "steps": [
//	   {"stepType": "mysql", "category": "reader", "name": "Reader",
//	    "parameter": {"datasource": "orders_rds", "column": ["id", "name"],
//	                  "connection": [{"datasource": "orders_rds", "table": ["orders"]}],
//	                  "where": "", "splitPk": "id", "encoding": "UTF-8"}},
//	   {"stepType": "postgresql", "category": "writer", "name": "Writer",
//	    "parameter": {"datasource": "dw_pg", "table": "orders", "column": ["id", "name"],
//	                  "writeMode": "insert", "preSql": [], "postSql": []}}],
//	 "setting": {"errorLimit": {"record": "0"},
//	             "speed": {"throttle": true, "concurrent": 2, "mbps": "12", "dmu": 1}},
//	 "order": {"hops": [{"from": "Reader", "to": "Writer"}]}}
//
// A step's stepType stands for a reader and a writer connector
// (Registry.RegisterStepType: mysql for mysqlreader and mysqlwriter, and
// postgresql, oss, stream, txtfile likewise), whose parameter objects are
// the DataX plugins', with DataWorks' forms beside them: "datasource" and
// "table" in place of a connection block. Each hop is a task, from a
// reader step to a writer step; every step must be in a hop, a writer
// takes one reader, and a script of one reader and one writer may leave
// order out. setting.speed.concurrent is the parallelism; with throttle
// true, mbps (MB/s, 2^20 bytes) limits the whole job, with throttle false
// nothing does; dmu (DataWorks' resource units) is accepted and has no
// effect. errorLimit.record (a number, or a number written as a string)
// is the dirty records allowed; errorLimit.percentage, dirty, retry and
// batch are read as in a DataX job. Mistakes are reported with their path
// in the script: steps[1].parameter.tabel, order.hops[0].to.
//
// # Data sources
//
// A reader or writer may name a data source of a catalog (package
// job/datasource) instead of spelling out its connection: "datasource"
// at the top of its parameters or in a connection entry, in both
// dialects, in place of jdbcUrl, username and password (endpoint,
// accessId and accessKey for OSS). The catalog is Options.DataSources, or
// else the file at datasource.DefaultPath, read when a job first names a
// data source. Credentials are read from the environment or files when
// the job is parsed; they are redacted as the job's other secrets.
//
// # Parameters
//
// ${name} in the file is replaced, before it is read as JSON, by the value
// given for name (the command line's -p name=value), else by a DataWorks
// scheduling parameter, else by the environment variable name; a name with
// none is an error. Inside a JSON string the value is escaped as JSON
// requires; $${ stands for a literal ${ (and $$[ for $[, $$bizdate for
// $bizdate).
//
// Scheduling parameters are computed, as DataWorks computes them, from
// Options.RunDate (the command line's --run-date; now by default), the
// scheduled time. The business date is the day before:
//
//	${bizdate}, $bizdate      the business date, yyyymmdd
//	$cyctime                  the scheduled time, yyyymmddhh24miss
//	$gmtdate                  the scheduled day, yyyymmdd
//	$bizmonth                 the last whole month, yyyymm
//	${yyyymmdd}, ${yyyy-mm-dd}, ${yymmdd}   the business date in a format of yyyy, yy, mm, dd
//	${yyyymmdd-1}, ${yyyymmdd+7*2}          ... days (or weeks) from it
//	${yyyymm-1}, ${yyyy-1}                  ... months, years (the format's finest unit)
//	$[yyyymmdd], $[yyyy-mm-dd], $[hh24miss] the scheduled time, with hh24, mi and ss too
//	$[yyyymmdd-1], $[yyyymmdd-7]            ... days from it
//	$[hh24miss-1/24], $[hh24miss-30/24/60]  ... hours, minutes from it
//	$[add_months(yyyymmdd,-1)]              ... months (-12*N for years), kept to the
//	                                        end of a shorter month
//
// A -p value wins over a computed one (-p bizdate=20261124), and a -p value
// that is itself such an expression is computed (-p dt='$[yyyymmdd-2]'
// makes ${dt} two days before the run date), as DataWorks assigns
// scheduling parameters. Text written $[...] that is no time expression
// (MongoDB's $[] and $[elem]) is left alone.
//
// Parse validates the whole file before anything connects or moves: unknown
// settings (with their JSON path and the likeliest intended name), missing
// required ones, values of the wrong type and unknown connector names are
// all reported together, in an *InvalidError.
//
// Settings tagged secret by their connector (passwords, access keys), and
// passwords inside connection URLs, are collected so that Redact can blot
// them out of anything shown: errors, logs, plans and reports.
package job
