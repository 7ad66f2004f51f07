package javadate

import "time"

// CompileAt compiles with the two-digit-year window of the time now.
func CompileAt(pattern string, now time.Time) (*Layout, error) { return compileAt(pattern, now) }

// AbutsWideNumber reports whether a number that can be written wider than
// its letters is directly followed by another number.
func AbutsWideNumber(l *Layout) bool {
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
