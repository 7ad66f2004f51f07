package mysql

import (
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/datasync-go/datasync"
)

// DescribeSplit returns a split's range readably (datasync.SplitDescriber),
// as the condition it reads: "`id` > 20017 AND `id` <= 40033", "`k` IS
// NULL", or "all rows" for a split read as one query.
func (s *Source) DescribeSplit(sp datasync.Split) (string, error) {
	var spec splitSpec
	if err := sp.DecodeSpec(&spec); err != nil {
		return "", err
	}
	return describeSpec(spec)
}

func describeSpec(spec splitSpec) (string, error) {
	cols := make([]string, len(spec.Key))
	for i, k := range spec.Key {
		cols[i] = quoteIdent(k)
	}
	if spec.Null {
		nulls := make([]string, len(cols))
		for i, c := range cols {
			nulls[i] = c + " IS NULL"
		}
		return strings.Join(nulls, " OR "), nil
	}
	var conds []string
	bound := func(op string, hexes []string) error {
		if len(hexes) == 0 {
			return nil
		}
		vals := make([]string, len(hexes))
		for i, h := range hexes {
			b, err := hex.DecodeString(h)
			if err != nil {
				return err
			}
			vals[i] = readableLiteral(string(b))
		}
		left, right := strings.Join(cols, ", "), strings.Join(vals, ", ")
		if len(cols) > 1 {
			left, right = "("+left+")", "("+right+")"
		}
		conds = append(conds, left+" "+op+" "+right)
		return nil
	}
	if err := bound(">", spec.Lo); err != nil {
		return "", err
	}
	if err := bound("<=", spec.Hi); err != nil {
		return "", err
	}
	if len(conds) == 0 {
		return "all rows", nil
	}
	return strings.Join(conds, " AND "), nil
}

// readableLiteral shows a number as it is and anything else quoted.
func readableLiteral(s string) string {
	if _, err := strconv.ParseFloat(s, 64); err == nil && strings.TrimSpace(s) == s {
		return s
	}
	return strconv.Quote(s)
}
