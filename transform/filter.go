package transform

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/datasync-go/datasync"
)

// Op is the comparison of Filter.
type Op uint8

// The operators, with DataX's spelling.
const (
	Like         Op = iota + 1 // "like": the text matches a regular expression, whole
	NotLike                    // "not like"
	Greater                    // ">"
	Less                       // "<"
	Equal                      // "=" or "=="
	NotEqual                   // "!="
	GreaterEqual               // ">="
	LessEqual                  // "<="
)

var opNames = [...]string{Like: "like", NotLike: "not like", Greater: ">", Less: "<", Equal: "=",
	NotEqual: "!=", GreaterEqual: ">=", LessEqual: "<="}

// String returns DataX's spelling of the operator.
func (o Op) String() string {
	if int(o) < len(opNames) && opNames[o] != "" {
		return opNames[o]
	}
	return fmt.Sprintf("Op(%d)", uint8(o))
}

// ParseOp reads DataX's spelling of an operator, in any case: like, not
// like, >, <, = or ==, !=, >=, <=.
func ParseOp(s string) (Op, error) {
	if s == "==" {
		return Equal, nil
	}
	for o, name := range opNames {
		if name != "" && strings.EqualFold(s, name) {
			return Op(o), nil
		}
	}
	return 0, fmt.Errorf("operator %q is not one of like, not like, >, <, =, ==, !=, >=, <=", s)
}

// Filter drops the records whose column satisfies "column op operand":
// DataX's dx_filter, which keeps the others. operand must not be empty.
//
// Like and NotLike match the column's text against operand, a regular
// expression (RE2 syntax, which covers the Java expressions DataX users
// write but for backreferences and lookaround), that must match the whole
// text. A NULL never matches: Like keeps it and NotLike drops it.
//
// The other operators compare by the column's kind, as DataX compares its
// column types: a Float or Decimal as a float64 against operand read as one;
// an Int as an int64, and a Date, Time or Timestamp as its milliseconds
// since 1970-01-01 00:00 UTC (a Date at midnight UTC, a wall-clock
// Timestamp read as UTC, a Time on 1970-01-01), against operand read as an
// integer; anything else (String, Bool, Bytes, JSON) as text, by UTF-16
// code units as Java's String.compareTo. An operand that is not a number
// where one is needed makes the record dirty. A NULL is kept by >, <, >=
// and <=; = drops it only when operand is "null" (in any case) and != drops
// it unless operand is "null".
func Filter(column int, op Op, operand string) datasync.Transformer {
	return filter{column, op, operand}
}

type filter struct {
	column  int
	op      Op
	operand string
}

func (t filter) NewTransform(schema datasync.Schema) (datasync.TransformFunc, error) {
	if err := checkColumn("Filter", t.column, schema); err != nil {
		return nil, err
	}
	if t.op < Like || t.op > LessEqual {
		return nil, fmt.Errorf("Filter: %v is not an operator", t.op)
	}
	if t.operand == "" {
		return nil, errors.New("Filter: the operand is empty")
	}
	f := &filterFunc{filter: t, schema: schema}
	if t.op == Like || t.op == NotLike {
		re, err := regexp.Compile(`^(?:` + t.operand + `)$`)
		if err != nil {
			return nil, fmt.Errorf("Filter: %s %q: %w", t.op, t.operand, err)
		}
		f.re = re
		return f.like, nil
	}
	operand := strings.TrimSpace(t.operand) // as Java's Double.parseDouble does
	f.float, f.floatErr = strconv.ParseFloat(operand, 64)
	if f.floatErr != nil && math.IsInf(f.float, 0) {
		f.floatErr = nil // out of range: Java reads it as an infinity too
	}
	f.int, f.intErr = strconv.ParseInt(t.operand, 10, 64)
	return f.compare, nil
}

type filterFunc struct {
	filter
	schema   datasync.Schema
	re       *regexp.Regexp
	float    float64
	floatErr error
	int      int64
	intErr   error
	scratch  []byte
}

// like drops a record whose text matches (Like) or does not (NotLike).
func (f *filterFunc) like(rec datasync.Record, _ *datasync.Batch) (bool, error) {
	s, ok := text(rec[f.column], &f.scratch)
	matches := ok && f.re.MatchString(s)
	return matches == (f.op == NotLike), nil
}

// compare drops a record for which the comparison holds.
func (f *filterFunc) compare(rec datasync.Record, _ *datasync.Batch) (bool, error) {
	v := rec[f.column]
	if v.IsNull() {
		null := strings.EqualFold(f.operand, "null")
		switch f.op {
		case Equal:
			return !null, nil
		case NotEqual:
			return null, nil
		}
		return true, nil
	}
	var c int
	switch v.Kind() {
	case datasync.KindFloat, datasync.KindDecimal:
		if f.floatErr != nil {
			return false, f.notNumber("a number")
		}
		x, err := asDouble(v)
		if err != nil {
			return false, columnError(f.schema, f.column, v.String(), err)
		}
		if x != x || f.float != f.float { // NaN: every comparison is false, != is true
			return f.op != NotEqual, nil
		}
		c = cmpOrdered(x, f.float)
	case datasync.KindInt, datasync.KindDate, datasync.KindTime, datasync.KindTimestamp:
		if f.intErr != nil {
			return false, f.notNumber("an integer")
		}
		c = cmpOrdered(asLong(v), f.int)
	default:
		s, _ := text(v, &f.scratch)
		c = compareUTF16(s, f.operand)
	}
	var holds bool
	switch f.op {
	case Greater:
		holds = c > 0
	case Less:
		holds = c < 0
	case Equal:
		holds = c == 0
	case NotEqual:
		holds = c != 0
	case GreaterEqual:
		holds = c >= 0
	case LessEqual:
		holds = c <= 0
	}
	return !holds, nil
}

func (f *filterFunc) notNumber(what string) error {
	return columnError(f.schema, f.column, "", fmt.Errorf("dx_filter: operand %q is not %s, which a %s column is compared with",
		f.operand, what, f.schema[f.column].Kind))
}

func cmpOrdered[T int64 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// asDouble is Java's DoubleColumn.asDouble: the nearest float64.
func asDouble(v datasync.Value) (float64, error) {
	if v.Kind() == datasync.KindFloat {
		return v.AsFloat()
	}
	x, err := strconv.ParseFloat(unsafeString(v.Raw()), 64)
	if err != nil && !math.IsInf(x, 0) {
		return 0, err
	}
	return x, nil
}

// asLong is Java's LongColumn and DateColumn asLong: the integer, or the
// milliseconds since the epoch (UTC), rounded down.
func asLong(v datasync.Value) int64 {
	const microsPerDay = 86_400_000_000
	var micros int64
	switch v.Kind() {
	case datasync.KindInt:
		i, _ := v.AsInt()
		return i
	case datasync.KindDate:
		d, _ := v.AsDate()
		micros = d.Days() * microsPerDay
	case datasync.KindTime:
		t, _ := v.AsTime()
		micros = t.Micros()
	case datasync.KindTimestamp:
		ts, _ := v.AsTimestamp()
		micros = ts.UnixMicro()
	}
	ms := micros / 1000
	if micros%1000 < 0 {
		ms--
	}
	return ms
}
