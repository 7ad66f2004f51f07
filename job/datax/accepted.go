package datax

import "github.com/datasync-go/datasync/job"

// The settings DataX's plugins accept that have no meaning here: a job
// file that gives one runs, with a warning naming it and saying why it has
// no effect (see job.Accepted). The settings that do have a meaning are
// fields of the parameter types; everything else is an unknown setting.
// docs/datax-parameters.md lists all three, plugin by plugin.

// accepted is a shorthand for the lists below.
func accepted(pairs ...string) []job.Accepted {
	out := make([]job.Accepted, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, job.Accepted{Path: pairs[i], Reason: pairs[i+1]})
	}
	return out
}

const (
	whyUTF8          = "datasync always talks UTF-8 with the database"
	whyNoDryRun      = "DataX's dry run is `datasync check`"
	whyNoRetryLocal  = "local files are read once; failed splits are retried by the pipeline (job.setting.retry)"
	whyMarkFiles     = "datasync writes no marker files; a file is visible only once it is complete"
	whyCSVInternals  = "DataX's tuning of its Java CSV library; datasync's codec has no such switches"
	whyBuffers       = "datasync sizes its own buffers (job.setting.batch sizes the batches)"
	whyProxy         = "DataX's HTTP proxy for OSS; datasync uses the HTTPS_PROXY environment variable"
	whyHadoop        = "for DataX's ORC and Parquet formats through Hadoop, which datasync does not write"
	whyCname         = "the endpoint is used as given"
	whyEmptyAsNull   = "values are written as the source gives them: an empty string stays an empty string"
	whyBatchBytes    = "batches are bounded by job.setting.batch"
	whySplitInternal = "DataX fills it in itself when it splits a job"
)

// rdbmsReaderAccepted are the settings of DataX's relational readers
// (plugin-rdbms-util's reader keys) that have no meaning here.
var rdbmsReaderAccepted = accepted(
	"mandatoryEncoding", whyUTF8,
	"hint", "optimizer hints are not added to the generated SELECT; give them in querySql",
	"checkSlave", "DataX checks a MySQL replica's delay; datasync reads the server the URL names",
	"splitFactor", "DataX cuts channel × splitFactor pieces; the readers size their own splits (give splits to choose)",
	"splitMode", "the readers split by splitPk ranges",
	"samplePercentage", "the readers split by splitPk ranges without sampling",
	"splitPkSql", whySplitInternal,
	"dryRun", whyNoDryRun,
	"reuseConn", "datasync keeps a connection pool per source",
	"weakRead", "an OceanBase read-consistency switch; reads are the server's default",
	"dbName", "the database is the jdbcUrl's",
	"columnList", whySplitInternal,
	"partitionName", "tables are read whole (give where to select partitions)",
	"connection[].mandatoryEncoding", whyUTF8,
)

// rdbmsWriterAccepted are the settings of DataX's relational writers
// (plugin-rdbms-util's writer keys) that have no meaning here.
var rdbmsWriterAccepted = accepted(
	"batchByteSize", whyBatchBytes,
	"emptyAsNull", whyEmptyAsNull,
	"dryRun", whyNoDryRun,
	"appName", "a TDDL (DRDS) client setting; datasync connects with the jdbcUrl",
	"dbNamePattern", "DataX's sharded-writer routing, not supported: write each shard with its own job",
	"dbRule", "DataX's sharded-writer routing, not supported: write each shard with its own job",
	"tableNamePattern", "DataX's sharded-writer routing, not supported: write each shard with its own job",
	"tableRule", "DataX's sharded-writer routing, not supported: write each shard with its own job",
	"mandatoryEncoding", whyUTF8,
	"encoding", whyUTF8,
)

// textReaderAccepted are the settings of DataX's unstructured-storage
// readers (txtfilereader, ossreader) that have no meaning here.
var textReaderAccepted = accepted(
	"bufferSize", whyBuffers,
	"textReaderConfig", whyCSVInternals,
	"skipEmptyRecords", "empty lines are read as records (of one empty field), never skipped",
	"markDoneFileName", whyMarkFiles,
	"markDoingFileName", whyMarkFiles,
	"retryTime", whyNoRetryLocal,
	"maxRetryTime", whyNoRetryLocal,
	"retryInterval", whyNoRetryLocal,
	"blockSizeInByte", "files are split by splitSize",
	"enableInnerSplit", "files are split by splitSize",
	"tarFileFilterPattern", "tar archives are not read",
	"hivePartitionColumn", "Hive partition columns are not derived from paths",
	"fileAsColumn", "file names are not turned into columns",
	"dateFormat", "DataX's readers ignore it too: give a date column's pattern in column[].format",
	"fileName", "DataX's readers ignore it too: the files read are those path (or object) names",
)

// textWriterAccepted are the settings of DataX's unstructured-storage
// writers (txtfilewriter, osswriter) that have no meaning here.
var textWriterAccepted = accepted(
	"csvWriterConfig", whyCSVInternals,
	"commitSize", whyBuffers,
	"markDoneFileName", whyMarkFiles,
	"markDoingFileName", whyMarkFiles,
	"retryTime", whyNoRetryLocal,
	"maxRetryTime", whyNoRetryLocal,
	"syncMode", "files are always synced before they are made visible",
	"quoteChar", `csv quotes with '"'; the default text format does not quote`,
	"lineDelimiter", `lines end with "\n"`,
	"byteEncoding", "give bytesFormat (base64, hex or raw; base64 by default)",
	"table", "a Hive table name DataX only reports",
)

// pluginAccepted are the plugins' own settings with no meaning here,
// beside those of their family above.
var pluginAccepted = map[string][]job.Accepted{
	"streamreader": accepted(
		"column[].dateFormat", "a date column's value is read as date-time text such as 2024-01-01 00:00:00 (DataX's default pattern), not with this pattern",
	),
	"streamwriter": accepted(
		"encoding", "printed lines are UTF-8",
		"recordNumBeforeSleep", "DataX's testing throttle; limit a job with job.setting.speed.record",
		"sleepTime", "DataX's testing throttle; limit a job with job.setting.speed.record",
	),
	"txtfilereader": nil,
	"txtfilewriter": nil,
	"ossreader": accepted(
		"cname", whyCname,
		"proxyHost", whyProxy, "proxyPort", whyProxy, "proxyUsername", whyProxy,
		"proxyPassword", whyProxy, "proxyDomain", whyProxy, "proxyWorkstation", whyProxy,
		"hadoopConfig", whyHadoop,
		"balanceThreshold", "objects are split by splitSize",
	),
	"osswriter": accepted(
		"cname", whyCname,
		"proxyHost", whyProxy, "proxyPort", whyProxy, "proxyUsername", whyProxy,
		"proxyPassword", whyProxy, "proxyDomain", whyProxy, "proxyWorkstation", whyProxy,
		"hadoopConfig", whyHadoop,
		"encrypt", "server-side encryption follows the bucket's default",
		"generateEmptyFile", "a split with no records writes no object",
		"partition", "Hive partitions are not written",
	),
	"mongodbreader": accepted(
		"skipCount", "the reader splits by _id ranges itself",
		"lowerBound", whySplitInternal, "upperBound", whySplitInternal, "isObjectId", whySplitInternal,
	),
	"oceanbasev10reader": accepted(
		"readByPartition", "tables are read by splitPk ranges, not by partition",
		"partitionType", "tables are read by splitPk ranges, not by partition",
		"obCompatibilityMode", "the MySQL mode is the one supported",
	),
	"adbpgwriter": accepted(
		"insertIgnore", "rows go by binary COPY; use writeMode and conflictKey for conflicts",
		"ignoreInsert", "rows go by binary COPY; use writeMode and conflictKey for conflicts",
		"retryTimes", "failed splits are retried by the pipeline (job.setting.retry)",
		"retryIntervalTime", "failed splits are retried by the pipeline (job.setting.retry)",
		"commitSize", whyBatchBytes,
		"parallelNumber", "parallelism is job.setting.speed.channel",
		"shareDataSource", "datasync keeps a connection pool per sink",
	),
	"mongodbwriter": accepted(
		"column[].itemtype", "arrays are written as the source gives them (JSON arrays stay arrays)",
	),
}

// acceptedFor returns what the plugin accepts and ignores: its own list and
// its family's.
func acceptedFor(plugin string, family []job.Accepted) []job.Accepted {
	return append(append([]job.Accepted(nil), family...), pluginAccepted[plugin]...)
}
