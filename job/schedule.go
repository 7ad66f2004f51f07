package job

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// schedule computes DataWorks' scheduling parameters from the scheduled
// time of a run (its "cyctime"). The business date ("bizdate") is the day
// before.
type schedule struct {
	at time.Time
}

func newSchedule(runDate time.Time) schedule {
	if runDate.IsZero() {
		runDate = time.Now()
	}
	return schedule{at: runDate}
}

// bizdate is the business date: the scheduled day minus one, at midnight.
func (s schedule) bizdate() time.Time {
	y, m, d := s.at.Date()
	return time.Date(y, m, d-1, 0, 0, 0, 0, s.at.Location())
}

// system returns DataWorks' system parameters: $bizdate (yyyymmdd of the
// business date), $cyctime (yyyymmddhh24miss of the scheduled time),
// $gmtdate (yyyymmdd of the scheduled day) and $bizmonth (yyyymm of the
// business date's month, or of the month before when that is the
// scheduled month: the last whole month).
func (s schedule) system(name string) (string, bool) {
	switch name {
	case "bizdate":
		return s.bizdate().Format("20060102"), true
	case "cyctime":
		return s.at.Format("20060102150405"), true
	case "gmtdate":
		return s.at.Format("20060102"), true
	case "bizmonth":
		b := s.bizdate()
		if b.Year() == s.at.Year() && b.Month() == s.at.Month() {
			b = addMonths(b, -1)
		}
		return b.Format("200601"), true
	}
	return "", false
}

// systemNames are the parameters also written without braces: $bizdate.
var systemNames = []string{"bizdate", "cyctime", "gmtdate", "bizmonth"}

// offsetPattern splits an expression into its format and its offset:
// yyyymmdd-1, yyyymmdd+7*2, hh24miss-1/24, yyyymmddhh24mi-30/24/60.
var offsetPattern = regexp.MustCompile(`^(.*?)(?:([+-])(\d+)(?:\*(\d+))?(/24(?:/60)?)?)?$`)

// addMonthsPattern is $[add_months(yyyymmdd,-1)] and $[add_months(yyyymmdd,-12*2)].
var addMonthsPattern = regexp.MustCompile(`^add_months\(\s*([^,]+?)\s*,\s*([+-]?)\s*(\d+)(?:\s*\*\s*(\d+))?\s*\)$`)

// business evaluates the inside of ${...} against the business date:
// yyyy, yy, mm and dd, with an offset in the format's finest unit
// (${yyyymmdd-1} a day, ${yyyymm-1} a month, ${yyyy-1} a year;
// ${yyyymmdd-7*2} two weeks). ok is false when expr is no such
// expression (then it is a variable's name).
func (s schedule) business(expr string) (value string, ok bool, err error) {
	format, sign, n, ok := splitOffset(expr)
	if !ok {
		return "", false, nil
	}
	tokens, ok := tokenize(format)
	if !ok {
		return "", false, nil
	}
	unit := ""
	for _, t := range tokens {
		switch t {
		case "yyyy", "yy":
			if unit == "" {
				unit = "year"
			}
		case "mm":
			if unit != "day" {
				unit = "month"
			}
		case "dd":
			unit = "day"
		case "hh24", "mi", "ss":
			return "", true, fmt.Errorf("${...} is the business date, to the day; use $[%s] for the scheduled time", expr)
		}
	}
	if unit == "" {
		return "", false, nil
	}
	if sign.fraction != "" {
		return "", true, errors.New("hours and minutes (/24, /24/60) need $[...], the scheduled time")
	}
	t := s.bizdate()
	switch unit {
	case "day":
		t = t.AddDate(0, 0, n)
	case "month":
		t = addMonths(t, n)
	case "year":
		t = addMonths(t, 12*n)
	}
	return render(tokens, t), true, nil
}

// scheduled evaluates the inside of $[...] against the scheduled time:
// yyyy, yy, mm, dd, hh24, mi and ss, with an offset in days
// ($[yyyymmdd-1]), weeks ($[yyyymmdd-7*1]), hours ($[hh24miss-1/24]) or
// minutes ($[hh24miss-30/24/60]), or add_months(format, N). ok is false
// when expr is no such expression.
func (s schedule) scheduled(expr string) (value string, ok bool, err error) {
	if m := addMonthsPattern.FindStringSubmatch(expr); m != nil {
		tokens, ok := tokenize(m[1])
		if !ok {
			return "", true, fmt.Errorf("%q is not a date format of yyyy, yy, mm, dd, hh24, mi and ss", m[1])
		}
		n, _ := strconv.Atoi(m[3])
		if m[4] != "" {
			k, _ := strconv.Atoi(m[4])
			n *= k
		}
		if m[2] == "-" {
			n = -n
		}
		return render(tokens, addMonths(s.at, n)), true, nil
	}
	format, sign, n, ok := splitOffset(expr)
	if !ok {
		return "", false, nil
	}
	tokens, ok := tokenize(format)
	if !ok || len(tokens) == 0 {
		return "", false, nil
	}
	t := s.at
	switch sign.fraction {
	case "":
		t = t.AddDate(0, 0, n)
	case "/24":
		t = t.Add(time.Duration(n) * time.Hour)
	case "/24/60":
		t = t.Add(time.Duration(n) * time.Minute)
	}
	return render(tokens, t), true, nil
}

// offset is the parsed tail of an expression.
type offset struct{ fraction string }

// splitOffset splits expr into its format and a signed offset (7*2 is
// 14); ok is false when expr cannot be one.
func splitOffset(expr string) (format string, o offset, n int, ok bool) {
	m := offsetPattern.FindStringSubmatch(expr)
	if m == nil || m[1] == "" {
		return "", offset{}, 0, false
	}
	if m[3] != "" {
		var err error
		if n, err = strconv.Atoi(m[3]); err != nil {
			return "", offset{}, 0, false
		}
		if m[4] != "" {
			k, err := strconv.Atoi(m[4])
			if err != nil {
				return "", offset{}, 0, false
			}
			n *= k
		}
		if m[2] == "-" {
			n = -n
		}
	}
	return m[1], offset{fraction: m[5]}, n, true
}

// tokenize splits a date format into tokens (yyyy, yy, mm, dd, hh24, mi,
// ss) and literal separators; ok is false if it has any other letter or
// no token at all.
func tokenize(format string) ([]string, bool) {
	var out []string
	found := false
	for rest := format; rest != ""; {
		matched := false
		for _, tok := range []string{"yyyy", "yy", "mm", "dd", "hh24", "mi", "ss"} {
			if strings.HasPrefix(rest, tok) {
				out = append(out, tok)
				rest = rest[len(tok):]
				matched, found = true, true
				break
			}
		}
		if matched {
			continue
		}
		c := rest[0]
		if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' || c == '{' || c == '}' {
			return nil, false
		}
		out = append(out, string(c))
		rest = rest[1:]
	}
	return out, found
}

// render writes t in the tokens' format.
func render(tokens []string, t time.Time) string {
	var b strings.Builder
	for _, tok := range tokens {
		switch tok {
		case "yyyy":
			fmt.Fprintf(&b, "%04d", t.Year())
		case "yy":
			fmt.Fprintf(&b, "%02d", t.Year()%100)
		case "mm":
			fmt.Fprintf(&b, "%02d", int(t.Month()))
		case "dd":
			fmt.Fprintf(&b, "%02d", t.Day())
		case "hh24":
			fmt.Fprintf(&b, "%02d", t.Hour())
		case "mi":
			fmt.Fprintf(&b, "%02d", t.Minute())
		case "ss":
			fmt.Fprintf(&b, "%02d", t.Second())
		default:
			b.WriteString(tok)
		}
	}
	return b.String()
}

// addMonths adds n months to t, keeping the day but for the end of a
// shorter month (add_months of 2025-03-31 and -1 is 2025-02-28), as
// DataWorks' add_months does.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

// evaluate returns the value of a -p value written as a scheduling
// expression ($bizdate, ${yyyymmdd-1}, $[hh24miss]), as DataWorks assigns
// them to parameters; ok is false for any other value.
func (s schedule) evaluate(v string) (string, bool, error) {
	switch {
	case strings.HasPrefix(v, "${") && strings.HasSuffix(v, "}"):
		return s.business(v[2 : len(v)-1])
	case strings.HasPrefix(v, "$[") && strings.HasSuffix(v, "]"):
		return s.scheduled(v[2 : len(v)-1])
	case strings.HasPrefix(v, "$"):
		return s.systemOK(v[1:])
	}
	return "", false, nil
}

func (s schedule) systemOK(name string) (string, bool, error) {
	v, ok := s.system(name)
	return v, ok, nil
}
