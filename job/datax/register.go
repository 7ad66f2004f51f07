package datax

import "github.com/datasync-go/datasync/job"

// Register adds DataX's plugin names for the built-in connectors to r:
// mysqlreader, mysqlwriter, postgresqlreader, postgresqlwriter,
// txtfilereader, txtfilewriter, ossreader, osswriter, streamreader,
// streamwriter, redisreader, rediswriter and ocswriter; and the DataWorks
// stepTypes that stand for them: mysql, postgresql, oss, txtfile, stream,
// redis, and ocs and memcache (both for ocswriter).
func Register(r *job.Registry) {
	registerMySQL(r)
	registerPostgres(r)
	registerFile(r)
	registerOSS(r)
	registerStream(r)
	registerRedis(r)
	registerMemcache(r)
	for _, system := range []string{"mysql", "postgresql", "oss", "txtfile", "stream"} {
		r.RegisterStepType(system, system+"reader", system+"writer")
	}
	r.RegisterStepType("redis", "redisreader", "rediswriter")
	r.RegisterStepType("ocs", "", "ocswriter")
	r.RegisterStepType("memcache", "", "ocswriter")
}
