package mysql

import (
	"database/sql"
	"strings"

	"github.com/datasync-go/datasync"
)

// decoder says how a column's values are decoded (see decode.go).
type decoder uint8

const (
	decInt       decoder = iota // integers and YEAR: Int
	decUint64                   // BIGINT UNSIGNED: Int, Decimal above 2^63-1
	decTinyBool                 // TINYINT(1) with TinyIntAsBool: Bool, dirty unless 0 or 1
	decBit1                     // BIT(1): Bool
	decBits                     // BIT(n): Bytes, big-endian
	decDecimal                  // DECIMAL: Decimal
	decFloat32                  // FLOAT, selected as DOUBLE: Float32
	decFloat64                  // DOUBLE: Float
	decString                   // text, ENUM, SET: String, checked UTF-8
	decBytes                    // binary and BLOB types: Bytes
	decJSON                     // JSON
	decDate                     // DATE
	decDatetime                 // DATETIME: wall-clock Timestamp
	decTimestamp                // TIMESTAMP: instant Timestamp (the session is in UTC)
	decTime                     // TIME: Time, negative and over 24h included
	decGeometry                 // spatial types: WKB, or EWKB when the SRID is not 0
)

// srcColumn is a column as the source reads it.
type srcColumn struct {
	col      datasync.Column
	dec      decoder
	name     string // the column's name in the table or query
	expr     string // the expression selected
	pageable bool   // usable in a keyset order and in range literals
	literal  litKind
	charset  string // of a table's text column, for the pass-through check
	table    bool   // described by the table (not a query's thinner metadata)
	year     bool   // a YEAR, whose 0 must be written 0000 (a text '0' is 2000)
}

// litKind says how a key value read as text is written back as a literal.
type litKind uint8

const (
	litNumber litKind = iota // digits as they are
	litString                // _utf8mb4 X'..': compared with the column's collation
	litBinary                // X'..'
	litQuoted                // '...' (temporal text)
)

// tableColumn describes column c of a table for reading.
func tableColumn(c column, cfg *SourceConfig, ownPool bool) srcColumn {
	sc := srcColumn{name: c.name, expr: quoteIdent(c.name), charset: c.charset, table: true}
	col := datasync.Column{Name: c.name, Nullable: c.nullable, Native: c.columnType}
	switch c.dataType {
	case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "year":
		col.Kind, sc.dec = datasync.KindInt, decInt
		if c.dataType == "bigint" && c.unsigned {
			sc.dec = decUint64
		}
		if c.dataType == "tinyint" && cfg.TinyIntAsBool && strings.HasPrefix(strings.ToLower(c.columnType), "tinyint(1)") {
			col.Kind, sc.dec = datasync.KindBool, decTinyBool
		}
		sc.pageable = true
		sc.year = c.dataType == "year"
	case "bit":
		if c.precision == 1 {
			col.Kind, sc.dec = datasync.KindBool, decBit1
		} else {
			col.Kind, sc.dec = datasync.KindBytes, decBits
			col.Length = (c.precision + 7) / 8
		}
	case "decimal", "numeric", "fixed":
		col.Kind, sc.dec = datasync.KindDecimal, decDecimal
		col.Precision, col.Scale = c.precision, c.scale
		sc.pageable = true
	case "float":
		col.Kind, sc.dec = datasync.KindFloat, decFloat32
		sc.expr = widenFloat(sc.expr)
	case "double", "real", "double precision":
		col.Kind, sc.dec = datasync.KindFloat, decFloat64
	case "char", "varchar":
		col.Kind, sc.dec = datasync.KindString, decString
		col.Length = int(c.charLen)
		sc.pageable, sc.literal = true, litString
	case "tinytext", "text", "mediumtext", "longtext", "enum", "set", "uuid", "inet4", "inet6":
		col.Kind, sc.dec = datasync.KindString, decString
	case "binary", "varbinary":
		col.Kind, sc.dec = datasync.KindBytes, decBytes
		col.Length = int(c.octetLen)
		sc.pageable, sc.literal = true, litBinary
	case "tinyblob", "blob", "mediumblob", "longblob":
		col.Kind, sc.dec = datasync.KindBytes, decBytes
	case "json":
		col.Kind, sc.dec = datasync.KindJSON, decJSON
		col.Native = "json"
	case "date":
		col.Kind, sc.dec = datasync.KindDate, decDate
		sc.pageable, sc.literal = true, litQuoted
	case "datetime":
		col.Kind, sc.dec = datasync.KindTimestamp, decDatetime
		col.Precision = c.fsp
		sc.pageable, sc.literal = true, litQuoted
	case "timestamp":
		col.Kind, sc.dec = datasync.KindTimestamp, decTimestamp
		col.Precision = c.fsp
		sc.pageable, sc.literal = true, litQuoted
	case "time":
		col.Kind, sc.dec = datasync.KindTime, decTime
		col.Precision = c.fsp
		sc.pageable, sc.literal = true, litQuoted
	case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
		"geometrycollection", "geomcollection":
		col.Kind, sc.dec = datasync.KindBytes, decGeometry
	default:
		// Types of newer servers: text when they have a character set.
		if c.charset != "" {
			col.Kind, sc.dec = datasync.KindString, decString
		} else {
			col.Kind, sc.dec = datasync.KindBytes, decBytes
		}
	}
	if !ownPool && temporal(sc.dec) {
		// A caller's pool may have parseTime=true; as text, the values are
		// exact whatever its settings.
		sc.expr = "CAST(" + sc.expr + " AS CHAR)"
	}
	sc.col = col
	return sc
}

// widenFloat selects a FLOAT as a DOUBLE: the server prints a FLOAT with
// six digits, a DOUBLE with every bit. Times 1, unlike plus 0, keeps the
// sign of a -0 (on the servers that store one).
func widenFloat(expr string) string { return "(" + expr + " * 1e0)" }

func temporal(d decoder) bool {
	return d == decDate || d == decDatetime || d == decTimestamp || d == decTime
}

// queryColumn describes column i of a query's result for reading. A query's
// metadata is thinner than a table's: TINYINT(1) is Int and BIT(n) is Bytes
// whatever n, MariaDB's JSON is String, and lengths are unknown.
func queryColumn(ct *sql.ColumnType, expr string, ownPool bool) srcColumn {
	name := ct.Name()
	sc := srcColumn{name: name, expr: expr}
	col := datasync.Column{Name: name, Nullable: true}
	if n, ok := ct.Nullable(); ok {
		col.Nullable = n
	}
	typ := ct.DatabaseTypeName()
	col.Native = strings.ToLower(typ)
	base := strings.TrimPrefix(typ, "UNSIGNED ")
	switch base {
	case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "BIGINT", "YEAR":
		col.Kind, sc.dec = datasync.KindInt, decInt
		if typ == "UNSIGNED BIGINT" {
			sc.dec = decUint64
		}
	case "BIT", "VECTOR":
		col.Kind, sc.dec = datasync.KindBytes, decBits
	case "DECIMAL":
		col.Kind, sc.dec = datasync.KindDecimal, decDecimal
		if p, s, ok := ct.DecimalSize(); ok {
			col.Precision, col.Scale = int(p), int(s)
		}
	case "FLOAT":
		col.Kind, sc.dec = datasync.KindFloat, decFloat32
		sc.expr = widenFloat(sc.expr)
	case "DOUBLE":
		col.Kind, sc.dec = datasync.KindFloat, decFloat64
	case "VARCHAR", "CHAR", "TEXT", "TINYTEXT", "MEDIUMTEXT", "LONGTEXT", "ENUM", "SET", "NULL":
		col.Kind, sc.dec = datasync.KindString, decString
	case "JSON":
		col.Kind, sc.dec = datasync.KindJSON, decJSON
	case "DATE":
		col.Kind, sc.dec = datasync.KindDate, decDate
	case "DATETIME", "TIMESTAMP", "TIME":
		col.Kind, sc.dec = datasync.KindTimestamp, decDatetime
		if base == "TIMESTAMP" {
			sc.dec = decTimestamp
		}
		if base == "TIME" {
			col.Kind, sc.dec = datasync.KindTime, decTime
		}
		if p, _, ok := ct.DecimalSize(); ok {
			col.Precision = int(p)
		}
	case "GEOMETRY":
		col.Kind, sc.dec = datasync.KindBytes, decGeometry
	default:
		col.Kind, sc.dec = datasync.KindBytes, decBytes
	}
	if !ownPool && temporal(sc.dec) {
		sc.expr = "CAST(" + sc.expr + " AS CHAR)"
	}
	sc.col = col
	return sc
}
