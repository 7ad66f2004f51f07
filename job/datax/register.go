package datax

import "github.com/datasync-go/datasync/job"

// Register adds DataX's plugin names for the built-in connectors to r:
// mysqlreader, mysqlwriter, postgresqlreader, postgresqlwriter,
// txtfilereader, txtfilewriter, ossreader, osswriter, streamreader and
// streamwriter; and the DataWorks stepTypes that stand for them: mysql,
// postgresql, oss, txtfile and stream.
func Register(r *job.Registry) {
	registerMySQL(r)
	registerPostgres(r)
	registerFile(r)
	registerOSS(r)
	registerStream(r)
	for _, system := range []string{"mysql", "postgresql", "oss", "txtfile", "stream"} {
		r.RegisterStepType(system, system+"reader", system+"writer")
	}
}
