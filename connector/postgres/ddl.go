package postgres

import (
	"fmt"
	"slices"
	"strings"

	"github.com/datasync-go/datasync"
)

// createTableSQL returns the CREATE TABLE statement for a table holding
// records of schema, with the given column names (see the package doc for
// the types chosen).
func createTableSQL(table string, names []string, schema datasync.Schema) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS %s (", table)
	type keyCol struct{ pos, col int }
	var key []keyCol
	for i, c := range schema {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteIdent(names[i]))
		b.WriteByte(' ')
		b.WriteString(columnType(c))
		if !c.Nullable {
			b.WriteString(" NOT NULL")
		}
		if c.Key > 0 {
			key = append(key, keyCol{c.Key, i})
		}
	}
	if len(key) > 0 {
		slices.SortFunc(key, func(a, b keyCol) int { return a.pos - b.pos })
		b.WriteString(", PRIMARY KEY (")
		for i, k := range key {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(quoteIdent(names[k.col]))
		}
		b.WriteByte(')')
	}
	b.WriteByte(')')
	return b.String()
}

// columnType chooses the PostgreSQL type of a new column: by kind, refined
// by the source's native type where it names a PostgreSQL type that holds
// the values exactly.
func columnType(c datasync.Column) string {
	native := strings.ToLower(strings.TrimSpace(c.Native))
	base := native
	if i := strings.IndexByte(base, '('); i >= 0 {
		base = strings.TrimSpace(base[:i])
	}
	switch c.Kind {
	case datasync.KindBool:
		return "boolean"
	case datasync.KindInt:
		if strings.Contains(native, "unsigned") {
			return "bigint"
		}
		switch base {
		case "smallint", "int2", "tinyint":
			return "smallint"
		case "integer", "int", "int4", "mediumint":
			return "integer"
		}
		return "bigint"
	case datasync.KindFloat:
		if base == "real" || base == "float4" || base == "float" {
			return "real"
		}
		return "double precision"
	case datasync.KindDecimal:
		if c.Precision > 0 && c.Precision <= 1000 && c.Scale >= 0 && c.Scale <= c.Precision {
			return fmt.Sprintf("numeric(%d,%d)", c.Precision, c.Scale)
		}
		return "numeric"
	case datasync.KindBytes:
		return "bytea"
	case datasync.KindDate:
		return "date"
	case datasync.KindTime:
		return "time" + precision(c)
	case datasync.KindTimestamp:
		switch {
		case strings.Contains(native, "without time zone"), base == "datetime", base == "smalldatetime":
			return "timestamp" + precision(c)
		case strings.Contains(native, "with time zone"), base == "timestamptz", base == "timestamp":
			return "timestamptz" + precision(c)
		}
		return "timestamp" + precision(c)
	case datasync.KindJSON:
		if base == "jsonb" {
			return "jsonb"
		}
		if elem, ok := strings.CutSuffix(native, "[]"); ok && pgScalarType(elem) {
			return native
		}
		return "json"
	case datasync.KindString:
		switch {
		case pgStringType(native):
			return native
		case strings.HasPrefix(native, "character(") && c.Length > 0:
			return fmt.Sprintf("character(%d)", c.Length)
		case c.Length > 0 && c.Length <= 10_485_760:
			return fmt.Sprintf("character varying(%d)", c.Length)
		}
		return "text"
	}
	return "text"
}

func precision(c datasync.Column) string {
	if c.Precision > 0 && c.Precision < 6 {
		return fmt.Sprintf("(%d)", c.Precision)
	}
	return ""
}

// pgStringType reports whether native is a PostgreSQL type datasync reads as
// String that a new column can take as it is.
func pgStringType(native string) bool {
	switch native {
	case "uuid", "inet", "cidr", "macaddr", "macaddr8", "interval", "xml", "money":
		return true
	}
	return strings.HasPrefix(native, "time with time zone") ||
		(strings.HasPrefix(native, "time(") && strings.HasSuffix(native, "with time zone")) ||
		strings.HasPrefix(native, "bit(") || strings.HasPrefix(native, "bit varying")
}

// pgScalarType reports whether native is a built-in PostgreSQL type name, as
// format_type writes it, usable as an array element.
func pgScalarType(native string) bool {
	for _, p := range []string{"smallint", "integer", "bigint", "real", "double precision", "numeric",
		"boolean", "text", "character varying", "character(", "bytea", "date", "time", "timestamp",
		"interval", "uuid", "json", "jsonb", "inet", "cidr", "macaddr", "bit", "money"} {
		if native == p || strings.HasPrefix(native, p+"(") || strings.HasPrefix(native, p+" ") || (strings.HasSuffix(p, "(") && strings.HasPrefix(native, p)) {
			return true
		}
	}
	return false
}
