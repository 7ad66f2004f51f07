package datax

import "github.com/datasync-go/datasync/job"

// Register adds DataX's plugin names for the built-in connectors to r:
// mysqlreader, mysqlwriter, postgresqlreader, postgresqlwriter,
// txtfilereader, txtfilewriter, ossreader, osswriter, streamreader and
// streamwriter.
func Register(r *job.Registry) {
	registerMySQL(r)
	registerPostgres(r)
	registerFile(r)
	registerOSS(r)
	registerStream(r)
}
