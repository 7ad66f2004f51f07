// Package datax is DataX's side of the job-file layer: the parameter objects
// of DataX's plugins (mysqlreader, postgresqlwriter, txtfilereader, ossreader,
// streamreader, ocswriter, and rediswriter and redisreader in DataWorks'
// Redis writer's shape, ...) and their translation into the connectors'
// Go-native configs, JDBC URLs into the DSNs of Go drivers included.
// Register adds the plugin names to a job.Registry, with the DataWorks
// stepTypes that stand for them (mysql, postgresql, oss, txtfile, stream,
// redis, ocs and memcache); package job/builtin does so for the default
// registry.
//
// The parameter objects also take DataWorks' forms: "datasource" naming a
// data source of a catalog (package job/datasource), at the top of the
// parameters or in a connection entry, in place of jdbcUrl, username and
// password (endpoint, accessId and accessKey for OSS; addr, username,
// password and db for Redis; proxy and port for Memcache), and a writer's
// "table" beside it in place of a connection block. The parameters resolve
// them when job calls ResolveDataSources (job.DataSourceUser);
// ReaderParams.UseDataSources and WriterParams.UseDataSources do it for
// other relational plugins built on them.
//
// The connectors know nothing of DataX: everything DataX-shaped lives here,
// so that importing one connector links only its own driver.
//
// # Running DataX's jobs as DataX runs them
//
// Every setting DataX's own plugins accept is accepted: honoured where it
// means something here, otherwise (accepted.go) taken with a job.Warning
// that names it and says why it has no effect; docs/datax-parameters.md
// lists them plugin by plugin. A reader's jdbcUrl list is tried in order,
// reading through the first URL whose check passes (failover.go); when
// none does, the error lists every URL's failure, passwords redacted.
// File formats and compressions the text connectors lack (orc, parquet,
// lzo...) are refused by name before anything else about the step
// (refuse.go). txtfilewriter and osswriter write DataX's text by default:
// fileFormat text without quotes or escapes, timestamps as
// yyyy-MM-dd HH:mm:ss, times as HH:mm:ss, dateFormat (or its older name
// format) applied to dates and timestamps; txtfilewriter names its files
// fileName__<random> and osswriter its objects object__<random>, as DataX
// does (the connectors' NameRandom). The Go
// API keeps its own defaults. streamwriter's path and fileName print to
// that file, and mongodbreader and ocswriter take DataX's other names of
// their credentials (username, password, database).
//
// # MongoDB
//
// mongodbreader and mongodbwriter (stepType mongodb, data source type
// mongodb) take DataX's parameters: address (host:port of each member),
// userName, userPassword, authDb (default dbName, as DataX), dbName,
// collectionName, column ([{"name": "a.b", "type": "string"}], the types
// string, objectid, int, long, double, decimal, date, boolean, bytes,
// array, document or a datasync kind; arrays and documents are JSON, and
// "splitter" is refused), query (a filter, as a string or an object) and
// the writer's writeMode {"isReplace": true, "replaceKey": "k"}, which
// replaces the whole document with that key or inserts it (DataX's
// semantics). Beside them: splits, minSplitDocs and batchSize (the
// reader's page) for the reader; upsert (with isReplace: $set the fields
// instead of replacing the document), decimal ("decimal128" or "string")
// and truncate for the writer. A writer column of type objectid writes its
// hexadecimal text as an ObjectId; the other writer types are checked but
// the values keep the type the source gave them.
//
// # The MySQL and PostgreSQL family
//
// Alibaba Cloud's services that speak MySQL's or PostgreSQL's protocol are
// registered onto the mysql and postgres connectors, each under DataX's
// plugin name where DataX has one (else a name of the same shape), its
// DataWorks stepType (also its data source type, whose jdbcUrl or host
// speaks the engine), with the path that works on that service:
//
//	service                    reader / writer                           stepType                   engine      path and why
//	PolarDB for MySQL          polardbreader / polardbwriter             polardb                    mysql       as MySQL: fully compatible; LOAD DATA LOCAL when the cluster allows it (loadData auto)
//	PolarDB for PostgreSQL     polardbreader / polardbwriter             polardb                    postgresql  as PostgreSQL (binary COPY); the engine is the jdbcUrl's scheme
//	PolarDB-X 1.0 (DRDS)       drdsreader / drdswriter                   drds                       mysql       multi-row INSERT (loadData off): LOAD DATA LOCAL does not go through DRDS's proxy
//	AnalyticDB for MySQL 3.0   adbmysqlreader / adbmysqlwriter           analyticdb_for_mysql       mysql       multi-row INSERT (loadData off), as DataX's adbmysqlwriter
//	HybridDB for MySQL         hybriddbmysqlreader / hybriddbmysqlwriter hybriddb_for_mysql         mysql       multi-row INSERT (loadData off)
//	OceanBase (MySQL mode)     oceanbasev10reader / oceanbasev10writer   apsaradb_for_oceanbase     mysql       loadData auto: OceanBase 4 takes LOAD DATA LOCAL, earlier ones fall back to INSERT; obWriteMode insert/update; users user@tenant#cluster
//	RDS for PPAS               ppasreader / ppaswriter                   rds_ppas                   postgresql  as PostgreSQL (binary COPY)
//	AnalyticDB for PostgreSQL  adbpgreader / adbpgwriter                 analyticdb_for_postgresql  postgresql  one split unless splitPk is given (physical blocks are per segment); binary COPY
//
// What is known to differ and how the translation copes:
//
//   - LOAD DATA LOCAL: refused or not passed on by the distributed MySQL
//     services, so their writers use multi-row INSERT; a job's own
//     "loadData" wins.
//   - Transactions across shards: the mysql sink commits each window of
//     rows in one transaction at Flush. On PolarDB-X that is a distributed
//     transaction; AnalyticDB for MySQL and HybridDB for MySQL commit each
//     statement, so a split that fails may leave part of a window written:
//     use writeMode replace or update there, which makes the retry exact.
//   - COPY: the postgres connector's only write path is binary COPY
//     (upsert through a staging table). RDS for PPAS and PolarDB for
//     PostgreSQL take it. AnalyticDB for PostgreSQL instances whose COPY
//     refuses the binary format cannot be written through adbpgwriter: the
//     first write fails saying so. There is no INSERT path in the postgres
//     connector to fall back to (not built here).
//   - Snapshot export: "consistent" (pg_export_snapshot) is a PostgreSQL
//     reader setting; AnalyticDB for PostgreSQL does not export snapshots,
//     so leave it off there.
//   - OceanBase: DataX's jdbcUrl prefix ||_dsc_ob10_dsc_||cluster:tenant||_dsc_ob10_dsc_||
//     is removed and the user becomes user@tenant#cluster, as OceanBase's
//     proxy wants it (a user already written so is kept).
//   - adbpgwriter also takes DataX's host, port, database and schema in
//     place of a connection block.
//
// A setting of the other engine (loadData on a PostgreSQL-speaking member,
// consistent or conflictKey on a MySQL-speaking one) is an error. The
// tests run every name against the local MariaDB and PostgreSQL through
// the path it takes on its service.
package datax
