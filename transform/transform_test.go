package transform_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/transform"
)

var schema = ds.Schema{
	{Name: "id", Kind: ds.KindInt},
	{Name: "name", Kind: ds.KindString, Nullable: true},
}

// run passes one record through t and returns the record, whether it was
// kept, and the error.
func run(t *testing.T, tr ds.Transformer, sch ds.Schema, rec ds.Record) (ds.Record, bool, error) {
	t.Helper()
	f, err := tr.NewTransform(sch)
	require.NoError(t, err)
	b := ds.NewBatch(sch, 4, 1<<10)
	row := b.Append()
	copy(row, rec)
	keep, err := f(row, b)
	return row.Clone(), keep, err
}

// str runs t over the string s in column 1 and returns the resulting text.
func str(t *testing.T, tr ds.Transformer, s ds.Value) ds.Value {
	t.Helper()
	out, keep, err := run(t, tr, schema, ds.Record{ds.Int(1), s})
	require.NoError(t, err)
	require.True(t, keep)
	return out[1]
}

func TestSubstr(t *testing.T) {
	for _, tc := range []struct {
		start, length int
		in, want      string
	}{
		{2, 5, "dataxTest", "taxTe"}, // DataX's doc examples
		{5, 10, "dataxTest", "Test"},
		{0, 0, "abc", ""},
		{3, 1, "abc", ""},        // start == length: the empty tail
		{1, 2, "a😀b", "😀"},       // 😀 is two UTF-16 units, as in Java
		{2, 2, "a😀b", "\uFFFDb"}, // a cut through it leaves U+FFFD
		{0, 3, "日本語です", "日本語"},
	} {
		got := str(t, transform.Substr(1, tc.start, tc.length), ds.String(tc.in))
		assert.Equal(t, ds.String(tc.want), got, "Substr(%d, %d) of %q", tc.start, tc.length, tc.in)
	}
	// An Int column is read as its text and becomes a String.
	out, _, err := run(t, transform.Substr(0, 1, 2), schema, ds.Record{ds.Int(12345), ds.Null()})
	require.NoError(t, err)
	assert.Equal(t, ds.String("23"), out[0])
	// NULL stays NULL.
	assert.Equal(t, ds.Null(), str(t, transform.Substr(1, 1, 2), ds.Null()))
	// A start past the end makes the record dirty, naming the column.
	_, _, err = run(t, transform.Substr(1, 4, 1), schema, ds.Record{ds.Int(1), ds.String("abc")})
	var re *ds.RowError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "name", re.Column)
	assert.ErrorContains(t, err, "startIndex(4) out of range(3)")
}

func TestReplace(t *testing.T) {
	for _, tc := range []struct {
		start, length int
		with, in      string
		want          string
	}{
		{2, 4, "****", "dataxTest", "da****est"}, // DataX's doc examples
		{5, 10, "****", "dataxTest", "datax****"},
		{0, 0, "x", "abc", "xabc"},
		{3, 0, "x", "abc", "abcx"},
		{1, 2, "", "a😀b", "ab"},
	} {
		got := str(t, transform.Replace(1, tc.start, tc.length, tc.with), ds.String(tc.in))
		assert.Equal(t, ds.String(tc.want), got, "Replace(%d, %d, %q) of %q", tc.start, tc.length, tc.with, tc.in)
	}
	assert.Equal(t, ds.Null(), str(t, transform.Replace(1, 1, 2, "x"), ds.Null()))
	_, _, err := run(t, transform.Replace(1, 9, 1, "x"), schema, ds.Record{ds.Int(1), ds.String("abc")})
	assert.ErrorContains(t, err, "dx_replace startIndex(9) out of range(3)")
}

func TestPad(t *testing.T) {
	for _, tc := range []struct {
		side    transform.Side
		length  int
		pad, in string
		want    string
	}{
		{transform.Left, 4, "A", "xyz", "Axyz"}, // DataX's doc examples
		{transform.Left, 4, "A", "xyzzzzz", "xyzz"},
		{transform.Right, 4, "A", "xyz", "xyzA"},
		{transform.Right, 4, "A", "xyzzzzz", "xyzz"},
		{transform.Left, 8, "12345", "abc", "12345abc"},
		{transform.Left, 7, "12345", "abc", "1234abc"}, // the last repeat is cut short
		{transform.Right, 9, "ab", "x", "xabababab"},
		{transform.Left, 0, "ab", "x", ""},
	} {
		got := str(t, transform.Pad(1, tc.side, tc.length, tc.pad), ds.String(tc.in))
		assert.Equal(t, ds.String(tc.want), got, "Pad(%v, %d, %q) of %q", tc.side, tc.length, tc.pad, tc.in)
	}
	// NULL is padded as "".
	assert.Equal(t, ds.String("AAA"), str(t, transform.Pad(1, transform.Left, 3, "A"), ds.Null()))
}

func TestDigest(t *testing.T) {
	assert.Equal(t, ds.String("9CDFFC4FA4E45A99DB8BBCD762ACFFA2"), str(t, transform.Digest(1, transform.MD5, true), ds.String("xyzzzzz"))) // DataX's doc
	assert.Equal(t, ds.String("9cdffc4fa4e45a99db8bbcd762acffa2"), str(t, transform.Digest(1, transform.MD5, false), ds.String("xyzzzzz")))
	assert.Equal(t, ds.String("a9993e364706816aba3e25717850c26c9cd0d89d"), str(t, transform.Digest(1, transform.SHA1, false), ds.String("abc")))
	// NULL is hashed as "".
	assert.Equal(t, ds.String("D41D8CD98F00B204E9800998ECF8427E"), str(t, transform.Digest(1, transform.MD5, true), ds.Null()))
	// A long text (no stack buffer) and a non-string column.
	out, _, err := run(t, transform.Digest(0, transform.MD5, false), schema, ds.Record{ds.Int(42), ds.Null()})
	require.NoError(t, err)
	assert.Equal(t, ds.String("a1d0c6e83f027327d8461063f4ac58a6"), out[0])
}

func TestFilter(t *testing.T) {
	wide := ds.Schema{
		{Name: "i", Kind: ds.KindInt, Nullable: true},
		{Name: "f", Kind: ds.KindFloat, Nullable: true},
		{Name: "d", Kind: ds.KindDecimal, Nullable: true},
		{Name: "s", Kind: ds.KindString, Nullable: true},
		{Name: "b", Kind: ds.KindBool, Nullable: true},
		{Name: "day", Kind: ds.KindDate, Nullable: true},
		{Name: "ts", Kind: ds.KindTimestamp, Nullable: true},
	}
	dec, _ := ds.Decimal("10.5")
	row := ds.Record{ds.Int(10), ds.Float(2.5), dec, ds.String("dataxTest"), ds.Bool(true),
		ds.DateValue(ds.DateOf(1970, time.January, 2)), ds.Instant(time.UnixMilli(1500).UTC())}
	nulls := make(ds.Record, len(wide))
	for _, tc := range []struct {
		column  int
		op      string
		operand string
		rec     ds.Record
		dropped bool
	}{
		{0, ">", "9", row, true}, {0, ">", "10", row, false}, {0, ">=", "10", row, true},
		{0, "<", "11", row, true}, {0, "<=", "9", row, false}, {0, "=", "10", row, true},
		{0, "==", "10", row, true}, {0, "!=", "10", row, false}, {0, "!=", "+11", row, true},
		{1, ">", "2.4", row, true}, {1, "=", "2.5", row, true}, {1, "<", "1e1", row, true},
		{2, ">=", "10.5", row, true}, {2, "<", "10.5", row, false},
		// Text compares by code units: "dataxTest" < "datay".
		{3, "<", "datay", row, true}, {3, ">", "data", row, true}, {3, "=", "dataxTest", row, true},
		{4, "=", "true", row, true}, {4, "=", "TRUE", row, false},
		// A Date is its milliseconds: 1970-01-02 is 86400000.
		{5, "=", "86400000", row, true}, {5, ">", "86400000", row, false},
		{6, "=", "1500", row, true},
		// like is a whole-text regular expression match.
		{3, "like", "data.*", row, true}, {3, "like", "data", row, false}, {3, "LIKE", "[a-z]+T[a-z]+", row, true},
		{3, "not like", "data", row, true}, {3, "not like", "data.*", row, false},
		{0, "like", "1\\d", row, true}, // a number is matched as its text
		// NULL: never compared; = null drops it, != null keeps it only.
		{0, ">", "0", nulls, false}, {0, "<", "0", nulls, false}, {0, ">=", "0", nulls, false}, {0, "<=", "0", nulls, false},
		{0, "=", "null", nulls, true}, {0, "=", "NULL", nulls, true}, {0, "=", "0", nulls, false},
		{0, "!=", "null", nulls, false}, {0, "!=", "0", nulls, true},
		{3, "like", ".*", nulls, false}, {3, "not like", ".*", nulls, true},
	} {
		op, err := transform.ParseOp(tc.op)
		require.NoError(t, err)
		_, keep, err := run(t, transform.Filter(tc.column, op, tc.operand), wide, tc.rec)
		require.NoError(t, err, "%s %s %s", wide[tc.column].Name, tc.op, tc.operand)
		assert.Equal(t, !tc.dropped, keep, "%s %s %s on %v", wide[tc.column].Name, tc.op, tc.operand, tc.rec)
	}
	// An operand that is not a number for a numeric column makes the record dirty.
	_, _, err := run(t, transform.Filter(0, transform.Greater, "ten"), wide, row)
	var re *ds.RowError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "i", re.Column)
	assert.ErrorContains(t, err, `operand "ten" is not an integer`)
	// NaN: every comparison fails but !=.
	nan := ds.Record{ds.Null(), ds.Float(nanValue())}
	_, keep, _ := run(t, transform.Filter(1, transform.Equal, "NaN"), wide, nan)
	assert.True(t, keep)
	_, keep, _ = run(t, transform.Filter(1, transform.NotEqual, "NaN"), wide, nan)
	assert.False(t, keep)
}

func nanValue() float64 { var z float64; return z / z }

func TestRefusedParameters(t *testing.T) {
	for _, tc := range []struct {
		tr   ds.Transformer
		want string
	}{
		{transform.Substr(2, 0, 1), "Substr: column index 2 is out of range: the source has 2 columns (0 to 1)"},
		{transform.Substr(-1, 0, 1), "column index -1 is out of range"},
		{transform.Substr(1, -1, 1), "must not be negative"},
		{transform.Replace(1, 0, -1, "x"), "must not be negative"},
		{transform.Pad(1, transform.Left, 3, ""), "padding text is empty"},
		{transform.Pad(1, transform.Left, -3, "a"), "length -3 must not be negative"},
		{transform.Pad(1, 0, 3, "a"), "neither Left nor Right"},
		{transform.Digest(1, 0, false), "neither MD5 nor SHA1"},
		{transform.Filter(1, transform.Like, "a(?=b)"), "Filter: like"},
		{transform.Filter(1, transform.Equal, ""), "operand is empty"},
		{transform.Filter(1, 0, "x"), "is not an operator"},
	} {
		_, err := tc.tr.NewTransform(schema)
		assert.ErrorContains(t, err, tc.want)
	}
	_, err := transform.ParseOp("~")
	assert.ErrorContains(t, err, `operator "~" is not one of`)
}
