// Package numfmt formats numbers for people: the command's reports and the
// benchmark's tables.
package numfmt

import "strconv"

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
