package javadate

import (
	"fmt"
	"strings"
	"time"
)

// Layout is a compiled pattern. It is immutable and safe for concurrent use.
type Layout struct {
	pattern string
	items   []item
	has     [kindCount]bool
	pivot   int64 // the first year of the two-digit-year window
}

type kind uint8

const (
	kLiteral    kind = iota
	kEra             // G
	kYear            // y
	kMonth           // M, L
	kDay             // d
	kDayOfYear       // D
	kWeekday         // E
	kWeekdayNum      // u
	kAmPm            // a
	kHour23          // H
	kHour24          // k
	kHour11          // K
	kHour12          // h
	kMinute          // m
	kSecond          // s
	kMillis          // S, SS, SSS
	kFraction        // SSSS...
	kZoneName        // z
	kZoneRFC         // Z
	kZoneISO         // X
	kindCount
)

type item struct {
	kind    kind
	count   int    // letters in the run
	literal string // for kLiteral
}

// numeric reports whether the item is written as a number.
func (it item) numeric() bool {
	switch it.kind {
	case kLiteral, kEra, kWeekday, kAmPm, kZoneName, kZoneRFC, kZoneISO:
		return false
	case kMonth:
		return it.count < 3
	}
	return true
}

// Compile compiles a pattern. It fails, naming the pattern, for an
// unterminated quote, a letter it does not support, a pattern with no
// letters, and X repeated more than three times.
func Compile(pattern string) (*Layout, error) {
	return compileAt(pattern, time.Now())
}

// compileAt compiles with the two-digit-year window set from now.
func compileAt(pattern string, now time.Time) (*Layout, error) {
	l := &Layout{pattern: pattern, pivot: int64(now.Year() - 80)}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			l.items = append(l.items, item{kind: kLiteral, literal: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(pattern); {
		c := pattern[i]
		if c == '\'' {
			if i+1 < len(pattern) && pattern[i+1] == '\'' {
				lit.WriteByte('\'')
				i += 2
				continue
			}
			j := i + 1
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
				return nil, fmt.Errorf("date pattern %q: unterminated quote", pattern)
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
		it := item{count: n}
		switch c {
		case 'G':
			it.kind = kEra
		case 'y':
			it.kind = kYear
		case 'M', 'L':
			it.kind = kMonth
		case 'd':
			it.kind = kDay
		case 'D':
			it.kind = kDayOfYear
		case 'E':
			it.kind = kWeekday
		case 'u':
			it.kind = kWeekdayNum
		case 'a':
			it.kind = kAmPm
		case 'H':
			it.kind = kHour23
		case 'k':
			it.kind = kHour24
		case 'K':
			it.kind = kHour11
		case 'h':
			it.kind = kHour12
		case 'm':
			it.kind = kMinute
		case 's':
			it.kind = kSecond
		case 'S':
			it.kind = kMillis
			if n > 3 {
				it.kind = kFraction
			}
			if n > 9 {
				return nil, fmt.Errorf("date pattern %q: at most 9 S (fraction digits; SSSSSS is microseconds)", pattern)
			}
		case 'z':
			it.kind = kZoneName
		case 'Z':
			it.kind = kZoneRFC
		case 'X':
			it.kind = kZoneISO
			if n > 3 {
				return nil, fmt.Errorf("date pattern %q: X can be repeated at most three times (XXX is -08:00)", pattern)
			}
		case 'w', 'W', 'F', 'Y':
			return nil, fmt.Errorf("date pattern %q: week-based letter %q is not supported (use y M d E)", pattern, c)
		default:
			return nil, fmt.Errorf("date pattern %q: %q is not a pattern letter (use G y M d D E u a H k K h m s S z Z X, and quote literal text: 'T')", pattern, c)
		}
		flush()
		l.items = append(l.items, it)
		l.has[it.kind] = true
		i = j
	}
	flush()
	if len(l.items) == 0 || len(l.items) == 1 && l.items[0].kind == kLiteral {
		return nil, fmt.Errorf("date pattern %q has no pattern letters", pattern)
	}
	return l, nil
}

// Pattern returns the pattern the layout was compiled from.
func (l *Layout) Pattern() string { return l.pattern }

// HasDate reports whether the layout writes a part of a date (y, M, d, D).
func (l *Layout) HasDate() bool {
	return l.has[kYear] || l.has[kMonth] || l.has[kDay] || l.has[kDayOfYear]
}

// HasClock reports whether the layout writes a part of a time of day (an
// hour, minute, second or fraction).
func (l *Layout) HasClock() bool {
	return l.HasHour() || l.has[kMinute] || l.has[kSecond] || l.has[kMillis] || l.has[kFraction]
}

// HasHour reports whether the layout writes the hour (H, k, K or h).
func (l *Layout) HasHour() bool {
	return l.has[kHour23] || l.has[kHour24] || l.has[kHour11] || l.has[kHour12]
}

// HasZone reports whether the layout writes a zone (z, Z or X).
func (l *Layout) HasZone() bool { return l.has[kZoneName] || l.has[kZoneRFC] || l.has[kZoneISO] }

// HasDateOnlyText reports whether the layout writes a part that only a date
// has (an era, a day of the week).
func (l *Layout) HasDateOnlyText() bool {
	return l.has[kEra] || l.has[kWeekday] || l.has[kWeekdayNum]
}

// FractionDigits returns the digits of the second's fraction the layout
// writes: 3 for S, SS and SSS (milliseconds), the letters' count for SSSS
// and more, 0 for none.
func (l *Layout) FractionDigits() int {
	n := 0
	for _, it := range l.items {
		switch it.kind {
		case kMillis:
			n = max(n, 3)
		case kFraction:
			n = max(n, it.count)
		}
	}
	return n
}

// Literals returns the layout's literal texts, and the texts of its
// names (months, days, AM/PM, zones), which a caller that quotes fields
// may need to know.
func (l *Layout) Literals() []string {
	var out []string
	for _, it := range l.items {
		if it.kind == kLiteral {
			out = append(out, it.literal)
		}
	}
	return out
}

// HasText reports whether the layout writes names (months, days of the
// week, AM/PM, era, zone names), which hold letters and spaces.
func (l *Layout) HasText() bool {
	for _, it := range l.items {
		if !it.numeric() && it.kind != kLiteral && it.kind != kZoneRFC && it.kind != kZoneISO {
			return true
		}
	}
	return false
}

// Has reports whether the pattern uses the letter (outside quotes).
func (l *Layout) Has(letter byte) bool {
	i := 0
	for i < len(l.pattern) {
		c := l.pattern[i]
		if c == '\'' {
			j := i + 1
			for j < len(l.pattern) && !(l.pattern[j] == '\'' && (j+1 >= len(l.pattern) || l.pattern[j+1] != '\'')) {
				if l.pattern[j] == '\'' {
					j++
				}
				j++
			}
			i = j + 1
			continue
		}
		if c == letter {
			return true
		}
		i++
	}
	return false
}

// AbutsWideNumber reports whether a number that can be written wider than
// its letters is directly followed by another number: "yMd" writes
// 2024229 for 2024-02-29, which reads back as another date. Such a pattern
// reads what Java reads but may not read what it writes.
func (l *Layout) AbutsWideNumber() bool {
	for k, it := range l.items {
		if !it.numeric() || !l.abutsNumber(k) {
			continue
		}
		switch it.kind {
		case kYear, kDayOfYear:
			return true
		case kMillis:
			if it.count < 3 {
				return true
			}
		default:
			if it.count < 2 {
				return true
			}
		}
	}
	return false
}
