package mongodb

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/datasync-go/datasync"
)

// rawOf returns v as a BSON value.
func rawOf(t *testing.T, v any) bson.RawValue {
	t.Helper()
	doc, err := bson.Marshal(bson.D{{Key: "v", Value: v}})
	require.NoError(t, err)
	return bson.Raw(doc).Lookup("v")
}

func mustDecimal(t *testing.T, s string) datasync.Value {
	t.Helper()
	v, err := datasync.Decimal(s)
	require.NoError(t, err)
	return v
}

func TestValueOfEachBSONType(t *testing.T) {
	oid, err := bson.ObjectIDFromHex("65a1b2c3d4e5f60718293a4b")
	require.NoError(t, err)
	when := time.Date(2024, 3, 1, 12, 30, 45, 123_000_000, time.UTC)
	dec := func(s string) bson.Decimal128 {
		d, err := bson.ParseDecimal128(s)
		require.NoError(t, err)
		return d
	}
	for _, tc := range []struct {
		name string
		in   any
		want datasync.Value
	}{
		{"double", 1.5, datasync.Float(1.5)},
		{"string", "héllo", datasync.String("héllo")},
		{"objectId as hex", oid, datasync.String("65a1b2c3d4e5f60718293a4b")},
		{"bool", true, datasync.Bool(true)},
		{"date as instant", bson.NewDateTimeFromTime(when), datasync.Instant(when)},
		{"int32", int32(-7), datasync.Int(-7)},
		{"int64", int64(1) << 60, datasync.Int(1 << 60)},
		{"decimal128, 34 digits, exact", dec("1234567890.123456789012345678901234"), mustDecimal(t, "1234567890.123456789012345678901234")},
		{"decimal128 keeps its scale", dec("1.50"), mustDecimal(t, "1.50")},
		{"decimal128 with an exponent", dec("1.23E+5"), mustDecimal(t, "123000")},
		{"decimal128 negative small", dec("-0.000001"), mustDecimal(t, "-0.000001")},
		{"decimal128 NaN", dec("NaN"), mustDecimal(t, "NaN")},
		{"decimal128 -Infinity", dec("-Infinity"), mustDecimal(t, "-Infinity")},
		{"binary", bson.Binary{Subtype: 0, Data: []byte{0, 1, 2, 255}}, datasync.Bytes([]byte{0, 1, 2, 255})},
		{"null", nil, datasync.Null()},
		{"array as JSON", bson.A{int32(1), "x", bson.D{{Key: "k", Value: true}}}, datasync.JSON(`[1,"x",{"k":true}]`)},
		{"document as JSON", bson.D{{Key: "a", Value: int64(2)}, {Key: "b", Value: bson.A{}}}, datasync.JSON(`{"a":2,"b":[]}`)},
		{"document with an ObjectId and a date", bson.D{{Key: "id", Value: oid}, {Key: "at", Value: bson.NewDateTimeFromTime(when)}},
			datasync.JSON(`{"id":{"$oid":"65a1b2c3d4e5f60718293a4b"},"at":{"$date":"2024-03-01T12:30:45.123Z"}}`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := valueOf(rawOf(t, tc.in))
			require.NoError(t, err)
			assert.Equal(t, tc.want.Kind(), got.Kind())
			assert.True(t, tc.want.Equal(got), "got %v, want %v", got, tc.want)
			if got.Kind() == datasync.KindJSON {
				assert.True(t, json.Valid([]byte(got.String())), "%s is JSON", got)
			}
		})
	}
}

// Decimals go to Decimal128 and back digit for digit; FerretDB cannot carry
// Decimal128, so this is tested at the BSON level.
func TestDecimal128RoundTripIsExact(t *testing.T) {
	enc := &encoder{decimal: DecimalAsDecimal128}
	for _, s := range []string{"0", "1.50", "-99999999999999999999999999.99999999", "1234567890123456789012345678901234", "0.0000000000000000000000000000000001", "NaN", "Infinity"} {
		in := mustDecimal(t, s)
		b, err := enc.bsonValue(in, field{name: "d"})
		require.NoError(t, err, s)
		require.IsType(t, bson.Decimal128{}, b, s)
		out, err := valueOf(rawOf(t, b))
		require.NoError(t, err, s)
		assert.Equal(t, in.String(), out.String(), "decimal %s", s)
	}
	_, err := enc.bsonValue(mustDecimal(t, "12345678901234567890123456789012345"), field{name: "d"})
	assert.ErrorContains(t, err, "does not fit Decimal128")

	asText, err := (&encoder{decimal: DecimalAsString}).bsonValue(mustDecimal(t, "12345678901234567890123456789012345.5"), field{name: "d"})
	require.NoError(t, err)
	assert.Equal(t, "12345678901234567890123456789012345.5", asText)
}

func TestEncodeEachKind(t *testing.T) {
	day := datasync.DateOf(2024, 2, 29)
	ts := datasync.TimestampFromMicros(1_700_000_000_123_456, true)
	enc := &encoder{}
	for _, tc := range []struct {
		in   datasync.Value
		want any
	}{
		{datasync.Null(), nil},
		{datasync.Bool(true), true},
		{datasync.Int(-3), int64(-3)},
		{datasync.Float(2.5), 2.5},
		{datasync.String("s"), "s"},
		{datasync.Bytes([]byte{1}), bson.Binary{Data: []byte{1}}},
		{datasync.DateValue(day), bson.NewDateTimeFromTime(day.Time())},
		{datasync.TimestampValue(ts), bson.DateTime(1_700_000_000_123)}, // microseconds dropped
		{datasync.TimeValue(datasync.TimeOfDayOf(1, 2, 3, 0)), "01:02:03"},
	} {
		got, err := enc.bsonValue(tc.in, field{name: "f"})
		require.NoError(t, err, tc.in.String())
		assert.Equal(t, tc.want, got, tc.in.Kind().String())
	}
	doc, err := enc.bsonValue(datasync.JSON(`{"a":[1,{"$oid":"65a1b2c3d4e5f60718293a4b"}]}`), field{name: "f"})
	require.NoError(t, err)
	back, err := valueOf(doc.(bson.RawValue))
	require.NoError(t, err)
	assert.Equal(t, `{"a":[1,{"$oid":"65a1b2c3d4e5f60718293a4b"}]}`, back.String(), "JSON round-trips through BSON")

	oidEnc, err := enc.bsonValue(datasync.String("65a1b2c3d4e5f60718293a4b"), field{name: "_id", objectID: true})
	require.NoError(t, err)
	assert.IsType(t, bson.ObjectID{}, oidEnc)
	_, err = enc.bsonValue(datasync.String("nope"), field{name: "_id", objectID: true})
	assert.ErrorContains(t, err, "not an ObjectId")
}

func TestDocumentNestsDottedPaths(t *testing.T) {
	enc := &encoder{fields: []field{{name: "_id", path: []string{"_id"}}, {name: "a.b", path: []string{"a", "b"}}, {name: "a.c.d", path: []string{"a", "c", "d"}}, {name: "e", path: []string{"e"}}}}
	doc, rerr := enc.document(datasync.Record{datasync.Int(1), datasync.String("x"), datasync.Int(2), datasync.Null()})
	require.Nil(t, rerr)
	out, err := bson.MarshalExtJSON(doc, false, false)
	require.NoError(t, err)
	assert.JSONEq(t, `{"_id":1,"a":{"b":"x","c":{"d":2}},"e":null}`, string(out))
}

func TestDecodeRowReadsNestedPathsAndNamesTheBadColumn(t *testing.T) {
	raw, err := bson.Marshal(bson.D{{Key: "_id", Value: int32(1)}, {Key: "a", Value: bson.D{{Key: "b", Value: bson.D{{Key: "c", Value: "deep"}}}}}, {Key: "n", Value: "12x"}})
	require.NoError(t, err)
	cols := []column{{name: "_id", path: []string{"_id"}, kind: datasync.KindInt}, {name: "a.b.c", path: []string{"a", "b", "c"}, kind: datasync.KindString}, {name: "missing.x", path: []string{"missing", "x"}, kind: datasync.KindInt}}
	rec := make(datasync.Record, 3)
	require.Nil(t, decodeRow(raw, cols, rec))
	assert.Equal(t, "1", rec[0].String())
	assert.Equal(t, "deep", rec[1].String())
	assert.True(t, rec[2].IsNull(), "a missing field reads as NULL")

	rerr := decodeRow(raw, append(cols, column{name: "n", path: []string{"n"}, kind: datasync.KindInt}), make(datasync.Record, 4))
	require.NotNil(t, rerr)
	assert.Equal(t, "n", rerr.Column)
	assert.Equal(t, `"12x"`, rerr.Value)
	assert.ErrorContains(t, rerr, "string n")
}

func TestConfigsRedactThePassword(t *testing.T) {
	uri := "mongodb://reader:s3cr3t@db.example:27017/?authSource=admin"
	src := SourceConfig{URI: uri, Database: "d", Collection: "c"}
	dst := SinkConfig{URI: uri, Database: "d", Collection: "c"}
	for _, shown := range []any{src, dst} {
		for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
			assert.NotContains(t, sprintf(format, shown), "s3cr3t")
		}
		out, err := json.Marshal(shown)
		require.NoError(t, err)
		assert.NotContains(t, string(out), "s3cr3t")
		assert.Contains(t, string(out), "reader:xxxxx@db.example")
	}
	assert.NotContains(t, sprintf("%v", src.LogValue()), "s3cr3t")
	_, err := NewSource(SourceConfig{URI: "mysql://reader:s3cr3t@h/", Database: "d", Collection: "c", Columns: []Column{{Name: "_id", Kind: datasync.KindString}}})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "s3cr3t")
}

func TestConfigValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  any
		want string
	}{
		{"no columns", SourceConfig{URI: "mongodb://h", Database: "d", Collection: "c"}, "columns is empty"},
		{"bad path", SourceConfig{URI: "mongodb://h", Database: "d", Collection: "c", Columns: []Column{{Name: "a..b", Kind: datasync.KindInt}}}, "not a field path"},
		{"no kind", SourceConfig{URI: "mongodb://h", Database: "d", Collection: "c", Columns: []Column{{Name: "a"}}}, "no kind"},
		{"bad filter", SourceConfig{URI: "mongodb://h", Database: "d", Collection: "c", Columns: []Column{{Name: "a", Kind: datasync.KindInt}}, Filter: "{nope"}, "not a document in Extended JSON"},
		{"no database", SinkConfig{URI: "mongodb://h", Collection: "c"}, "set database"},
		{"bad mode", SinkConfig{URI: "mongodb://h", Database: "d", Collection: "c", WriteMode: "merge"}, `writeMode "merge" is not insert, replace or upsert`},
		{"key with insert", SinkConfig{URI: "mongodb://h", Database: "d", Collection: "c", Key: []string{"k"}}, "key is only for writeMode replace or upsert"},
		{"bad decimal", SinkConfig{URI: "mongodb://h", Database: "d", Collection: "c", Decimal: "double"}, `decimal "double"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			switch c := tc.cfg.(type) {
			case SourceConfig:
				_, err = NewSource(c)
			case SinkConfig:
				_, err = NewSink(c)
			}
			assert.ErrorContains(t, err, tc.want)
		})
	}
	var c Column
	assert.ErrorContains(t, json.Unmarshal([]byte(`{"name":"a","type":"number"}`), &c), `type "number" is not a datasync kind`)
	require.NoError(t, json.Unmarshal([]byte(`{"name":"a.b","type":"decimal"}`), &c))
	assert.Equal(t, Column{Name: "a.b", Kind: datasync.KindDecimal}, c)
}
