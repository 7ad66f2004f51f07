package textcodec

import (
	"errors"
	"math"
	"math/big"
	"time"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/javadate"
)

// A layout is a compiled date/time pattern in Java's SimpleDateFormat
// letters (DataX's dateFormat; see package javadate), parsed and formatted
// without allocating.
//
// The zone: values are written in UTC. An instant is written as its UTC
// date and time, and a wall-clock timestamp (a DATETIME) as it reads; a
// zone letter (z, Z, X) writes UTC's ("UTC", +0000, Z) for both, as the
// pattern asks. Text read with a zone is an instant; text read with a
// pattern that has no zone is a wall-clock time.
type layout struct {
	pattern string
	jl      *javadate.Layout
	hasDate bool // has a year, month or day
	hasTime bool // has an hour
}

// compileLayout compiles a pattern; "" gives nil (the default text forms).
func compileLayout(pattern string) (*layout, error) {
	if pattern == "" {
		return nil, nil
	}
	jl, err := javadate.Compile(pattern)
	if err != nil {
		return nil, err
	}
	return &layout{pattern: pattern, jl: jl, hasDate: jl.HasDate(), hasTime: jl.HasHour()}, nil
}

// literals returns the layout's literal texts (none for a nil layout).
func (l *layout) literals() []string {
	if l == nil {
		return nil
	}
	return l.jl.Literals()
}

// parsed holds the fields a layout read.
type parsed struct{ javadate.Fields }

var errLayout = javadate.ErrMismatch

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
	f, err := l.jl.Parse(s)
	return parsed{f}, err
}

func (p parsed) date() datasync.Date {
	return datasync.DateOf(int(p.Year), time.Month(p.Month), p.Day)
}

func (p parsed) clock() datasync.TimeOfDay {
	return datasync.TimeOfDayOf(p.Hour, p.Minute, p.Second, p.Micros)
}

var errTimestampRange = errors.New("is out of the range of a timestamp (some 290,000 years either side of 1970)")

// timestamp returns the timestamp read, an instant when it had a zone, or
// fails when it is beyond the range of a timestamp (years of up to nine
// digits are read), rather than wrap around.
func (p parsed) timestamp() (datasync.Timestamp, error) {
	const microsPerDay = 86_400_000_000
	days := p.date().Days()
	delta := p.clock().Micros() - int64(p.Offset)*1e6 // a few days at most
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
	ts := datasync.TimestampFromMicros(micros, p.HasZone)
	if ts.Infinite() != 0 {
		return datasync.Timestamp{}, errTimestampRange
	}
	return ts, nil
}

// stamp is the fields of a value being formatted, in UTC.
type stamp = javadate.Fields

func dateStamp(d datasync.Date) stamp {
	y, m, dd := d.YMD()
	return stamp{Year: int64(y), Month: int(m), Day: dd}
}

// clockStamp sets the time of day of s; the date of a time of day alone is
// 1970-01-01, as Java's.
func clockStamp(s *stamp, t datasync.TimeOfDay) {
	if s.Month == 0 {
		s.Year, s.Month, s.Day = 1970, 1, 1
	}
	us := t.Micros()
	s.Micros = int(us % 1e6)
	sec := us / 1e6
	s.Hour, s.Minute, s.Second = int(sec/3600), int(sec/60%60), int(sec%60)
}

// timestampStamp returns the fields of ts: an instant's in UTC, a wall
// clock's as they are.
func timestampStamp(ts datasync.Timestamp) stamp {
	s := dateStamp(ts.Date())
	clockStamp(&s, ts.TimeOfDay())
	return s
}

// format appends s laid out.
func (l *layout) format(dst []byte, s stamp) []byte { return l.jl.Format(dst, s) }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
