package mysql

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// Expression columns: DataX's mysqlreader takes select-list expressions in
// column ('const', 1, null, now(), concat(a, b), id + 1, upper(a) AS u).
// An entry that names no column of the table and is not a plain name is
// read as an expression; its kind comes from the server's result metadata.

// plainName matches a bare or backquoted identifier: a name that is not in
// the table is a mistake, not an expression.
var plainName = regexp.MustCompile("^(?:[A-Za-z_$\u0080-\uffff][0-9A-Za-z_$\u0080-\uffff]*|`(?:[^`]|``)+`)$")

// trailingAlias matches an expression ending with AS alias.
var trailingAlias = regexp.MustCompile("(?is)^(.*\\S)\\s+AS\\s+([A-Za-z_$\u0080-\uffff][0-9A-Za-z_$\u0080-\uffff]*|`(?:[^`]|``)+`)$")

// sqlConstantWord reports whether a bare word is one of SQL's constants or
// value functions rather than a column name.
func sqlConstantWord(s string) bool {
	switch strings.ToLower(s) {
	case "null", "true", "false", "current_date", "current_time", "current_timestamp",
		"localtime", "localtimestamp", "current_user", "utc_date", "utc_time", "utc_timestamp":
		return true
	}
	return false
}

// isExpression reports whether a column entry that is not a column of the
// table is to be read as an expression.
func isExpression(entry string) bool {
	t := strings.TrimSpace(entry)
	return t != "" && (!plainName.MatchString(t) || sqlConstantWord(t))
}

// splitAlias returns the expression without its AS alias, and the name of
// its column: the alias, or else the expression as written.
func splitAlias(entry string) (expr, name string) {
	t := strings.TrimSpace(entry)
	if m := trailingAlias.FindStringSubmatch(t); m != nil {
		return m[1], unquoteIdent(m[2])
	}
	return t, t
}

// describeExpressions asks the server for the result types of the
// expression columns at positions of cols (which hold their text in expr)
// and fills them in. It reads no row.
func describeExpressions(ctx context.Context, c *conn, m *tableMeta, cols []srcColumn, positions []int, own bool) error {
	exprs := make([]string, len(positions))
	for k, i := range positions {
		exprs[k] = "(" + cols[i].expr + ")"
	}
	rows, err := c.QueryContext(ctx, "SELECT "+strings.Join(exprs, ", ")+" FROM "+m.name.quoted()+" LIMIT 0")
	if err != nil {
		return fmt.Errorf("column expressions %s: %w", strings.Join(exprs, ", "), classify(err))
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return fmt.Errorf("column expressions: %w", err)
	}
	for k, i := range positions {
		name := cols[i].name
		cols[i] = queryColumn(types[k], exprs[k], own)
		cols[i].name, cols[i].col.Name = name, name
	}
	return nil
}
