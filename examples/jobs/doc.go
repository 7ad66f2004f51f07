// Package jobs holds job files in DataX's own shape and plugin names, each
// run by a test against real databases (OSS through the in-repo test
// server):
//
//	mysql-to-postgres.json   mysqlreader -> postgresqlwriter
//	postgres-to-oss.json     postgresqlreader -> osswriter (gzipped CSV)
//	csv-to-mysql.json        txtfilereader -> mysqlwriter, with dirty lines
//
// Connection settings are ${variables}, given on the command line:
//
//	datasync run examples/jobs/mysql-to-postgres.json \
//	    -p mysql_jdbc='jdbc:mysql://127.0.0.1:3306/shop' -p mysql_user=root -p mysql_password= \
//	    -p pg_jdbc='jdbc:postgresql://127.0.0.1:5432/warehouse' -p pg_user=postgres -p pg_password=
package jobs
