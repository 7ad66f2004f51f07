package datax

import "github.com/datasync-go/datasync/job"

// Register adds DataX's plugin names for the built-in connectors to r:
// mysqlreader, mysqlwriter, postgresqlreader, postgresqlwriter,
// txtfilereader, txtfilewriter, ossreader, osswriter, streamreader,
// streamwriter, mongodbreader and mongodbwriter; and the DataWorks stepTypes
// that stand for them: mysql, postgresql, oss, txtfile, stream and mongodb.
func Register(r *job.Registry) {
	registerMySQL(r)
	registerPostgres(r)
	registerFile(r)
	registerOSS(r)
	registerStream(r)
	registerMongoDB(r)
	registerFamily(r)
	for _, system := range []string{"mysql", "postgresql", "oss", "txtfile", "stream", "mongodb"} {
		r.RegisterStepType(system, system+"reader", system+"writer")
	}
}
