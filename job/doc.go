// Package job reads job files in the shape DataX and DataWorks' code editor
// use, and turns them into pipelines:
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
// speed.channel is the parallelism; speed.byte and speed.record are limits
// for the whole job (in DataX they are per channel); errorLimit.record and
// errorLimit.percentage are the dirty-data policy. Unlike DataX, a job with
// no errorLimit tolerates no dirty record. Settings datasync adds:
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
// ${name} in the file is replaced, before it is read as JSON, by the value
// given for name (the command line's -p name=value) or else by the
// environment variable name; a name with neither is an error. Inside a JSON
// string the value is escaped as JSON requires; $${ stands for a literal ${.
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
