// Package ui is the codeless UI of the datasync command ("datasync ui"): a
// web page embedded in the binary (static/: plain HTML, CSS and
// JavaScript, no build step) and the JSON API it calls, which builds a job
// step by step as DataWorks' codeless UI does.
//
// The page edits a Model: a source table (or query) of a MySQL or
// PostgreSQL data source, or a csv object (with a header line) of an OSS
// one, and a target table of a MySQL or PostgreSQL data source, all of
// the catalog; the field mapping; the channel settings. Model.
// Script turns it into a DataWorks v2.0 script, and every operation parses
// that script with package job, so the UI has no path of its own to the
// connectors: the check is Pipeline.Check, the run is Pipeline.Run, the
// preview reads the first split of the script's source. Tables and
// columns are listed through datasync.Introspector, the optional
// capability of sources, on a source built from the data source with a
// trivial query.
//
// The API (all under /api/, every call with the X-Datasync-Token header):
//
//	GET  /api/datasources          the catalog: name, type, host (no secrets)
//	POST /api/datasources          add one (passwords as env or file references only)
//	POST /api/datasources/test     test connectivity (the command's probe)
//	POST /api/schemas|tables|columns   introspection
//	POST /api/preview              the source's first rows
//	POST /api/check                the check, placed beside each mapped pair or field
//	POST /api/script               the DataWorks script and the DataX job
//	POST /api/save                 save one of them inside the UI's directory
//	POST /api/runs                 start a run; GET /api/runs/{id} its progress and report;
//	POST /api/runs/{id}/cancel; GET /api/runs/{id}/dirty its dirty records
//
// Security: Handler answers only the Host names it is given (the listen
// address: a DNS-rebinding page sends its own), refuses other origins
// (Origin, Sec-Fetch-Site) and API calls without the token (compared in
// constant time) or with a POST body that is not JSON, and sends a strict
// Content-Security-Policy. Nothing sent to the browser holds a credential:
// data sources are described by name, type and host, errors are redacted
// with the job's redactor, and the add form takes only where a password
// is. Saved scripts and dirty records stay inside Config.Dir (os.Root).
package ui
