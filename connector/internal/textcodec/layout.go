package textcodec

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/civil"
)

// A layout is a compiled date/time pattern in Java's letters (DataX's
// format), parsed and formatted without allocating.
type layout struct {
	pattern string
	items   []layoutItem
	hasDate bool // has a year, month or day
	hasTime bool // has an hour
}

type itemKind uint8

const (
	itemLiteral  itemKind = iota
	itemYear              // yyyy: 4+ digits, optional sign; y: 1+ digits
	itemMonth             // MM: 2 digits; M: 1-2
	itemDay               // dd; d
	itemHour              // HH; H
	itemMinute            // mm; m
	itemSecond            // ss; s
	itemFraction          // S...: n digits on write, 1-9 on read
	itemZone              // X, XX, XXX, Z: Z or an offset; optional on read
)

type layoutItem struct {
	kind    itemKind
	width   int    // letters in the run
	literal string // for itemLiteral
}

// compileLayout compiles a pattern; "" gives nil (the default text forms).
func compileLayout(pattern string) (*layout, error) {
	if pattern == "" {
		return nil, nil
	}
	l := &layout{pattern: pattern}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			l.items = append(l.items, layoutItem{kind: itemLiteral, literal: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(pattern); {
		c := pattern[i]
		if c == '\'' {
			// Quoted literal; '' is a quote.
			j := i + 1
			if j < len(pattern) && pattern[j] == '\'' {
				lit.WriteByte('\'')
				i += 2
				continue
			}
			for ; j < len(pattern); j++ {
				if pattern[j] == '\'' {
					if j+1 < len(pattern) && pattern[j+1] == '\'' {
						lit.WriteByte('\'')
						j++
						continue
					}
					break
				}
				lit.WriteByte(pattern[j])
			}
			if j >= len(pattern) {
				return nil, fmt.Errorf("format %q: unterminated quote", pattern)
			}
			i = j + 1
			continue
		}
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			lit.WriteByte(c)
			i++
			continue
		}
		j := i
		for j < len(pattern) && pattern[j] == c {
			j++
		}
		n := j - i
		var it layoutItem
		switch c {
		case 'y', 'u':
			if n == 2 {
				return nil, fmt.Errorf("format %q: two-digit years (yy) are ambiguous; use yyyy", pattern)
			}
			it = layoutItem{kind: itemYear, width: n}
			l.hasDate = true
		case 'M':
			if n > 2 {
				return nil, fmt.Errorf("format %q: month names (%s) are not supported; use MM", pattern, pattern[i:j])
			}
			it = layoutItem{kind: itemMonth, width: n}
			l.hasDate = true
		case 'd':
			it = layoutItem{kind: itemDay, width: min(n, 2)}
			l.hasDate = true
		case 'H':
			it = layoutItem{kind: itemHour, width: min(n, 2)}
			l.hasTime = true
		case 'm':
			it = layoutItem{kind: itemMinute, width: min(n, 2)}
		case 's':
			it = layoutItem{kind: itemSecond, width: min(n, 2)}
		case 'S':
			if n > 9 {
				return nil, fmt.Errorf("format %q: at most 9 fraction digits", pattern)
			}
			it = layoutItem{kind: itemFraction, width: n}
		case 'X', 'Z', 'x':
			it = layoutItem{kind: itemZone, width: n}
		default:
			return nil, fmt.Errorf("format %q: pattern letter %q is not supported (use y M d H m s S X, and quote literal text)", pattern, c)
		}
		flush()
		l.items = append(l.items, it)
		i = j
	}
	flush()
	if len(l.items) == 1 && l.items[0].kind == itemLiteral {
		// Every value would be written as the same text, and that text
		// read as 1970-01-01.
		return nil, fmt.Errorf("format %q has no date or time letters (y M d H m s S X)", pattern)
	}
	return l, nil
}

// literals returns the layout's literal texts (none for a nil layout).
func (l *layout) literals() []string {
	if l == nil {
		return nil
	}
	var out []string
	for _, it := range l.items {
		if it.kind == itemLiteral {
			out = append(out, it.literal)
		}
	}
	return out
}

// writes reports whether the layout has an item of one of the kinds.
func (l *layout) writes(kinds ...itemKind) bool {
	for _, it := range l.items {
		for _, k := range kinds {
			if it.kind == k {
				return true
			}
		}
	}
	return false
}

// parsed holds the fields a layout read.
type parsed struct {
	year, month, day     int64
	hour, minute, second int64
	micros               int64
	zone                 int64 // seconds east of UTC
	hasZone              bool
}

var errLayout = errors.New("does not match the format")

// parseField reads a field with the layout: trimmed of the spaces around
// it, or as it is when the layout itself starts or ends with spaces.
func (l *layout) parseField(raw, trimmed []byte) (parsed, error) {
	p, err := l.parse(trimmed)
	if err != nil && len(raw) != len(trimmed) {
		if q, err2 := l.parse(raw); err2 == nil {
			return q, nil
		}
	}
	return p, err
}

// parse reads s, which must match the layout entirely.
func (l *layout) parse(s []byte) (parsed, error) {
	p := parsed{year: 1970, month: 1, day: 1}
	i := 0
	for k, it := range l.items {
		switch it.kind {
		case itemLiteral:
			if len(s)-i < len(it.literal) || string(s[i:i+len(it.literal)]) != it.literal {
				return p, errLayout
			}
			i += len(it.literal)
			continue
		case itemZone:
			if i == len(s) { // the zone is optional: a wall-clock time
				continue
			}
			n, off, ok := parseZoneBytes(s[i:])
			if !ok {
				if c := s[i]; c != 'Z' && c != 'z' && c != '+' && c != '-' {
					continue // no zone here either: the writer writes none for wall-clock times
				}
				return p, errLayout
			}
			p.zone, p.hasZone = off, true
			i += n
			continue
		case itemFraction:
			start := i
			for i < len(s) && i-start < 9 && isDigit(s[i]) {
				i++
			}
			if i == start {
				return p, errLayout
			}
			digits := s[start:i]
			var us int64
			for j := 0; j < 6; j++ {
				us *= 10
				if j < len(digits) {
					us += int64(digits[j] - '0')
				}
			}
			for j := 6; j < len(digits); j++ {
				if digits[j] != '0' {
					return p, errors.New("more precision than microseconds")
				}
			}
			p.micros = us
			continue
		}
		// Numbers: a fixed width when the run has 2+ letters and the next
		// item is not a literal separator-free number; otherwise greedy.
		maxw := 2
		minw := 1
		switch {
		case it.kind == itemYear:
			maxw, minw = 9, max(it.width, 1)
			if it.width >= 4 {
				minw = 4
			}
		case it.width == 2:
			minw = 2
		}
		// A number followed directly by another number (yyyyMMdd) takes
		// exactly its width.
		if k+1 < len(l.items) && l.items[k+1].kind != itemLiteral && l.items[k+1].kind != itemZone && it.width >= 2 {
			maxw = it.width
			minw = it.width
		}
		neg := false
		if it.kind == itemYear && i < len(s) && (s[i] == '-' || s[i] == '+') && k == 0 {
			neg = s[i] == '-'
			i++
		}
		start := i
		var v int64
		for i < len(s) && i-start < maxw && isDigit(s[i]) {
			v = v*10 + int64(s[i]-'0')
			i++
		}
		if i-start < minw {
			return p, errLayout
		}
		switch it.kind {
		case itemYear:
			if neg {
				v = -v
			}
			p.year = v
		case itemMonth:
			p.month = v
		case itemDay:
			p.day = v
		case itemHour:
			p.hour = v
		case itemMinute:
			p.minute = v
		case itemSecond:
			p.second = v
		}
	}
	if i != len(s) {
		return p, errLayout
	}
	if p.month < 1 || p.month > 12 {
		return p, fmt.Errorf("month %d out of range", p.month)
	}
	if p.day < 1 || p.day > int64(civil.DaysIn(p.year, int(p.month))) {
		return p, fmt.Errorf("day %d out of range", p.day)
	}
	if p.hour > 24 || p.minute > 59 || p.second > 59 || (p.hour == 24 && (p.minute|p.second|p.micros) != 0) {
		return p, errors.New("time of day out of range")
	}
	return p, nil
}

func (p parsed) date() datasync.Date {
	return datasync.DateOf(int(p.year), monthOf(p.month), int(p.day))
}

func monthOf(m int64) time.Month { return time.Month(m) }

func (p parsed) clock() datasync.TimeOfDay {
	return datasync.TimeOfDayOf(int(p.hour), int(p.minute), int(p.second), int(p.micros))
}

var errTimestampRange = errors.New("is out of the range of a timestamp (some 290,000 years either side of 1970)")

// timestamp returns the timestamp read, an instant when it had a zone, or
// fails when it is beyond the range of a timestamp (years of up to nine
// digits are read), rather than wrap around.
func (p parsed) timestamp() (datasync.Timestamp, error) {
	const microsPerDay = 86_400_000_000
	days := p.date().Days()
	delta := p.clock().Micros() - p.zone*1e6 // a few days at most
	const edge = math.MaxInt64/microsPerDay - 4
	var micros int64
	if days > -edge && days < edge {
		micros = days*microsPerDay + delta
	} else {
		b := new(big.Int).Mul(big.NewInt(days), big.NewInt(microsPerDay))
		b.Add(b, big.NewInt(delta))
		if !b.IsInt64() {
			return datasync.Timestamp{}, errTimestampRange
		}
		micros = b.Int64()
	}
	ts := datasync.TimestampFromMicros(micros, p.hasZone)
	if ts.Infinite() != 0 {
		return datasync.Timestamp{}, errTimestampRange
	}
	return ts, nil
}

// fields of a value being formatted.
type stamp struct {
	year, month, day     int64
	hour, minute, second int64
	micros               int64
	instant              bool
}

func dateStamp(d datasync.Date) stamp {
	y, m, dd := d.YMD()
	return stamp{year: int64(y), month: int64(m), day: int64(dd)}
}

func clockStamp(s *stamp, t datasync.TimeOfDay) {
	us := t.Micros()
	s.micros = us % 1e6
	sec := us / 1e6
	s.hour, s.minute, s.second = sec/3600, sec/60%60, sec%60
}

func timestampStamp(ts datasync.Timestamp) stamp {
	s := dateStamp(ts.Date())
	clockStamp(&s, ts.TimeOfDay())
	s.instant = ts.IsInstant()
	return s
}

// format appends s laid out. Instants are written in UTC; a zone item
// writes Z (or +00:00 for XXX when asked) for instants and nothing for
// wall-clock times.
func (l *layout) format(dst []byte, s stamp) []byte {
	for _, it := range l.items {
		switch it.kind {
		case itemLiteral:
			dst = append(dst, it.literal...)
		case itemYear:
			y := s.year
			if y < 0 {
				dst = append(dst, '-')
				y = -y
			}
			dst = appendPadded(dst, y, max(it.width, 1))
		case itemMonth:
			dst = appendPadded(dst, s.month, it.width)
		case itemDay:
			dst = appendPadded(dst, s.day, it.width)
		case itemHour:
			dst = appendPadded(dst, s.hour, it.width)
		case itemMinute:
			dst = appendPadded(dst, s.minute, it.width)
		case itemSecond:
			dst = appendPadded(dst, s.second, it.width)
		case itemFraction:
			us := s.micros
			var buf [9]byte
			for j := 5; j >= 0; j-- {
				buf[j] = byte('0' + us%10)
				us /= 10
			}
			for j := 6; j < 9; j++ {
				buf[j] = '0'
			}
			dst = append(dst, buf[:it.width]...)
		case itemZone:
			if s.instant {
				dst = append(dst, 'Z')
			}
		}
	}
	return dst
}

func appendPadded(dst []byte, v int64, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for v >= 10 || len(buf)-i < width-1 {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	i--
	buf[i] = byte('0' + v)
	return append(dst, buf[i:]...)
}

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

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
