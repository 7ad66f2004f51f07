package postgres

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A name is an SQL name as written in a config, split into its dot-separated
// parts. PostgreSQL folds an unquoted part to lower case and keeps a quoted
// one exactly; datasync does the same, and remembers which parts were quoted
// so that an unquoted name that only matches with its original case (a table
// created as "Orders" and configured as Orders) can still be found.
type name struct {
	parts  []string
	quoted []bool
	raw    []string // each part as written, unquoted parts with their case
}

// parseName parses s as one to three dot-separated identifiers, each bare or
// double-quoted (with "" standing for a quote inside).
func parseName(s string) (name, error) {
	var n name
	rest := strings.TrimSpace(s)
	if rest == "" {
		return n, errors.New("empty name")
	}
	for {
		var part, raw string
		var quoted bool
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		if strings.HasPrefix(rest, `"`) {
			var b strings.Builder
			i := 1
			for {
				j := strings.IndexByte(rest[i:], '"')
				if j < 0 {
					return n, fmt.Errorf("unterminated quoted identifier in %q", s)
				}
				b.WriteString(rest[i : i+j])
				i += j + 1
				if i < len(rest) && rest[i] == '"' {
					b.WriteByte('"')
					i++
					continue
				}
				break
			}
			part, raw, quoted = b.String(), b.String(), true
			rest = rest[i:]
			if part == "" {
				return n, fmt.Errorf("empty quoted identifier in %q", s)
			}
		} else {
			end := strings.IndexByte(rest, '.')
			if end < 0 {
				end = len(rest)
			}
			raw = strings.TrimSpace(rest[:end])
			if !isBareIdent(raw) {
				return n, fmt.Errorf("%q is not an identifier (quote it with double quotes)", raw)
			}
			part = strings.ToLower(raw)
			rest = rest[end:]
		}
		n.parts = append(n.parts, part)
		n.raw = append(n.raw, raw)
		n.quoted = append(n.quoted, quoted)
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		if rest == "" {
			break
		}
		if rest[0] != '.' {
			return n, fmt.Errorf("unexpected %q in name %q", rest, s)
		}
		rest = rest[1:]
	}
	if len(n.parts) > 3 {
		return n, fmt.Errorf("%q has more than three parts", s)
	}
	return n, nil
}

// isBareIdent reports whether s is an identifier PostgreSQL accepts without
// quotes: a letter or underscore, then letters, digits, underscores and
// dollar signs.
func isBareIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || unicode.IsLetter(r):
		case i > 0 && (r == '$' || unicode.IsDigit(r)):
		default:
			return false
		}
	}
	return utf8.ValidString(s)
}

// asWritten returns the name with unquoted parts keeping the case they were
// written in: the second guess when the folded name does not exist.
func (n name) asWritten() name {
	return name{parts: n.raw, quoted: n.quoted, raw: n.raw}
}

// folds reports whether asWritten differs from n.
func (n name) folds() bool {
	for i, p := range n.parts {
		if p != n.raw[i] {
			return true
		}
	}
	return false
}

// quoted returns the name with every part quoted, for SQL.
func (n name) sql() string {
	q := make([]string, len(n.parts))
	for i, p := range n.parts {
		q[i] = quoteIdent(p)
	}
	return strings.Join(q, ".")
}

// quoteIdent quotes an identifier for SQL.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// quoteLiteral quotes a string as an SQL literal that means the same whatever
// standard_conforming_strings says.
func quoteLiteral(s string) string {
	if strings.ContainsRune(s, '\\') {
		return `E'` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `'`, `''`) + `'`
	}
	return `'` + strings.ReplaceAll(s, `'`, `''`) + `'`
}

// columnRef is one entry of a `column` list: a column of the table, or (for
// a source) an SQL expression such as upper(name) or 'constant'.
type columnRef struct {
	text  string // as configured
	ident *name  // set when text is a single identifier
}

func parseColumnRef(s string) (columnRef, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return columnRef{}, errors.New("empty column")
	}
	if n, err := parseName(t); err == nil && len(n.parts) == 1 {
		return columnRef{text: t, ident: &n}, nil
	}
	return columnRef{text: t}, nil
}

// match returns the index of the column ref names among names: exactly as
// PostgreSQL resolves it first (folded unless quoted), then, for an unquoted
// name, as written, then ignoring case when that is unambiguous. -1 when none.
func (c columnRef) match(names []string) int {
	if c.ident == nil {
		return -1
	}
	folded, raw := c.ident.parts[0], c.ident.raw[0]
	for i, n := range names {
		if n == folded {
			return i
		}
	}
	if c.ident.quoted[0] {
		return -1
	}
	for i, n := range names {
		if n == raw {
			return i
		}
	}
	found := -1
	for i, n := range names {
		if strings.EqualFold(n, raw) {
			if found >= 0 {
				return -1
			}
			found = i
		}
	}
	return found
}
