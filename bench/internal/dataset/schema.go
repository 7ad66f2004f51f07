// Package dataset is the benchmark's table: its ten columns, the DDL that
// creates it in PostgreSQL and MySQL, a deterministic seeded generator of its
// rows, and writers that load those rows into the databases and into a CSV
// file.
//
// Row i of a dataset depends only on the seed and i (every value is drawn
// from a hash of the two), so the same rows can be produced in any order, by
// any number of goroutines, and again in another process: the library's
// memory source, the loaders and the expected checksum all see the same data.
package dataset

import "github.com/datasync-go/datasync"

// Table is the name of the benchmark table in every database, source and
// target alike (they live in different databases).
const Table = "bench"

// Version identifies the generator's output. Bump it whenever a change makes
// Fill produce different rows, so that datasets loaded by an older harness
// are regenerated rather than trusted.
const Version = 1

// Schema returns the ten columns, in table order: the mix of the root
// bench_test.go (bigint key, int, bigint, varchar(64), ~100-byte text,
// decimal(18,4), double, boolean, timestamp with microseconds, date), every
// column but the key nullable.
func Schema() datasync.Schema {
	return datasync.Schema{
		{Name: "id", Kind: datasync.KindInt, Key: 1, Native: "bigint"},
		{Name: "qty", Kind: datasync.KindInt, Nullable: true, Native: "int"},
		{Name: "big", Kind: datasync.KindInt, Nullable: true, Native: "bigint"},
		{Name: "name", Kind: datasync.KindString, Length: 64, Nullable: true, Native: "varchar(64)"},
		{Name: "note", Kind: datasync.KindString, Nullable: true, Native: "text"},
		{Name: "amount", Kind: datasync.KindDecimal, Precision: 18, Scale: 4, Nullable: true, Native: "decimal(18,4)"},
		{Name: "score", Kind: datasync.KindFloat, Nullable: true, Native: "double"},
		{Name: "active", Kind: datasync.KindBool, Nullable: true, Native: "boolean"},
		{Name: "created", Kind: datasync.KindTimestamp, Precision: 6, Nullable: true, Native: "timestamp(6)"},
		{Name: "day", Kind: datasync.KindDate, Nullable: true, Native: "date"},
	}
}

// PostgresDDL returns the CREATE TABLE statement for table in PostgreSQL.
// The timestamp has no time zone, like MySQL's DATETIME, so that both hold
// the same wall-clock values and no session time zone can shift them.
func PostgresDDL(table string) string {
	return `CREATE TABLE ` + table + ` (
	id      bigint PRIMARY KEY,
	qty     integer,
	big     bigint,
	name    varchar(64),
	note    text,
	amount  numeric(18,4),
	score   double precision,
	active  boolean,
	created timestamp(6) without time zone,
	day     date
)`
}

// MySQLDDL returns the CREATE TABLE statement for table in MySQL/MariaDB
// (InnoDB, utf8mb4). BOOLEAN is MySQL's tinyint(1).
func MySQLDDL(table string) string {
	return "CREATE TABLE `" + table + "` (\n" +
		"	id      bigint NOT NULL PRIMARY KEY,\n" +
		"	qty     int,\n" +
		"	big     bigint,\n" +
		"	name    varchar(64),\n" +
		"	note    text,\n" +
		"	amount  decimal(18,4),\n" +
		"	score   double,\n" +
		"	active  tinyint(1),\n" +
		"	created datetime(6),\n" +
		"	day     date\n" +
		") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
}

// ColumnList returns the column names joined by ", ", for SELECT and COPY.
func ColumnList() string {
	names := Schema().Names()
	s := names[0]
	for _, n := range names[1:] {
		s += ", " + n
	}
	return s
}
