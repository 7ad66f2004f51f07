package job

import (
	"fmt"
	"slices"
	"strings"
)

// dataXPlugins are the readers and writers of DataX (alibaba/DataX), so
// that a job naming one datasync does not have is told so, with the list
// of what is supported, rather than offered a look-alike name.
var dataXPlugins = []string{
	"adbmysqlwriter", "adbpgwriter", "adswriter", "cassandrareader", "cassandrawriter",
	"clickhousereader", "clickhousewriter", "databendwriter", "datahubreader", "datahubwriter",
	"dorisreader", "doriswriter", "drdsreader", "drdswriter", "elasticsearchwriter",
	"ftpreader", "ftpwriter", "gaussdbreader", "gaussdbwriter", "gdbreader", "gdbwriter",
	"hbase094xreader", "hbase094xwriter", "hbase11xreader", "hbase11xsqlreader",
	"hbase11xsqlwriter", "hbase11xwriter", "hbase20xsqlreader", "hbase20xsqlwriter",
	"hdfsreader", "hdfswriter", "hologresjdbcwriter", "kingbaseesreader", "kingbaseeswriter",
	"kuduwriter", "loghubreader", "loghubwriter", "milvuswriter", "mongodbreader",
	"mongodbwriter", "mysqlreader", "mysqlwriter", "neo4jwriter", "obhbasereader",
	"obhbasewriter", "oceanbasev10reader", "oceanbasev10writer", "ocswriter", "odpsreader",
	"odpswriter", "opentsdbreader", "oraclereader", "oraclewriter", "oscarwriter",
	"ossreader", "osswriter", "otsreader", "otsstreamreader", "otswriter",
	"postgresqlreader", "postgresqlwriter", "rdbmsreader", "rdbmswriter", "selectdbwriter",
	"sqlserverreader", "sqlserverwriter", "starrocksreader", "starrockswriter",
	"streamreader", "streamwriter", "sybasereader", "sybasewriter", "tdenginereader",
	"tdenginewriter", "tsdbreader", "tsdbwriter", "txtfilereader", "txtfilewriter",
}

// unsupportedPlugin returns the message for a DataX plugin that is not
// registered ("" when name is not one of DataX's, or is registered in the
// other role).
func unsupportedPlugin(name, role string, names []string, registered bool) string {
	if registered || !slices.Contains(dataXPlugins, strings.ToLower(strings.TrimSpace(name))) {
		return ""
	}
	supported := strings.Join(names, ", ")
	if supported == "" {
		supported = "none"
	}
	return fmt.Sprintf("no %s named %q: it is a DataX plugin that is not supported here; the %ss supported: %s",
		role, name, role, supported)
}
