// Package datax is DataX's side of the job-file layer: the parameter objects
// of DataX's plugins (mysqlreader, postgresqlwriter, txtfilereader, ossreader,
// streamreader, ...) and their translation into the connectors' Go-native
// configs, JDBC URLs into the DSNs of Go drivers included. Register adds the
// plugin names to a job.Registry, with the DataWorks stepTypes that stand
// for them (mysql, postgresql, oss, txtfile, stream); package job/builtin
// does so for the default registry.
//
// The parameter objects also take DataWorks' forms: "datasource" naming a
// data source of a catalog (package job/datasource), at the top of the
// parameters or in a connection entry, in place of jdbcUrl, username and
// password (endpoint, accessId and accessKey for OSS), and a writer's
// "table" beside it in place of a connection block. The parameters resolve
// them when job calls ResolveDataSources (job.DataSourceUser);
// ReaderParams.UseDataSources and WriterParams.UseDataSources do it for
// other relational plugins built on them.
//
// The connectors know nothing of DataX: everything DataX-shaped lives here,
// so that importing one connector links only its own driver.
package datax
