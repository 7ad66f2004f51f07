package javadate

import "time"

// CompileAt compiles with the two-digit-year window of the time now.
func CompileAt(pattern string, now time.Time) (*Layout, error) { return compileAt(pattern, now) }
