// Package civil holds the calendar arithmetic that the datasync package and
// its connectors share: leap years, month lengths, and the fraction of a
// second as the text formats write it.
package civil

// IsLeap reports whether year y of the proleptic Gregorian calendar is a
// leap year.
func IsLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// DaysIn returns the number of days of month m (1 to 12) of year y.
func DaysIn(y int64, m int) int {
	switch m {
	case 2:
		if IsLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// ValidDate reports whether y-m-d is a date: m from 1 to 12, d within the
// month.
func ValidDate(y int64, m, d int) bool {
	return m >= 1 && m <= 12 && d >= 1 && d <= DaysIn(y, m)
}

// AppendFraction appends micros (0 to 999,999) as a fraction of a second,
// ".ffffff" without trailing zeros, or nothing when it is 0.
func AppendFraction(dst []byte, micros uint64) []byte {
	if micros == 0 {
		return dst
	}
	var buf [7]byte
	buf[0] = '.'
	for i := 6; i >= 1; i-- {
		buf[i] = byte('0' + micros%10)
		micros /= 10
	}
	n := 7
	for buf[n-1] == '0' {
		n--
	}
	return append(dst, buf[:n]...)
}
