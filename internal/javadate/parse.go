package javadate

import (
	"errors"
	"fmt"
	"strings"
)

// maxYear bounds the years Parse reads, beyond the range of any date a
// database holds.
const maxYear = 999_999_999

// ErrMismatch is the error of a text that does not have the layout's shape.
var ErrMismatch = errors.New("does not match the pattern")

// parsed collects what Parse read.
type parsed struct {
	Fields
	era        int // 0 none, 1 AD, -1 BC
	yearDigits int // digits of the year as read, for the two-digit window
	pm         int // 0 none, 1 AM, 2 PM
	hour12     int // h or K as read, -1 none
	doy        int64
	weekday    int // 0 none, else 1 (Sunday) to 7
	millis     bool
}

// Parse reads s, which must match the layout entirely. Fields the layout
// does not have are those of 1970-01-01 00:00:00; HasZone says whether a
// zone was read (and Offset holds it). Values out of range are errors, and
// so is a day of the week (E, u) that is not the date's, when the layout
// has a whole date (a day of the week with no whole date is not used).
func (l *Layout) Parse(s []byte) (Fields, error) {
	p := parsed{Fields: Fields{Year: 1970, Month: 1, Day: 1}, hour12: -1}
	i := 0
	for k, it := range l.items {
		var err error
		switch it.kind {
		case kLiteral:
			if len(s)-i < len(it.literal) || string(s[i:i+len(it.literal)]) != it.literal {
				return p.Fields, ErrMismatch
			}
			i += len(it.literal)
			continue
		case kEra:
			var n int
			if n, i, err = matchName(s, i, []string{"BC", "AD"}, 2); err == nil {
				p.era = 2*n - 1
			}
		case kMonth:
			if it.count >= 3 {
				var n int
				if n, i, err = matchName(s, i, monthNames[:], 3); err == nil {
					p.Month = n + 1
				}
				break
			}
			fallthrough
		case kYear, kDay, kDayOfYear, kWeekdayNum, kHour23, kHour24, kHour11, kHour12, kMinute, kSecond, kMillis:
			var v int64
			var digits int
			v, digits, i, err = l.number(s, i, k)
			if err != nil {
				break
			}
			err = p.set(it, v, digits)
		case kFraction:
			start, limit := i, 9
			if l.abutsNumber(k) {
				limit = it.count
			}
			for i < len(s) && i-start < limit && isDigit(s[i]) {
				i++
			}
			if i == start || limit == it.count && i-start != it.count {
				return p.Fields, ErrMismatch
			}
			us := 0
			for j := range 6 {
				us *= 10
				if start+j < i {
					us += int(s[start+j] - '0')
				}
			}
			for j := start + 6; j < i; j++ {
				if s[j] != '0' {
					return p.Fields, errors.New("has more precision than microseconds")
				}
			}
			p.Micros = us
		case kWeekday:
			var n int
			if n, i, err = matchName(s, i, dayNames[:], 3); err == nil {
				p.weekday = n + 1
			}
		case kAmPm:
			var n int
			if n, i, err = matchName(s, i, []string{"AM", "PM"}, 2); err == nil {
				p.pm = n + 1
			}
		case kZoneName:
			i, err = p.zoneName(s, i)
		case kZoneRFC:
			if n, off, ok := parseOffset(s[i:], true, false); ok {
				i += n
				p.Offset, p.HasZone = off, true
			} else {
				i, err = p.zoneName(s, i) // Java takes a general zone too
			}
		case kZoneISO:
			if i < len(s) && s[i] == 'Z' {
				i++
				p.Offset, p.HasZone = 0, true
				break
			}
			n, off, ok := parseOffset(s[i:], it.count >= 2, it.count == 3)
			if !ok {
				err = ErrMismatch
				break
			}
			i += n
			p.Offset, p.HasZone = off, true
		}
		if err != nil {
			return p.Fields, err
		}
	}
	if i != len(s) {
		return p.Fields, ErrMismatch
	}
	return p.resolve(l)
}

// number reads the number of item k at s[i:]: exactly its count of digits
// when another number follows it directly, else as many digits as there
// are (a year may have a sign).
func (l *Layout) number(s []byte, i, k int) (v int64, digits, next int, err error) {
	it := l.items[k]
	neg := false
	if it.kind == kYear && !l.has[kEra] && i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	maxw := len(s) // as many digits as there are
	if l.abutsNumber(k) {
		maxw = it.count
	}
	start := i
	for i < len(s) && i-start < maxw && isDigit(s[i]) {
		if v > 1e17 {
			return 0, 0, i, errors.New("has a number too large for a date")
		}
		v = v*10 + int64(s[i]-'0')
		i++
	}
	digits = i - start
	if digits == 0 || l.abutsNumber(k) && digits != it.count {
		return 0, 0, i, ErrMismatch
	}
	if neg {
		v = -v
	}
	return v, digits, i, nil
}

// abutsNumber reports whether item k is directly followed by a number.
func (l *Layout) abutsNumber(k int) bool {
	if k+1 >= len(l.items) {
		return false
	}
	next := l.items[k+1]
	return next.numeric() || next.kind == kFraction || next.kind == kLiteral && isDigit(next.literal[0])
}

// set stores a number read for it.
func (p *parsed) set(it item, v int64, digits int) error {
	switch it.kind {
	case kYear:
		p.Year, p.yearDigits = v, digits
		if it.count > 2 {
			p.yearDigits = 0 // read literally
		}
	case kMonth:
		p.Month = int(min(v, 99))
	case kDay:
		p.Day = int(min(v, 99))
	case kDayOfYear:
		p.doy = v
	case kWeekdayNum:
		if v < 1 || v > 7 {
			return fmt.Errorf("day number of the week %d is not 1 (Monday) to 7", v)
		}
		p.weekday = int(v%7) + 1
	case kHour23:
		p.Hour = int(min(v, 99))
		if v > 24 {
			return fmt.Errorf("hour %d is not 0 to 23", v)
		}
	case kHour24:
		if v < 1 || v > 24 {
			return fmt.Errorf("hour %d is not 1 to 24", v)
		}
		p.Hour = int(v % 24)
	case kHour11:
		if v > 11 {
			return fmt.Errorf("hour %d is not 0 to 11", v)
		}
		p.hour12 = int(v)
	case kHour12:
		if v < 1 || v > 12 {
			return fmt.Errorf("hour %d is not 1 to 12", v)
		}
		p.hour12 = int(v % 12)
	case kMinute:
		if v > 59 {
			return fmt.Errorf("minute %d is not 0 to 59", v)
		}
		p.Minute = int(v)
	case kSecond:
		if v > 59 {
			return fmt.Errorf("second %d is not 0 to 59", v)
		}
		p.Second = int(v)
	case kMillis:
		if v > 999 {
			return fmt.Errorf("millisecond %d is not 0 to 999", v)
		}
		p.Micros = int(v) * 1000
	}
	return nil
}

// resolve checks the fields read and combines them.
func (p *parsed) resolve(l *Layout) (Fields, error) {
	f := &p.Fields
	if p.yearDigits == 2 && f.Year >= 0 {
		// Java's window: the century that puts the year within 80 years
		// before and 20 after the pattern's compilation.
		base := l.pivot
		y := base/100*100 + f.Year
		if y < base {
			y += 100
		}
		f.Year = y
	}
	if p.era == -1 {
		f.Year = 1 - f.Year
	}
	if p.hour12 >= 0 {
		f.Hour = p.hour12
		if p.pm == 2 {
			f.Hour += 12
		}
	}
	if f.Year > maxYear || f.Year < -maxYear {
		return *f, fmt.Errorf("year %d is out of range (at most nine digits)", f.Year)
	}
	if f.Month < 1 || f.Month > 12 {
		return *f, fmt.Errorf("month %d is not 1 to 12", f.Month)
	}
	if p.doy != 0 {
		if p.doy < 1 || p.doy > 365+int64(leap(f.Year)) {
			return *f, fmt.Errorf("day of the year %d is out of range", p.doy)
		}
		days := daysFromCivil(f.Year, 1, 1) + p.doy - 1
		y, m, d := civilFromDays(days)
		if l.has[kMonth] && m != f.Month || l.has[kDay] && d != f.Day {
			return *f, fmt.Errorf("day of the year %d is not %04d-%02d-%02d", p.doy, f.Year, f.Month, f.Day)
		}
		f.Year, f.Month, f.Day = y, m, d
	}
	if f.Day < 1 || f.Day > daysIn(f.Year, f.Month) {
		return *f, fmt.Errorf("day %d is out of range for %04d-%02d", f.Day, f.Year, f.Month)
	}
	if f.Hour == 24 && (f.Minute != 0 || f.Second != 0 || f.Micros != 0) {
		return *f, errors.New("hour 24 is only the end of a day (24:00:00)")
	}
	complete := l.has[kMonth] && l.has[kDay] || l.has[kDayOfYear]
	if p.weekday != 0 && complete && weekday(f.Year, f.Month, f.Day)+1 != p.weekday {
		return *f, fmt.Errorf("%04d-%02d-%02d is a %s, not a %s", f.Year, f.Month, f.Day,
			dayNames[weekday(f.Year, f.Month, f.Day)], dayNames[p.weekday-1])
	}
	return *f, nil
}

// zoneName reads a general time zone: UTC, GMT, UT, their long names, a
// GMT offset (GMT+8, GMT+08:00) or an RFC 822 offset.
func (p *parsed) zoneName(s []byte, i int) (int, error) {
	for _, name := range []string{"Coordinated Universal Time", "Greenwich Mean Time", "UTC", "GMT", "UT"} {
		if hasPrefixFold(s[i:], name) {
			i += len(name)
			p.Offset, p.HasZone = 0, true
			if name == "GMT" { // Java reads GMT+08:00 as a zone of its own
				if n, off, ok := parseGMTOffset(s[i:]); ok {
					i += n
					p.Offset = off
				}
			}
			return i, nil
		}
	}
	if n, off, ok := parseOffset(s[i:], true, false); ok {
		p.Offset, p.HasZone = off, true
		return i + n, nil
	}
	return i, errors.New("has no time zone datasync knows here (UTC, GMT, GMT+08:00, +0800)")
}

// parseGMTOffset reads the +h, +hh, +hhmm or +hh:mm after GMT.
func parseGMTOffset(s []byte) (int, int, bool) {
	if len(s) < 2 || s[0] != '+' && s[0] != '-' || !isDigit(s[1]) {
		return 0, 0, false
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	i := 1
	h := 0
	for i < len(s) && i < 3 && isDigit(s[i]) {
		h = h*10 + int(s[i]-'0')
		i++
	}
	m := 0
	if i+2 < len(s)+0 && s[i] == ':' && isDigit(s[i+1]) && i+2 < len(s) && isDigit(s[i+2]) {
		m = int(s[i+1]-'0')*10 + int(s[i+2]-'0')
		i += 3
	} else if i == 3 && i+1 < len(s) && isDigit(s[i]) && isDigit(s[i+1]) {
		m = int(s[i]-'0')*10 + int(s[i+1]-'0')
		i += 2
	}
	if h > 23 || m > 59 {
		return 0, 0, false
	}
	return i, sign * (h*3600 + m*60), true
}

// parseOffset reads ±hh, ±hhmm (minutes) or ±hh:mm (minutes and colon).
func parseOffset(s []byte, minutes, colon bool) (int, int, bool) {
	want := 3
	if minutes {
		want = 5
		if colon {
			want = 6
		}
	}
	if len(s) < want || s[0] != '+' && s[0] != '-' {
		return 0, 0, false
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	digits := [4]int{}
	j := 0
	for k := 1; k < want; k++ {
		if colon && k == 3 {
			if s[k] != ':' {
				return 0, 0, false
			}
			continue
		}
		if !isDigit(s[k]) {
			return 0, 0, false
		}
		digits[j] = int(s[k] - '0')
		j++
	}
	h, m := digits[0]*10+digits[1], digits[2]*10+digits[3]
	if h > 23 || m > 59 {
		return 0, 0, false
	}
	return want, sign * (h*3600 + m*60), true
}

// matchName reads one of names, or its first short letters, in any case,
// the longest that matches; it returns its index.
func matchName(s []byte, i int, names []string, short int) (int, int, error) {
	best, bestLen := -1, 0
	for n, name := range names {
		for _, cand := range []string{name, name[:min(short, len(name))]} {
			if len(cand) > bestLen && hasPrefixFold(s[i:], cand) {
				best, bestLen = n, len(cand)
			}
		}
	}
	if best < 0 {
		return 0, i, ErrMismatch
	}
	return best, i + bestLen, nil
}

func hasPrefixFold(s []byte, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(string(s[:len(prefix)]), prefix)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func leap(y int64) int {
	if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		return 1
	}
	return 0
}

func daysIn(y int64, m int) int {
	switch m {
	case 2:
		return 28 + leap(y)
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (int64, int, int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, int(m), int(d)
}
