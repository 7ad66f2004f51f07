// Package jobs holds job files in DataX's own shape and plugin names, and
// the same jobs as DataWorks code-editor scripts, each run by a test
// against real databases (OSS through the in-repo test server):
//
//	mysql-to-postgres.json   mysql-to-postgres.dataworks.json   mysqlreader -> postgresqlwriter
//	postgres-to-oss.json     postgres-to-oss.dataworks.json     postgresqlreader -> osswriter (gzipped CSV)
//	csv-to-mysql.json        csv-to-mysql.dataworks.json        txtfilereader -> mysqlwriter, with dirty lines
//
// In the DataX jobs, connection settings are ${variables}, given on the
// command line:
//
//	datasync run examples/jobs/mysql-to-postgres.json \
//	    -p mysql_jdbc='jdbc:mysql://127.0.0.1:3306/shop' -p mysql_user=root -p mysql_password= \
//	    -p pg_jdbc='jdbc:postgresql://127.0.0.1:5432/warehouse' -p pg_user=postgres -p pg_password=
//
// The DataWorks scripts name data sources instead (shop_mysql,
// warehouse_pg, lake), from a catalog such as datasources.example.json,
// whose passwords are environment variables or files:
//
//	export DATASYNC_DATASOURCES=examples/jobs/datasources.example.json SHOP_MYSQL_PASSWORD=...
//	datasync run examples/jobs/mysql-to-postgres.dataworks.json
//
// postgres-to-oss writes under exports/${bizdate}/: the business date, the
// day before the run (or -p bizdate=20261124).
package jobs
