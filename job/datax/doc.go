// Package datax is DataX's side of the job-file layer: the parameter objects
// of DataX's plugins (mysqlreader, postgresqlwriter, txtfilereader, ossreader,
// streamreader, ...) and their translation into the connectors' Go-native
// configs, JDBC URLs into the DSNs of Go drivers included. Register adds the
// plugin names to a job.Registry; package job/builtin does so for the
// default registry.
//
// The connectors know nothing of DataX: everything DataX-shaped lives here,
// so that importing one connector links only its own driver.
package datax
