package datasync

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

// Kind is the simplified type of a Value. Every database and file type maps to
// one Kind; the connectors' package docs give their mapping tables.
type Kind uint8

// The kinds. KindNull is the zero Kind, so the zero Value is NULL.
const (
	KindNull      Kind = iota // no value
	KindBool                  // bool
	KindInt                   // int64
	KindFloat                 // float64, or a float32 ([Float32])
	KindDecimal               // exact decimal, kept as canonical text
	KindString                // UTF-8 text
	KindBytes                 // raw bytes
	KindDate                  // calendar date ([Date])
	KindTime                  // time of day, microseconds ([TimeOfDay])
	KindTimestamp             // instant or wall-clock time, microseconds ([Timestamp])
	KindJSON                  // JSON text
	numKinds
)

var kindNames = [numKinds]string{"Null", "Bool", "Int", "Float", "Decimal", "String", "Bytes", "Date", "Time", "Timestamp", "JSON"}

// String returns the kind's name, such as "Int".
func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// ParseKind returns the Kind named s (case-insensitive), as printed by
// [Kind.String]. Other systems' type names (DataX's "long" or "double") are
// for the job-file layer to translate.
func ParseKind(s string) (Kind, bool) {
	for k, name := range kindNames {
		if strings.EqualFold(s, name) {
			return Kind(k), true
		}
	}
	return KindNull, false
}

// MarshalText returns the kind's name, as String does, so that kinds read
// as their names in JSON settings.
func (k Kind) MarshalText() ([]byte, error) {
	if k >= numKinds {
		return nil, fmt.Errorf("datasync: %v is not a kind", k)
	}
	return []byte(kindNames[k]), nil
}

// UnmarshalText sets k to the kind named by text, as ParseKind reads it.
func (k *Kind) UnmarshalText(text []byte) error {
	parsed, ok := ParseKind(string(text))
	if !ok {
		return fmt.Errorf("%q is not a kind (%s)", text, strings.Join(kindNames[1:], ", "))
	}
	*k = parsed
	return nil
}

// Kinds returns every Kind, KindNull first.
func Kinds() []Kind {
	ks := make([]Kind, numKinds)
	for i := range ks {
		ks[i] = Kind(i)
	}
	return ks
}

// Value is one column value: a small tagged struct (32 bytes) that is passed
// by value and costs no allocation to build. The zero Value is NULL.
//
// The variable-width kinds (String, Bytes, Decimal, JSON) may point into
// memory the Value does not own: a Batch's arena or a byte slice given to
// [Bytes]. Such a Value is valid until that memory is reused (for a Batch,
// until [Batch.Reset]); [Value.Clone] returns one that may be kept.
type Value struct {
	str   string // payload of the variable-width kinds
	num   int64  // payload of the fixed-width kinds (Float as its IEEE bits)
	kind  Kind
	flags valueFlags
}

type valueFlags uint8

const (
	flagBorrowed valueFlags = 1 << iota // str points into memory owned by someone else
	flagInstant                         // a Timestamp that is an instant
	flagFloat32                         // a Float read from a single-precision column
)

// Null returns the NULL value.
func Null() Value { return Value{} }

// Bool returns a Bool value.
func Bool(b bool) Value {
	if b {
		return Value{kind: KindBool, num: 1}
	}
	return Value{kind: KindBool}
}

// Int returns an Int value.
func Int(i int64) Value { return Value{kind: KindInt, num: i} }

// Float returns a Float value. NaN and the infinities are allowed.
func Float(f float64) Value { return Value{kind: KindFloat, num: int64(math.Float64bits(f))} }

// Float32 returns a Float value that is a single-precision float, as read
// from a FLOAT or real column. It is the float64 f widens to, exactly, so
// [Value.AsFloat] gives that (0.1 gives 0.10000000149011612); but it
// remembers its precision: its text forms are the shortest text of the
// float32 ("0.1", also as a Decimal or JSON), and a single-precision column
// takes it with the same bits (see [Value.AsFloat32]). NaN, the infinities
// and -0 are allowed.
func Float32(f float32) Value {
	return Value{kind: KindFloat, num: int64(math.Float64bits(float64(f))), flags: flagFloat32}
}

// Decimal returns an exact Decimal value from its text: an optional sign,
// digits with an optional point, an optional exponent ("1.5e3"), or NaN,
// Infinity, -Infinity. It fails when s is not such a number. The value keeps
// its scale ("1.50" stays "1.50") and is never rounded.
func Decimal(s string) (Value, error) {
	if isCanonicalDecimal(s) {
		return Value{kind: KindDecimal, str: s}, nil
	}
	b, err := appendDecimal(nil, s)
	if err != nil {
		return Value{}, &ConversionError{From: KindString, To: KindDecimal, Text: s, Err: err}
	}
	return Value{kind: KindDecimal, str: string(b)}, nil
}

// String returns a String value. s should be UTF-8; connectors that must
// guarantee it check it.
func String(s string) Value { return Value{kind: KindString, str: s} }

// Bytes returns a Bytes value that refers to b without copying it: b must not
// change while the Value is in use (call [Value.Clone] to keep a copy).
func Bytes(b []byte) Value {
	return Value{kind: KindBytes, str: unsafe.String(unsafe.SliceData(b), len(b)), flags: flagBorrowed}
}

// JSON returns a JSON value holding raw, which the caller vouches is valid
// JSON (databases' json columns are). Converting a String to JSON checks it.
func JSON(raw string) Value { return Value{kind: KindJSON, str: raw} }

// DateValue returns a Date value.
func DateValue(d Date) Value { return Value{kind: KindDate, num: d.days} }

// TimeValue returns a Time value.
func TimeValue(t TimeOfDay) Value { return Value{kind: KindTime, num: int64(t)} }

// TimestampValue returns a Timestamp value, an instant or a wall-clock time as
// ts is.
func TimestampValue(ts Timestamp) Value {
	v := Value{kind: KindTimestamp, num: ts.micros}
	if ts.instant {
		v.flags = flagInstant
	}
	return v
}

// Instant returns a Timestamp value for the instant t, truncated to the
// microsecond; shorthand for TimestampValue(InstantOf(t)).
func Instant(t time.Time) Value { return TimestampValue(InstantOf(t)) }

// WallClock returns a wall-clock Timestamp value with t's date and clock
// fields in t's location, truncated to the microsecond; shorthand for
// TimestampValue(WallClockOf(t)).
func WallClock(t time.Time) Value { return TimestampValue(WallClockOf(t)) }

// Kind returns the value's kind.
func (v Value) Kind() Kind { return v.kind }

// IsFloat32 reports whether v is a Float made by [Float32]: a
// single-precision value.
func (v Value) IsFloat32() bool { return v.flags&flagFloat32 != 0 }

// IsNull reports whether v is NULL.
func (v Value) IsNull() bool { return v.kind == KindNull }

// Raw returns the payload of a String, Bytes, Decimal or JSON value without
// copying, and nil for the other kinds. The caller must not modify it, and it
// is valid as long as v is.
func (v Value) Raw() []byte {
	if len(v.str) == 0 {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(v.str), len(v.str))
}

// Size returns the number of bytes v counts for in throttling and reports:
// 0 for NULL, 1 for Bool, 8 for Int, Float, Date, Time and Timestamp, and the
// length of the payload for String, Bytes, Decimal and JSON. This is the one
// definition of a value's size in datasync.
func (v Value) Size() int {
	switch v.kind {
	case KindNull:
		return 0
	case KindBool:
		return 1
	case KindString, KindBytes, KindDecimal, KindJSON:
		return len(v.str)
	}
	return 8
}

// Clone returns a Value that owns its payload, so it stays valid after the
// memory v points into is reused.
func (v Value) Clone() Value {
	if v.flags&flagBorrowed != 0 {
		v.str = strings.Clone(v.str)
		v.flags &^= flagBorrowed
	}
	return v
}

// Equal reports whether v and w are the same kind with the same payload.
// Floats compare by bits (NaN equals NaN), and a [Float32] equals only a
// Float32; decimals compare as text, so "1.5" and "1.50" differ; an instant
// never equals a wall-clock time.
func (v Value) Equal(w Value) bool {
	const meaning = flagInstant | flagFloat32
	return v.kind == w.kind && v.num == w.num && v.str == w.str && v.flags&meaning == w.flags&meaning
}

// String returns the value's text form for display: "NULL" for NULL and
// otherwise what [Value.AppendTo] gives.
func (v Value) String() string {
	if v.kind == KindNull {
		return "NULL"
	}
	return string(v.AppendTo(nil))
}

// AppendTo appends the value's text form to dst without allocating:
//
//	Null       nothing (callers choose how to write NULL)
//	Bool       true | false
//	Int        decimal digits
//	Float      shortest text that reads back exactly ("0.1", "1e+21"), as a float32 for a
//	           Float32 (so 0.1, not 0.10000000149011612); NaN, Infinity, -Infinity
//	Decimal    canonical text ("-12.50")
//	String     the text
//	Bytes      the raw bytes (text formats choose an encoding for them)
//	Date       YYYY-MM-DD
//	Time       HH:MM:SS[.ffffff]
//	Timestamp  YYYY-MM-DD HH:MM:SS[.ffffff], with a trailing Z for an instant
//	JSON       the JSON text
func (v Value) AppendTo(dst []byte) []byte {
	switch v.kind {
	case KindNull:
		return dst
	case KindBool:
		return strconv.AppendBool(dst, v.num != 0)
	case KindInt:
		return strconv.AppendInt(dst, v.num, 10)
	case KindFloat:
		return appendFloat(dst, v.float(), v.floatBits())
	case KindDate:
		return Date{v.num}.AppendTo(dst)
	case KindTime:
		return TimeOfDay(v.num).AppendTo(dst)
	case KindTimestamp:
		return v.timestamp().AppendTo(dst)
	}
	return append(dst, v.str...)
}

// appendFloat writes the shortest text that reads back as f, a float of
// bitSize 64 or 32 bits, in positional notation for exponents -6 to 20 and
// in exponent notation beyond (as encoding/json does).
func appendFloat(dst []byte, f float64, bitSize int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	abs := math.Abs(f)
	exp := abs != 0 && (abs < 1e-6 || abs >= 1e21)
	if bitSize == 32 {
		// The float32 thresholds, as encoding/json has them.
		abs32 := float32(abs)
		exp = abs32 != 0 && (abs32 < 1e-6 || abs32 >= 1e21)
	}
	if exp {
		return strconv.AppendFloat(dst, f, 'g', -1, bitSize)
	}
	return strconv.AppendFloat(dst, f, 'f', -1, bitSize)
}

func (v Value) float() float64 { return math.Float64frombits(uint64(v.num)) }

// floatBits returns the precision of a Float: 32 for a Float32, else 64.
func (v Value) floatBits() int {
	if v.flags&flagFloat32 != 0 {
		return 32
	}
	return 64
}

func (v Value) timestamp() Timestamp {
	return Timestamp{micros: v.num, instant: v.flags&flagInstant != 0}
}

// Record is one row: values positioned like the columns of its Schema.
type Record []Value

// Clone returns a deep copy of r that stays valid after the batch r came from
// is reused.
func (r Record) Clone() Record {
	c := make(Record, len(r))
	for i, v := range r {
		c[i] = v.Clone()
	}
	return c
}

// Size returns the sum of the values' sizes (see [Value.Size]).
func (r Record) Size() int {
	n := 0
	for _, v := range r {
		n += v.Size()
	}
	return n
}

// Equal reports whether r and s have equal values (see [Value.Equal]).
func (r Record) Equal(s Record) bool {
	if len(r) != len(s) {
		return false
	}
	for i := range r {
		if !r[i].Equal(s[i]) {
			return false
		}
	}
	return true
}

// String returns the values' text forms in parentheses, for display.
func (r Record) String() string {
	var b bytes.Buffer
	b.WriteByte('(')
	for i, v := range r {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(v.String())
	}
	b.WriteByte(')')
	return b.String()
}

// Column describes one column of a Schema.
type Column struct {
	Name      string // the column's name in the source
	Kind      Kind   // the simplified type of its values
	Nullable  bool   // whether it may hold NULL
	Precision int    // total digits of a Decimal, fractional-second digits of a Time or Timestamp; 0 when unknown
	Scale     int    // digits after the point of a Decimal
	Length    int    // maximum length of a String (characters) or Bytes (bytes); 0 when unbounded or unknown
	Native    string // the source's own type name, such as "varchar(64)" or "timestamptz"
	Key       int    // 1-based position in the primary or split key, 0 when not part of it
}

// Schema is the ordered list of a source's columns.
type Schema []Column

// Index returns the position of the column named name, or -1. Names compare
// exactly first, then without regard to case.
func (s Schema) Index(name string) int {
	for i, c := range s {
		if c.Name == name {
			return i
		}
	}
	for i, c := range s {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}

// Names returns the column names in order.
func (s Schema) Names() []string {
	names := make([]string, len(s))
	for i, c := range s {
		names[i] = c.Name
	}
	return names
}

// String returns "name Kind, ..." for display.
func (s Schema) String() string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Name)
		b.WriteByte(' ')
		b.WriteString(c.Kind.String())
	}
	return b.String()
}
