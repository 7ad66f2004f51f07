// Package numfmt formats numbers for people: the command's reports and the
// benchmark's tables.
package numfmt

import (
	"fmt"
	"strconv"
)

// Group formats n with a comma between groups of three digits:
// 1234567 is "1,234,567".
func Group(n int64) string {
	digits := strconv.AppendInt(nil, n, 10)
	sign := ""
	if digits[0] == '-' {
		sign, digits = "-", digits[1:]
	}
	out := make([]byte, 0, len(digits)+len(digits)/3)
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, c)
	}
	return sign + string(out)
}

// Bytes formats n bytes with a decimal unit: "999 B", "1.5 kB", "212.4 MB",
// "3.0 GB".
func Bytes(n int64) string {
	const unit = 1000
	if n < unit && n > -unit {
		return fmt.Sprintf("%d B", n)
	}
	f := float64(n)
	for _, suffix := range []string{"kB", "MB", "GB", "TB"} {
		f /= unit
		if f < unit && f > -unit {
			return fmt.Sprintf("%.1f %s", f, suffix)
		}
	}
	return fmt.Sprintf("%.1f PB", f/unit)
}
