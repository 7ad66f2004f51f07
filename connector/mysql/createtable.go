package mysql

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/datasync-go/datasync"
)

// createTableSQL returns the CREATE TABLE for a missing target, from the
// source's schema. The types are chosen to hold every value of the kind
// (see the package doc); a MySQL type named in Column.Native is kept when it
// is one of the types below that the kind alone cannot tell (an unsigned or
// smaller integer, BIT, YEAR, ENUM, SET, FLOAT, CHAR, BINARY, a spatial
// type, TIMESTAMP). Key columns (Column.Key) become the primary key.
func createTableSQL(t tableName, schema datasync.Schema) (string, error) {
	if len(schema) == 0 {
		return "", errors.New("the source has no columns")
	}
	var defs, errs []string
	type keyPart struct {
		pos  int
		name string
	}
	var key []keyPart
	keyOK := true
	for _, c := range schema {
		typ, err := mysqlType(c)
		if err != nil {
			errs = append(errs, fmt.Sprintf("column %q: %v", c.Name, err))
			continue
		}
		def := quoteIdent(c.Name) + " " + typ
		if !c.Nullable {
			def += " NOT NULL"
		}
		defs = append(defs, def)
		if c.Key > 0 {
			key = append(key, keyPart{c.Key, quoteIdent(c.Name)})
			keyOK = keyOK && !strings.Contains(typ, "text") && !strings.Contains(typ, "blob") && !strings.Contains(typ, "json")
		}
	}
	if len(errs) > 0 {
		return "", errors.New(strings.Join(errs, "; "))
	}
	if len(key) > 0 && keyOK {
		sort.Slice(key, func(i, j int) bool { return key[i].pos < key[j].pos })
		names := make([]string, len(key))
		for i, k := range key {
			names[i] = k.name
		}
		defs = append(defs, "PRIMARY KEY ("+strings.Join(names, ", ")+")")
	}
	return "CREATE TABLE " + t.quoted() + " (\n  " + strings.Join(defs, ",\n  ") +
		"\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", nil
}

// nativeKept matches the MySQL types createTableSQL keeps from Column.Native.
var nativeKept = regexp.MustCompile(`^(?i:(tinyint|smallint|mediumint|int|bigint)(\(\d+\))?( unsigned)?( zerofill)?|` +
	`bit\(\d+\)|year(\(4\))?|enum\(.*\)|set\(.*\)|float|char\(\d+\)|binary\(\d+\)|timestamp(\(\d\))?|` +
	`geometry|point|linestring|polygon|multipoint|multilinestring|multipolygon|geometrycollection|geomcollection)$`)

// mysqlType returns the column type for c.
func mysqlType(c datasync.Column) (string, error) {
	native := strings.TrimSpace(c.Native)
	// The server prints enum and set members through utf8mb3, with '?' for
	// a four-byte character: such a definition cannot be trusted.
	lossy := strings.Contains(native, "?")
	if nativeKept.MatchString(native) && !lossy {
		ok := true
		switch c.Kind {
		case datasync.KindInt, datasync.KindBool:
			ok = !strings.HasPrefix(strings.ToLower(native), "enum") && !strings.HasPrefix(strings.ToLower(native), "set")
		case datasync.KindString:
			ok = strings.HasPrefix(strings.ToLower(native), "enum") || strings.HasPrefix(strings.ToLower(native), "set") ||
				strings.HasPrefix(strings.ToLower(native), "char")
		case datasync.KindBytes:
			lower := strings.ToLower(native)
			ok = strings.HasPrefix(lower, "bit") || strings.HasPrefix(lower, "binary") || !strings.Contains(lower, "(")
		case datasync.KindFloat:
			ok = strings.EqualFold(native, "float")
		case datasync.KindTimestamp:
			ok = strings.HasPrefix(strings.ToLower(native), "timestamp") && !strings.Contains(strings.ToLower(native), "time zone")
		default:
			ok = false
		}
		if ok {
			return native, nil
		}
	}
	switch c.Kind {
	case datasync.KindBool:
		return "tinyint(1)", nil
	case datasync.KindInt:
		return "bigint", nil
	case datasync.KindFloat:
		if single := strings.ToLower(native); single == "real" || single == "float4" {
			return "float", nil // PostgreSQL's single precision
		}
		return "double", nil
	case datasync.KindDecimal:
		p, s := c.Precision, c.Scale
		if p <= 0 || p > 65 || s > 30 || s > p {
			return "decimal(65,30)", nil
		}
		return fmt.Sprintf("decimal(%d,%d)", p, s), nil
	case datasync.KindString:
		if c.Length > 0 && c.Length <= 16383 {
			return fmt.Sprintf("varchar(%d)", c.Length), nil
		}
		return "longtext", nil
	case datasync.KindBytes:
		if c.Length > 0 && c.Length <= 65535 {
			return fmt.Sprintf("varbinary(%d)", c.Length), nil
		}
		return "longblob", nil
	case datasync.KindDate:
		return "date", nil
	case datasync.KindTime:
		return fmt.Sprintf("time(%d)", fsp(c)), nil
	case datasync.KindTimestamp:
		return fmt.Sprintf("datetime(%d)", fsp(c)), nil
	case datasync.KindJSON:
		return "json", nil
	}
	return "", fmt.Errorf("no MySQL type for kind %s", c.Kind)
}

func fsp(c datasync.Column) int {
	if c.Precision <= 0 || c.Precision > 6 {
		return 6
	}
	return c.Precision
}
