package datax

import "github.com/datasync-go/datasync/job"

// Register adds DataX's plugin names for the built-in connectors to r:
// mysqlreader, mysqlwriter, postgresqlreader, postgresqlwriter,
// txtfilereader, txtfilewriter, ossreader, osswriter, streamreader,
// streamwriter, mongodbreader, mongodbwriter, redisreader, rediswriter and
// ocswriter, and the MySQL and PostgreSQL family's (drdsreader,
// oceanbasev10writer, adbpgwriter, ...; see the package doc); and the
// DataWorks stepTypes that stand for them: mysql, postgresql, oss, txtfile,
// stream, mongodb, redis, ocs and memcache (both for ocswriter), and the
// family's (polardb, drds, analyticdb_for_mysql, ...).
func Register(r *job.Registry) {
	registerMySQL(r)
	registerPostgres(r)
	registerFile(r)
	registerOSS(r)
	registerStream(r)
	registerMongoDB(r)
	registerFamily(r)
	registerRedis(r)
	registerMemcache(r)
	for _, system := range []string{"mysql", "postgresql", "oss", "txtfile", "stream", "mongodb"} {
		r.RegisterStepType(system, system+"reader", system+"writer")
	}
	r.RegisterStepType("redis", "redisreader", "rediswriter")
	r.RegisterStepType("ocs", "", "ocswriter")
	r.RegisterStepType("memcache", "", "ocswriter")
}
