package textcodec

import "time"

func monthOf(m int64) time.Month { return time.Month(m) }

// parseZoneBytes reads Z, ±HH, ±HHMM or ±HH:MM and returns its length and
// the offset in seconds.
func parseZoneBytes(s []byte) (int, int64, bool) {
	if s[0] == 'Z' || s[0] == 'z' {
		return 1, 0, true
	}
	if s[0] != '+' && s[0] != '-' {
		return 0, 0, false
	}
	sign := int64(1)
	if s[0] == '-' {
		sign = -1
	}
	i := 1
	var digits [4]int64
	n := 0
	for i < len(s) && n < 4 {
		if s[i] == ':' && n == 2 {
			if i+2 >= len(s) || !isDigit(s[i+1]) || !isDigit(s[i+2]) {
				break // a colon is not an offset without the minutes after it
			}
			i++
			continue
		}
		if !isDigit(s[i]) {
			break
		}
		digits[n] = int64(s[i] - '0')
		n++
		i++
	}
	if n != 2 && n != 4 {
		return 0, 0, false
	}
	h := digits[0]*10 + digits[1]
	m := digits[2]*10 + digits[3]
	if h > 15 || m > 59 {
		return 0, 0, false
	}
	return i, sign * (h*3600 + m*60), true
}
