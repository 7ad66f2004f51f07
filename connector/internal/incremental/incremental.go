// Package incremental holds what the SQL sources share for incremental
// sync (datasync.IncrementalSource): moving a mark back by the lookback.
package incremental

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/datasync-go/datasync"
)

// timeLayouts are the forms databases print dates and times in: PostgreSQL's
// JSON (ISO 8601, with an offset for timestamptz) and MySQL's text.
var timeLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}

// Column returns the schema column named name, case-insensitively.
func Column(schema datasync.Schema, name string) (datasync.Column, error) {
	for _, c := range schema {
		if c.Name == name {
			return c, nil
		}
	}
	for _, c := range schema {
		if strings.EqualFold(c.Name, name) {
			return c, nil
		}
	}
	return datasync.Column{}, fmt.Errorf("incremental column %q is not among the columns read (%s)", name, strings.Join(schema.Names(), ", "))
}

// Check reports settings that cannot work for a column of kind k.
func Check(inc datasync.Incremental, col datasync.Column) error {
	switch col.Kind {
	case datasync.KindInt, datasync.KindDecimal:
		if inc.Lookback != 0 {
			return fmt.Errorf("incremental column %q holds numbers: its lookback is a number of units (lookbackUnits), not a duration", col.Name)
		}
	case datasync.KindDate, datasync.KindTimestamp:
		if inc.LookbackUnits != 0 {
			return fmt.Errorf("incremental column %q holds times: its lookback is a duration, not a number of units", col.Name)
		}
	case datasync.KindString:
		if inc.Lookback != 0 || inc.LookbackUnits != 0 {
			return fmt.Errorf("incremental column %q holds text, which has no lookback", col.Name)
		}
	default:
		return fmt.Errorf("incremental column %q has kind %s: want an integer, decimal, date, timestamp or text column", col.Name, col.Kind)
	}
	if inc.Lookback < 0 || inc.LookbackUnits < 0 {
		return fmt.Errorf("incremental column %q: the lookback is negative", col.Name)
	}
	return nil
}

// Back returns mark, a value of col as its database prints it, moved back
// by the lookback of inc (unchanged when there is none).
func Back(mark string, col datasync.Column, inc datasync.Incremental) (string, error) {
	if err := Check(inc, col); err != nil {
		return "", err
	}
	switch {
	case inc.LookbackUnits > 0:
		if n, err := strconv.ParseInt(mark, 10, 64); err == nil && n-inc.LookbackUnits < n {
			return strconv.FormatInt(n-inc.LookbackUnits, 10), nil
		}
		r, ok := new(big.Rat).SetString(mark)
		if !ok {
			return "", fmt.Errorf("incremental column %q: mark %q is not a number", col.Name, mark)
		}
		r.Sub(r, new(big.Rat).SetInt64(inc.LookbackUnits))
		digits := 0
		if i := strings.IndexByte(mark, '.'); i >= 0 {
			digits = len(mark) - i - 1
		}
		return r.FloatString(digits), nil
	case inc.Lookback > 0:
		for _, layout := range timeLayouts {
			t, err := time.Parse(layout, mark)
			if err != nil {
				continue
			}
			t = t.Add(-inc.Lookback)
			out := strings.Replace(strings.Replace(layout, ".999999999", ".000000", 1), "Z07:00", "-07:00", 1)
			if layout == "2006-01-02" {
				if inc.Lookback%(24*time.Hour) != 0 {
					return "", fmt.Errorf("incremental column %q holds dates: its lookback must be whole days, not %v", col.Name, inc.Lookback)
				}
			}
			return t.Format(out), nil
		}
		return "", fmt.Errorf("incremental column %q: mark %q is not a date or time", col.Name, mark)
	}
	return mark, nil
}
