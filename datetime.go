package datasync

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/datasync-go/datasync/internal/civil"
)

// Date is a calendar date in the proleptic Gregorian calendar, stored as a
// count of days since 1970-01-01. It belongs to no time zone: converting it
// never consults one. The zero Date is 1970-01-01.
//
// The day counts math.MaxInt64 and math.MinInt64 stand for PostgreSQL's
// 'infinity' and '-infinity'; see [Date.Infinite].
type Date struct{ days int64 }

// DateOf returns the date of the given year, month and day. Out-of-range
// months and days are normalized as by time.Date (February 30 is March 1 or 2).
// Years may be zero or negative (year 0 is 1 BC).
func DateOf(year int, month time.Month, day int) Date {
	// Normalize through month arithmetic first, then let day overflow flow
	// naturally through the day count.
	y, m := int64(year), int64(month)-1
	y += floorDiv(m, 12)
	m = m - floorDiv(m, 12)*12 + 1
	return Date{daysFromCivil(y, int(m), 1) + int64(day) - 1}
}

// DateFromDays returns the date that is days after 1970-01-01 (before it, when
// negative). math.MaxInt64 and math.MinInt64 give +infinity and -infinity.
func DateFromDays(days int64) Date { return Date{days} }

// Days returns the number of days since 1970-01-01.
func (d Date) Days() int64 { return d.days }

// Infinite reports +1 for +infinity, -1 for -infinity and 0 for a finite date.
func (d Date) Infinite() int { return infiniteSign(d.days) }

// YMD returns the date's year, month and day. It is meaningless for an
// infinite date.
func (d Date) YMD() (year int, month time.Month, day int) {
	y, m, dd := civilFromDays(d.days)
	return int(y), time.Month(m), dd
}

// Time returns midnight UTC at the start of the date.
func (d Date) Time() time.Time {
	y, m, dd := d.YMD()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return cmpInt64(d.days, e.days) }

// String returns the date as YYYY-MM-DD (ISO 8601; years outside 0..9999
// carry a sign), or "infinity" / "-infinity".
func (d Date) String() string { return string(d.AppendTo(make([]byte, 0, 10))) }

// AppendTo appends the text form of d (see [Date.String]) to dst.
func (d Date) AppendTo(dst []byte) []byte {
	switch d.Infinite() {
	case 1:
		return append(dst, "infinity"...)
	case -1:
		return append(dst, "-infinity"...)
	}
	y, m, dd := civilFromDays(d.days)
	dst = appendYear(dst, y)
	dst = append(dst, '-')
	dst = append2(dst, m)
	dst = append(dst, '-')
	return append2(dst, dd)
}

// ParseDate parses YYYY-MM-DD (with an optional sign and more year digits for
// years outside 0..9999), "infinity" or "-infinity". The date must exist.
func ParseDate(s string) (Date, error) {
	if inf, ok := parseInfinity(s); ok {
		return Date{inf}, nil
	}
	d, rest, err := parseDatePart(s)
	if err != nil {
		return Date{}, fmt.Errorf("invalid date %q: %w", s, err)
	}
	if rest != "" {
		return Date{}, fmt.Errorf("invalid date %q: unexpected %q", s, rest)
	}
	return d, nil
}

// TimeOfDay is a time of day in microseconds since midnight. Because MySQL's
// TIME is also an elapsed time, a TimeOfDay may be negative or reach past 24
// hours (-838:59:59 to 838:59:59 in MySQL); PostgreSQL's 24:00:00 is
// 86,400,000,000.
type TimeOfDay int64

// TimeOfDayOf returns hour:min:sec.micro as a TimeOfDay. Fields are not
// range-checked; they are summed.
func TimeOfDayOf(hour, min, sec, micro int) TimeOfDay {
	return TimeOfDay(((int64(hour)*60+int64(min))*60+int64(sec))*1e6 + int64(micro))
}

// Micros returns the time in microseconds since midnight.
func (t TimeOfDay) Micros() int64 { return int64(t) }

// Duration returns the time since midnight as a time.Duration.
func (t TimeOfDay) Duration() time.Duration { return time.Duration(t) * time.Microsecond }

// String returns [-]HH:MM:SS[.ffffff], with trailing zeros of the fraction
// removed and hours past 24 written in full.
func (t TimeOfDay) String() string { return string(t.AppendTo(make([]byte, 0, 15))) }

// AppendTo appends the text form of t (see [TimeOfDay.String]) to dst.
func (t TimeOfDay) AppendTo(dst []byte) []byte {
	u := uint64(t)
	if t < 0 {
		dst = append(dst, '-')
		u = uint64(-t) // MinInt64 wraps to itself, which uint64 reads correctly
	}
	return appendClock(dst, u)
}

// ParseTimeOfDay parses [-]H[H...]:MM[:SS[.fraction]]. Minutes and seconds
// must be below 60; the hour may exceed 23. Fractions longer than six digits
// are accepted only when the extra digits are zeros, so nothing is rounded.
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	neg := false
	rest := s
	if strings.HasPrefix(rest, "-") {
		neg, rest = true, rest[1:]
	}
	micros, rest, err := parseClock(rest, true)
	if err == nil && rest != "" {
		err = fmt.Errorf("unexpected %q", rest)
	}
	if err != nil {
		return 0, fmt.Errorf("invalid time %q: %w", s, err)
	}
	if neg {
		micros = -micros
	}
	return TimeOfDay(micros), nil
}

// Timestamp is a date and time of day with microsecond precision. It is either
// an instant (a point on the UTC time line, like PostgreSQL's timestamptz and
// MySQL's TIMESTAMP) or a wall-clock time (a reading of a clock in an
// unspecified zone, like PostgreSQL's timestamp and MySQL's DATETIME). Neither
// kind is ever interpreted in the process's local time zone.
//
// Internally it is a count of microseconds since 1970-01-01 00:00:00 (UTC for
// an instant, on the same clock for a wall-clock time). math.MaxInt64 and
// math.MinInt64 stand for +infinity and -infinity.
type Timestamp struct {
	micros  int64
	instant bool
}

// InstantOf returns the instant t, truncated to the microsecond.
func InstantOf(t time.Time) Timestamp { return Timestamp{micros: unixMicro(t), instant: true} }

// WallClockOf returns the wall-clock reading of t in t's own location,
// truncated to the microsecond. The location itself is dropped.
func WallClockOf(t time.Time) Timestamp {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	days := daysFromCivil(int64(y), int(m), d)
	return Timestamp{micros: days*microsPerDay + int64((h*60+mi)*60+s)*1e6 + int64(t.Nanosecond()/1000)}
}

// TimestampFromMicros returns the timestamp micros microseconds after
// 1970-01-01 00:00:00, an instant (UTC) when instant is true, a wall-clock
// time otherwise.
func TimestampFromMicros(micros int64, instant bool) Timestamp {
	return Timestamp{micros: micros, instant: instant}
}

// TimestampOf returns the wall-clock time of date d at time of day t; see
// [Timestamp.AsInstant] to read it as UTC.
func TimestampOf(d Date, t TimeOfDay) Timestamp {
	return Timestamp{micros: d.days*microsPerDay + int64(t)}
}

// UnixMicro returns the microseconds since 1970-01-01 00:00:00.
func (t Timestamp) UnixMicro() int64 { return t.micros }

// IsInstant reports whether t is an instant rather than a wall-clock time.
func (t Timestamp) IsInstant() bool { return t.instant }

// AsInstant returns t read as an instant: a wall-clock time is taken to be UTC.
func (t Timestamp) AsInstant() Timestamp { return Timestamp{micros: t.micros, instant: true} }

// AsWallClock returns t as a wall-clock time: an instant gives its UTC reading.
func (t Timestamp) AsWallClock() Timestamp { return Timestamp{micros: t.micros} }

// Infinite reports +1 for +infinity, -1 for -infinity and 0 otherwise.
func (t Timestamp) Infinite() int { return infiniteSign(t.micros) }

// Date returns the calendar date of t (UTC for an instant).
func (t Timestamp) Date() Date {
	if t.Infinite() != 0 {
		return Date{t.micros}
	}
	return Date{floorDiv(t.micros, microsPerDay)}
}

// TimeOfDay returns the time of day of t (UTC for an instant).
func (t Timestamp) TimeOfDay() TimeOfDay {
	return TimeOfDay(t.micros - floorDiv(t.micros, microsPerDay)*microsPerDay)
}

// Time returns t as a time.Time in UTC. For a wall-clock time the result has
// the same fields, labelled UTC.
func (t Timestamp) Time() time.Time {
	sec := floorDiv(t.micros, 1e6)
	return time.Unix(sec, (t.micros-sec*1e6)*1000).UTC()
}

// Compare returns -1, 0 or +1 as t is before, equal to or after u on their
// common clock. Comparing an instant to a wall-clock time compares the numbers.
func (t Timestamp) Compare(u Timestamp) int { return cmpInt64(t.micros, u.micros) }

// String returns "YYYY-MM-DD HH:MM:SS[.ffffff]", followed by "Z" for an
// instant; or "infinity" / "-infinity".
func (t Timestamp) String() string { return string(t.AppendTo(make([]byte, 0, 27))) }

// AppendTo appends the text form of t (see [Timestamp.String]) to dst.
func (t Timestamp) AppendTo(dst []byte) []byte {
	switch t.Infinite() {
	case 1:
		return append(dst, "infinity"...)
	case -1:
		return append(dst, "-infinity"...)
	}
	dst = t.Date().AppendTo(dst)
	dst = append(dst, ' ')
	dst = appendClock(dst, uint64(t.TimeOfDay()))
	if t.instant {
		dst = append(dst, 'Z')
	}
	return dst
}

// ParseTimestamp parses a date, optionally followed by 'T' or ' ' and a time
// of day, optionally followed by a zone: "Z" or an offset (+08, +0800, +08:00).
// With a zone the result is an instant, without one a wall-clock time.
// "infinity" and "-infinity" give wall-clock infinities. Fractions beyond
// microseconds must be zeros.
func ParseTimestamp(s string) (Timestamp, error) {
	if inf, ok := parseInfinity(s); ok {
		return Timestamp{micros: inf}, nil
	}
	ts, err := parseTimestamp(s)
	if err != nil {
		return Timestamp{}, fmt.Errorf("invalid timestamp %q: %w", s, err)
	}
	return ts, nil
}

func parseTimestamp(s string) (Timestamp, error) {
	d, rest, err := parseDatePart(s)
	if err != nil {
		return Timestamp{}, err
	}
	var clock, offset int64
	zoned := false
	if rest != "" {
		if rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ' {
			return Timestamp{}, fmt.Errorf("unexpected %q after the date", rest)
		}
		if clock, rest, err = parseClock(rest[1:], false); err != nil {
			return Timestamp{}, err
		}
		if rest != "" {
			if offset, err = parseZone(rest); err != nil {
				return Timestamp{}, err
			}
			zoned = true
		}
	}
	micros, ok := timestampMicros(d.days, clock, offset)
	if !ok {
		return Timestamp{}, errTimestampRange
	}
	return Timestamp{micros: micros, instant: zoned}, nil
}

var errTimestampRange = errors.New("out of the range of a timestamp (some 290,000 years either side of 1970)")

// timestampMicros returns days*microsPerDay + clock - offset seconds, or
// false when it does not fit in an int64 or lands on a value that stands
// for an infinity: years far enough from 1970 would otherwise wrap around
// silently.
func timestampMicros(days, clock, offset int64) (int64, bool) {
	delta := clock - offset*1e6 // within a few days: clock and offset are bounded
	const edge = math.MaxInt64/microsPerDay - 4
	var micros int64
	if days > -edge && days < edge {
		micros = days*microsPerDay + delta
	} else {
		// Near the ends of the range the midnight of the date may not fit
		// while the time does: compute exactly.
		b := new(big.Int).Mul(big.NewInt(days), big.NewInt(microsPerDay))
		b.Add(b, big.NewInt(delta))
		if !b.IsInt64() {
			return 0, false
		}
		micros = b.Int64()
	}
	if infiniteSign(micros) != 0 {
		return 0, false
	}
	return micros, true
}

const microsPerDay = 86_400_000_000

var errSyntax = errors.New("syntax error")

// parseDatePart reads [sign]YYYY[Y..]-MM-DD from the start of s.
func parseDatePart(s string) (Date, string, error) {
	neg := false
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i-start < 4 || i-start > 9 || (start == 0 && i-start > 4) {
		return Date{}, "", errors.New("want a year of four digits (more with a sign)")
	}
	year := int64(atoi(s[start:i]))
	if neg {
		year = -year
	}
	if len(s) < i+6 || s[i] != '-' || s[i+3] != '-' || !isDigit(s[i+1]) || !isDigit(s[i+2]) || !isDigit(s[i+4]) || !isDigit(s[i+5]) {
		return Date{}, "", errors.New("want YYYY-MM-DD")
	}
	month := atoi(s[i+1 : i+3])
	day := atoi(s[i+4 : i+6])
	if month < 1 || month > 12 {
		return Date{}, "", fmt.Errorf("month %d out of range", month)
	}
	if day < 1 || day > civil.DaysIn(year, month) {
		return Date{}, "", fmt.Errorf("day %d out of range for %04d-%02d", day, year, month)
	}
	return Date{daysFromCivil(year, month, day)}, s[i+6:], nil
}

// parseClock reads H+:MM[:SS[.f]] and returns microseconds. When longHours is
// false the hour must have two digits and be at most 24 (24:00:00 only).
func parseClock(s string, longHours bool) (int64, string, error) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == 0 || i > 4 || (!longHours && i != 2) {
		return 0, "", errors.New("want HH:MM:SS")
	}
	hour := int64(atoi(s[:i]))
	if len(s) < i+3 || s[i] != ':' || !isDigit(s[i+1]) || !isDigit(s[i+2]) {
		return 0, "", errors.New("want HH:MM:SS")
	}
	min := int64(atoi(s[i+1 : i+3]))
	i += 3
	var sec, frac int64
	if i < len(s) && s[i] == ':' {
		if len(s) < i+3 || !isDigit(s[i+1]) || !isDigit(s[i+2]) {
			return 0, "", errors.New("want HH:MM:SS")
		}
		sec = int64(atoi(s[i+1 : i+3]))
		i += 3
		if i < len(s) && s[i] == '.' {
			i++
			start := i
			for i < len(s) && isDigit(s[i]) {
				i++
			}
			if i == start {
				return 0, "", errors.New("empty fraction of a second")
			}
			digits := s[start:i]
			for j := 6; j < len(digits); j++ {
				if digits[j] != '0' {
					return 0, "", errors.New("more precision than microseconds")
				}
			}
			for j := 0; j < 6; j++ {
				frac *= 10
				if j < len(digits) {
					frac += int64(digits[j] - '0')
				}
			}
		}
	}
	if min > 59 || sec > 59 {
		return 0, "", errors.New("minute or second out of range")
	}
	micros := ((hour*60+min)*60+sec)*1e6 + frac
	if !longHours && micros > microsPerDay {
		return 0, "", errors.New("hour out of range")
	}
	return micros, s[i:], nil
}

// parseZone reads Z, ±HH, ±HHMM, ±HH:MM, ±HHMMSS or ±HH:MM:SS (after an
// optional space, which may also precede UTC) and returns the offset in
// seconds east of UTC.
func parseZone(s string) (int64, error) {
	if s == "Z" || s == "z" {
		return 0, nil
	}
	if s[0] == ' ' && len(s) > 1 {
		s = s[1:]
	}
	if s == "UTC" {
		return 0, nil
	}
	sign := int64(1)
	switch s[0] {
	case '-':
		sign = -1
	case '+':
	default:
		return 0, fmt.Errorf("unexpected %q after the time", s)
	}
	// Colons separate every pair of digits or none: +08:00 and +0800, not
	// +0:800 or +08:0000.
	digits := s[1:]
	if strings.Contains(digits, ":") {
		if (len(digits) != 5 && len(digits) != 8) || digits[2] != ':' || (len(digits) == 8 && digits[5] != ':') {
			return 0, fmt.Errorf("invalid zone offset %q", s)
		}
		digits = strings.ReplaceAll(digits, ":", "")
	}
	if len(digits) != 2 && len(digits) != 4 && len(digits) != 6 {
		return 0, fmt.Errorf("invalid zone offset %q", s)
	}
	for i := 0; i < len(digits); i++ {
		if !isDigit(digits[i]) {
			return 0, fmt.Errorf("invalid zone offset %q", s)
		}
	}
	var h, m, sec int64
	h = int64(atoi(digits[:2]))
	if len(digits) >= 4 {
		m = int64(atoi(digits[2:4]))
	}
	if len(digits) == 6 {
		sec = int64(atoi(digits[4:6]))
	}
	if h > 15 || m > 59 || sec > 59 {
		return 0, fmt.Errorf("zone offset %q out of range", s)
	}
	return sign * (h*3600 + m*60 + sec), nil
}

func parseInfinity(s string) (int64, bool) {
	switch strings.ToLower(s) {
	case "infinity", "+infinity":
		return math.MaxInt64, true
	case "-infinity":
		return math.MinInt64, true
	}
	return 0, false
}

func infiniteSign(n int64) int {
	switch n {
	case math.MaxInt64:
		return 1
	case math.MinInt64:
		return -1
	}
	return 0
}

// appendClock appends HH:MM:SS[.ffffff] for micros >= 0.
func appendClock(dst []byte, micros uint64) []byte {
	sec := micros / 1e6
	frac := micros % 1e6
	h := sec / 3600
	if h < 10 {
		dst = append(dst, '0')
	}
	dst = strconv.AppendUint(dst, h, 10)
	dst = append(dst, ':')
	dst = append2(dst, int((sec/60)%60))
	dst = append(dst, ':')
	dst = append2(dst, int(sec%60))
	return civil.AppendFraction(dst, frac)
}

func appendYear(dst []byte, y int64) []byte {
	if y < 0 {
		dst = append(dst, '-')
		y = -y
	} else if y > 9999 {
		dst = append(dst, '+')
	}
	for d := int64(1000); d > 1 && y < d; d /= 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendUint(dst, uint64(y), 10)
}

func append2(dst []byte, n int) []byte { return append(dst, byte('0'+n/10), byte('0'+n%10)) }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// atoi converts a short run of ASCII digits, already checked by the caller.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func unixMicro(t time.Time) int64 {
	sec := t.Unix()
	return sec*1e6 + int64(t.Nanosecond()/1000)
}

// daysFromCivil and civilFromDays are Howard Hinnant's algorithms for the
// proleptic Gregorian calendar; they are exact for every int64-sized year.
func daysFromCivil(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func civilFromDays(z int64) (y int64, m, d int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	if mp < 10 {
		m = int(mp + 3)
	} else {
		m = int(mp - 9)
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}
