package mysql

import (
	"fmt"
	"strings"
)

// SQL text: identifiers, string literals, and the escaping shared by INSERT
// literals and LOAD DATA streams. Sessions of this package never have
// NO_BACKSLASH_ESCAPES (see sessionSetup), so backslash escapes are safe.

// quoteIdent quotes a MySQL identifier with backticks.
func quoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// tableName is a table, optionally in another database than the
// connection's.
type tableName struct {
	db, table string
}

// parseTableName splits "table", "db.table", "`db`.`t.x`" into its parts.
func parseTableName(s string) (tableName, error) {
	var parts []string
	rest := strings.TrimSpace(s)
	for rest != "" {
		var part string
		if rest[0] == '`' {
			end := -1
			for i := 1; i < len(rest); i++ {
				if rest[i] == '`' {
					if i+1 < len(rest) && rest[i+1] == '`' {
						i++
						continue
					}
					end = i
					break
				}
			}
			if end < 0 {
				return tableName{}, fmt.Errorf("table %q: unterminated backtick", s)
			}
			part = strings.ReplaceAll(rest[1:end], "``", "`")
			rest = rest[end+1:]
		} else {
			i := strings.IndexByte(rest, '.')
			if i < 0 {
				i = len(rest)
			}
			part = strings.TrimSpace(rest[:i])
			rest = rest[i:]
		}
		if part == "" {
			return tableName{}, fmt.Errorf("table %q: empty name", s)
		}
		parts = append(parts, part)
		if rest == "" {
			break
		}
		if rest[0] != '.' {
			return tableName{}, fmt.Errorf("table %q: unexpected %q", s, rest)
		}
		rest = rest[1:]
		if rest == "" {
			return tableName{}, fmt.Errorf("table %q: empty name after the dot", s)
		}
	}
	switch len(parts) {
	case 1:
		return tableName{table: parts[0]}, nil
	case 2:
		return tableName{db: parts[0], table: parts[1]}, nil
	}
	return tableName{}, fmt.Errorf("table %q: want table or db.table", s)
}

// quoted returns the table for SQL text.
func (t tableName) quoted() string {
	if t.db == "" {
		return quoteIdent(t.table)
	}
	return quoteIdent(t.db) + "." + quoteIdent(t.table)
}

// String returns the table for messages.
func (t tableName) String() string {
	if t.db == "" {
		return t.table
	}
	return t.db + "." + t.table
}

// quoteString returns s as a single-quoted SQL string literal.
func quoteString(s string) string {
	b := make([]byte, 0, len(s)+2)
	b = append(b, '\'')
	b = appendSQLEscaped(b, s)
	return string(append(b, '\''))
}

// sqlEscapes and loadEscapes map the bytes that need a backslash escape to
// the letter that follows the backslash; a table scan is faster than a
// switch on every byte of every value.
var (
	sqlEscapes  = [256]byte{0: '0', '\n': 'n', '\r': 'r', '\\': '\\', '\'': '\'', '"': '"', 0x1a: 'Z'}
	loadEscapes = [256]byte{0: '0', '\t': 't', '\n': 'n', '\r': 'r', '\\': '\\', 0x1a: 'Z'}
)

// appendSQLEscaped appends p escaped for the inside of a quoted literal, as
// mysql_real_escape_string does.
func appendSQLEscaped[T string | []byte](dst []byte, p T) []byte {
	return appendEscaped(dst, p, &sqlEscapes)
}

// appendLoadEscaped appends p escaped for a field of the LOAD DATA format
// used here (FIELDS TERMINATED BY '\t' ESCAPED BY '\\', LINES TERMINATED BY
// '\n', no enclosure).
func appendLoadEscaped(dst []byte, p []byte) []byte {
	return appendEscaped(dst, p, &loadEscapes)
}

func appendEscaped[T string | []byte](dst []byte, p T, table *[256]byte) []byte {
	start := 0
	for i := 0; i < len(p); i++ {
		if esc := table[p[i]]; esc != 0 {
			dst = append(dst, p[start:i]...)
			dst = append(dst, '\\', esc)
			start = i + 1
		}
	}
	return append(dst, p[start:]...)
}

// withTable replaces "@table" in a pre- or post-SQL statement.
func withTable(stmt string, t tableName) string {
	return strings.ReplaceAll(stmt, "@table", t.quoted())
}
