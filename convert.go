package datasync

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Conversion rules. Value.Convert(k) returns the value as kind k, or a
// *ConversionError when that would lose information or the value is not valid
// for k. NULL converts to NULL of every kind; a value converts to its own kind
// unchanged. Bytes convert like the String of the same bytes when they are
// valid UTF-8 (and fail otherwise), except to Bytes. Other pairs:
//
//	to Bool       Int, Float, Decimal: 0 or 1 only. String: true/false, t/f, yes/no,
//	              y/n, on/off, 1/0 (any case). JSON: the literals true and false.
//	to Int        Bool: 0/1. Float, Decimal: integral and within int64. String, JSON:
//	              a decimal number that is integral and within int64 ("12", "12.0", "1e3").
//	to Float      Bool: 0/1. Int: only when float64 holds it exactly (|i| <= 2^53 or
//	              otherwise representable). Decimal, String, JSON: only when the shortest
//	              text of the nearest float64 is the same number ("0.1" yes,
//	              "0.10000000000000000001" no); NaN and the infinities convert.
//	to Decimal    Bool: 0/1. Int: its digits. Float: its shortest exact text (0.1 gives
//	              "0.1"; a Float32's is the float32's, so Float32(0.1) gives "0.1" too);
//	              NaN and infinities as "NaN", "Infinity", "-Infinity".
//	              String, JSON: a decimal number, canonicalized (see Decimal).
//	to String     every kind: its text form (see Value.AppendTo); JSON gives its raw text.
//	to Bytes      every kind: the bytes of its text form.
//	to Date       Timestamp: only at 00:00:00 (UTC for an instant). String: ParseDate.
//	to Time       String: ParseTimeOfDay.
//	to Timestamp  Date: a wall-clock midnight. String: ParseTimestamp (an instant when
//	              the text has a zone).
//	to JSON       Bool, Int, Decimal and finite Float: the JSON literal. String: when it
//	              is valid JSON text. Date, Time, Timestamp: their text form as a JSON
//	              string.
//
// Every pair not listed fails: Date, Time and Timestamp do not convert to or
// from numbers, a Time does not convert to a Date or a Timestamp, and a
// Timestamp does not convert to a Time.

// Convert returns v converted to kind to under the rules above.
func (v Value) Convert(to Kind) (Value, error) {
	if v.kind == to || v.kind == KindNull {
		return v, nil
	}
	orig := v
	if v.kind == KindBytes && to != KindBytes {
		if !utf8.ValidString(v.str) {
			return Value{}, orig.convErr(to, errors.New("bytes are not valid UTF-8"))
		}
		v.kind = KindString
		if to == KindString {
			return v, nil
		}
	}
	var out Value
	var err error
	switch to {
	case KindBool:
		out, err = v.toBool()
	case KindInt:
		out, err = v.toInt()
	case KindFloat:
		out, err = v.toFloat()
	case KindDecimal:
		out, err = v.toDecimal()
	case KindString, KindBytes:
		out = v.toText(to)
	case KindDate:
		out, err = v.toDate()
	case KindTime:
		out, err = v.toTime()
	case KindTimestamp:
		out, err = v.toTimestamp()
	case KindJSON:
		out, err = v.toJSON()
	case KindNull:
		err = errors.New("only NULL is of kind Null")
	default:
		err = errors.New("unknown kind")
	}
	if err != nil {
		return Value{}, orig.convErr(to, err)
	}
	return out, nil
}

var (
	errIncompatible = errors.New("incompatible kinds")
	errNotZeroOrOne = errors.New("only 0 and 1 are booleans")
	errNotBool      = errors.New("not a boolean")
	errFraction     = errors.New("has a fractional part")
	errIntRange     = errors.New("out of the range of a 64-bit integer")
	errInexact      = errors.New("float64 cannot hold it exactly")
)

func (v Value) convErr(to Kind, err error) *ConversionError {
	text := v.str
	if v.kind != KindString && v.kind != KindBytes && v.kind != KindDecimal && v.kind != KindJSON {
		text = string(v.AppendTo(nil))
	}
	if len(text) > 100 {
		text = text[:100]
	}
	return &ConversionError{From: v.kind, To: to, Text: text, Err: err}
}

func (v Value) toBool() (Value, error) {
	switch v.kind {
	case KindInt, KindFloat, KindDecimal:
		n, err := v.toInt()
		if err != nil || (n.num != 0 && n.num != 1) {
			return Value{}, errNotZeroOrOne
		}
		return Bool(n.num == 1), nil
	case KindString:
		switch strings.ToLower(v.str) {
		case "true", "t", "yes", "y", "on", "1":
			return Bool(true), nil
		case "false", "f", "no", "n", "off", "0":
			return Bool(false), nil
		}
		return Value{}, errNotBool
	case KindJSON:
		switch strings.TrimSpace(v.str) {
		case "true":
			return Bool(true), nil
		case "false":
			return Bool(false), nil
		}
		return Value{}, errNotBool
	}
	return Value{}, errIncompatible
}

func (v Value) toInt() (Value, error) {
	switch v.kind {
	case KindBool, KindInt:
		return Int(v.num), nil
	case KindFloat:
		f := v.float()
		if f != math.Trunc(f) || math.IsInf(f, 0) {
			return Value{}, errFraction
		}
		if f < -(1<<63) || f >= 1<<63 {
			return Value{}, errIntRange
		}
		return Int(int64(f)), nil
	case KindDecimal, KindString, KindJSON:
		dec, err := v.decimalText()
		if err != nil {
			return Value{}, err
		}
		n, err := decimalInt64(dec)
		if err != nil {
			return Value{}, err
		}
		return Int(n), nil
	}
	return Value{}, errIncompatible
}

func (v Value) toFloat() (Value, error) {
	switch v.kind {
	case KindBool:
		return Float(float64(v.num)), nil
	case KindInt:
		f := float64(v.num)
		if f >= 1<<63 || int64(f) != v.num {
			return Value{}, errInexact
		}
		return Float(f), nil
	case KindDecimal, KindString, KindJSON:
		dec, err := v.decimalText()
		if err != nil {
			return Value{}, err
		}
		switch dec {
		case "NaN":
			return Float(math.NaN()), nil
		case "Infinity":
			return Float(math.Inf(1)), nil
		case "-Infinity":
			return Float(math.Inf(-1)), nil
		}
		f, err := strconv.ParseFloat(dec, 64)
		if err != nil {
			return Value{}, errInexact // only a range error is possible here
		}
		back, _ := appendDecimal(nil, strconv.AppendFloat(nil, f, 'e', -1, 64))
		if decimalTrimmed(string(back)) != decimalTrimmed(dec) {
			return Value{}, errInexact
		}
		return Float(f), nil
	}
	return Value{}, errIncompatible
}

func (v Value) toDecimal() (Value, error) {
	switch v.kind {
	case KindBool, KindInt:
		return Value{kind: KindDecimal, str: strconv.FormatInt(v.num, 10)}, nil
	case KindFloat:
		f := v.float()
		var text []byte
		switch {
		case math.IsNaN(f):
			text = []byte("NaN")
		case math.IsInf(f, 1):
			text = []byte("Infinity")
		case math.IsInf(f, -1):
			text = []byte("-Infinity")
		default:
			text, _ = appendDecimal(nil, strconv.AppendFloat(nil, f, 'e', -1, v.floatBits()))
		}
		return Value{kind: KindDecimal, str: string(text)}, nil
	case KindString, KindJSON:
		dec, err := v.decimalText()
		if err != nil {
			return Value{}, err
		}
		return Value{kind: KindDecimal, str: dec}, nil
	}
	return Value{}, errIncompatible
}

// decimalText returns v's canonical decimal text, for Decimal, String and
// JSON values.
func (v Value) decimalText() (string, error) {
	if v.kind == KindDecimal {
		return v.str, nil
	}
	s := v.str
	if v.kind == KindJSON {
		s = strings.TrimSpace(s)
		if s == "" || (s[0] != '-' && !isDigit(s[0])) {
			return "", errors.New("not a JSON number")
		}
	}
	if isCanonicalDecimal(s) {
		return strings.Clone(s), nil
	}
	b, err := appendDecimal(nil, s)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

func (v Value) toText(to Kind) Value {
	switch v.kind {
	case KindString, KindBytes, KindDecimal, KindJSON:
		return Value{kind: to, str: v.str, flags: v.flags & flagBorrowed}
	}
	return Value{kind: to, str: string(v.AppendTo(nil))}
}

func (v Value) toDate() (Value, error) {
	switch v.kind {
	case KindTimestamp:
		ts := v.timestamp()
		if ts.Infinite() == 0 && ts.TimeOfDay() != 0 {
			return Value{}, errors.New("has a time of day")
		}
		return DateValue(ts.Date()), nil
	case KindString:
		d, err := ParseDate(v.str)
		if err != nil {
			return Value{}, err
		}
		return DateValue(d), nil
	}
	return Value{}, errIncompatible
}

func (v Value) toTime() (Value, error) {
	if v.kind == KindString {
		t, err := ParseTimeOfDay(v.str)
		if err != nil {
			return Value{}, err
		}
		return TimeValue(t), nil
	}
	return Value{}, errIncompatible
}

func (v Value) toTimestamp() (Value, error) {
	switch v.kind {
	case KindDate:
		if inf := infiniteSign(v.num); inf != 0 {
			return TimestampValue(Timestamp{micros: v.num}), nil
		}
		micros, ok := timestampMicros(v.num, 0, 0)
		if !ok {
			return Value{}, errTimestampRange
		}
		return TimestampValue(Timestamp{micros: micros}), nil
	case KindString:
		ts, err := ParseTimestamp(v.str)
		if err != nil {
			return Value{}, err
		}
		return TimestampValue(ts), nil
	}
	return Value{}, errIncompatible
}

func (v Value) toJSON() (Value, error) {
	switch v.kind {
	case KindBool, KindInt, KindDecimal:
		if v.kind == KindDecimal && !isCanonicalDecimal(v.str) {
			return Value{}, errors.New("NaN and infinities have no JSON form")
		}
		return Value{kind: KindJSON, str: string(v.AppendTo(nil))}, nil
	case KindFloat:
		if f := v.float(); math.IsNaN(f) || math.IsInf(f, 0) {
			return Value{}, errors.New("NaN and infinities have no JSON form")
		}
		return Value{kind: KindJSON, str: string(v.AppendTo(nil))}, nil
	case KindString:
		if !json.Valid([]byte(v.str)) {
			return Value{}, errors.New("not valid JSON")
		}
		return Value{kind: KindJSON, str: v.str, flags: v.flags & flagBorrowed}, nil
	case KindDate, KindTime, KindTimestamp:
		return Value{kind: KindJSON, str: strconv.Quote(string(v.AppendTo(nil)))}, nil
	}
	return Value{}, errIncompatible
}

// AsBool returns v as a bool (see [Value.Convert] for the rules). It fails
// with ErrNull for NULL and with a *ConversionError when v is not a boolean.
func (v Value) AsBool() (bool, error) {
	c, err := v.as(KindBool)
	return c.num != 0, err
}

// AsInt returns v as an int64 (see [Value.Convert] for the rules). It fails
// with ErrNull for NULL and with a *ConversionError when v is not an integer
// or does not fit.
func (v Value) AsInt() (int64, error) {
	c, err := v.as(KindInt)
	return c.num, err
}

// AsFloat returns v as a float64 (see [Value.Convert] for the rules). It fails
// with ErrNull for NULL and with a *ConversionError when float64 cannot hold v
// exactly.
func (v Value) AsFloat() (float64, error) {
	c, err := v.as(KindFloat)
	return c.float(), err
}

// AsDecimal returns v as canonical decimal text (see [Decimal]). It fails
// with ErrNull for NULL and with a *ConversionError when v is not a number.
func (v Value) AsDecimal() (string, error) {
	c, err := v.as(KindDecimal)
	if err != nil {
		return "", err
	}
	return c.ownedString(), nil
}

// AsString returns v's text form (see [Value.AppendTo]) as a string that may
// be kept. It fails with ErrNull for NULL and with a *ConversionError for
// Bytes that are not valid UTF-8.
func (v Value) AsString() (string, error) {
	c, err := v.as(KindString)
	if err != nil {
		return "", err
	}
	return c.ownedString(), nil
}

// AsBytes returns a copy of v's payload for Bytes, or of its text form for
// the other kinds. It fails with ErrNull for NULL.
func (v Value) AsBytes() ([]byte, error) {
	c, err := v.as(KindBytes)
	if err != nil {
		return nil, err
	}
	return []byte(c.str), nil
}

// AsJSON returns v as JSON text (see [Value.Convert] for the rules). It fails
// with ErrNull for NULL and with a *ConversionError when v has no JSON form.
func (v Value) AsJSON() (string, error) {
	c, err := v.as(KindJSON)
	if err != nil {
		return "", err
	}
	return c.ownedString(), nil
}

// AsDate returns v as a Date (see [Value.Convert] for the rules). It fails
// with ErrNull for NULL and with a *ConversionError otherwise.
func (v Value) AsDate() (Date, error) {
	c, err := v.as(KindDate)
	return Date{c.num}, err
}

// AsTime returns v as a TimeOfDay (see [Value.Convert] for the rules). It
// fails with ErrNull for NULL and with a *ConversionError otherwise.
func (v Value) AsTime() (TimeOfDay, error) {
	c, err := v.as(KindTime)
	return TimeOfDay(c.num), err
}

// AsTimestamp returns v as a Timestamp (see [Value.Convert] for the rules).
// It fails with ErrNull for NULL and with a *ConversionError otherwise.
func (v Value) AsTimestamp() (Timestamp, error) {
	c, err := v.as(KindTimestamp)
	return c.timestamp(), err
}

func (v Value) as(k Kind) (Value, error) {
	if v.kind == KindNull {
		return Value{}, ErrNull
	}
	return v.Convert(k)
}

// ownedString returns the payload as a string the caller may keep.
func (v Value) ownedString() string {
	if v.flags&flagBorrowed != 0 {
		return strings.Clone(v.str)
	}
	return v.str
}

// ErrNull is returned by the As accessors of a NULL Value.
var ErrNull = errors.New("datasync: value is NULL")

// ConversionError reports a value that cannot be converted to another kind
// without loss, or that is not valid for it.
type ConversionError struct {
	From Kind   // the value's kind
	To   Kind   // the kind asked for
	Text string // the value's text form, shortened to 100 bytes
	Err  error  // why
}

func (e *ConversionError) Error() string {
	return fmt.Sprintf("cannot convert %s %s to %s: %v", e.From, quoteShort(e.Text), e.To, e.Err)
}

// Unwrap returns the cause.
func (e *ConversionError) Unwrap() error { return e.Err }
