package mongodb

import (
	"bytes"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/datasync-go/datasync"
)

// valueOf returns the datasync value of a BSON value, by its own type (see
// the type table in the package doc); the caller converts it to the
// column's kind.
func valueOf(rv bson.RawValue) (datasync.Value, error) {
	switch rv.Type {
	case bson.TypeNull, bson.TypeUndefined:
		return datasync.Null(), nil
	case bson.TypeDouble:
		return datasync.Float(rv.Double()), nil
	case bson.TypeString:
		return datasync.String(rv.StringValue()), nil
	case bson.TypeSymbol:
		return datasync.String(rv.Symbol()), nil
	case bson.TypeJavaScript:
		return datasync.String(rv.JavaScript()), nil
	case bson.TypeObjectID:
		return datasync.String(rv.ObjectID().Hex()), nil
	case bson.TypeBoolean:
		return datasync.Bool(rv.Boolean()), nil
	case bson.TypeDateTime:
		return datasync.TimestampValue(datasync.TimestampFromMicros(rv.DateTime()*1000, true)), nil
	case bson.TypeTimestamp:
		t, _ := rv.Timestamp()
		return datasync.Instant(time.Unix(int64(t), 0)), nil
	case bson.TypeInt32:
		return datasync.Int(int64(rv.Int32())), nil
	case bson.TypeInt64:
		return datasync.Int(rv.Int64()), nil
	case bson.TypeDecimal128:
		return decimalValue(rv.Decimal128())
	case bson.TypeBinary:
		_, data := rv.Binary()
		return datasync.Bytes(bytes.Clone(data)), nil
	}
	// Documents, arrays, regular expressions, min and max keys, DB pointers,
	// code with scope: relaxed Extended JSON.
	text, err := extJSON(rv)
	if err != nil {
		return datasync.Value{}, err
	}
	return datasync.JSON(text), nil
}

// decimalValue is the exact Decimal of a Decimal128: its digits and
// exponent written out, NaN and infinities as such.
func decimalValue(d bson.Decimal128) (datasync.Value, error) {
	return datasync.Decimal(d.String())
}

// extJSON returns rv in relaxed Extended JSON: numbers as JSON numbers,
// {"$oid": ...}, {"$date": ...} and the like for the rest.
func extJSON(rv bson.RawValue) (string, error) {
	doc, err := bson.Marshal(bson.D{{Key: "v", Value: rv}})
	if err != nil {
		return "", err
	}
	out, err := bson.MarshalExtJSON(bson.Raw(doc), false, false)
	if err != nil {
		return "", err
	}
	// out is {"v":<value>}.
	if !bytes.HasPrefix(out, []byte(`{"v":`)) || out[len(out)-1] != '}' {
		return "", fmt.Errorf("unexpected Extended JSON %q", out)
	}
	return string(out[5 : len(out)-1]), nil
}

// fromExtJSON parses Extended JSON (a document, an array or a scalar) into
// a BSON value.
func fromExtJSON(text string) (bson.RawValue, error) {
	var doc bson.Raw
	if err := bson.UnmarshalExtJSON([]byte(`{"v":`+text+`}`), false, &doc); err != nil {
		return bson.RawValue{}, fmt.Errorf("not Extended JSON: %w", err)
	}
	return doc.Lookup("v"), nil
}

// decodeRow fills rec from doc, by the columns' paths, converting each value
// to its column's kind. A field that is missing reads as NULL. A value that
// does not convert is a *datasync.RowError naming the column.
func decodeRow(doc bson.Raw, cols []column, rec datasync.Record) *datasync.RowError {
	for i, c := range cols {
		rv, err := doc.LookupErr(c.path...)
		if err != nil {
			rec[i] = datasync.Null()
			continue
		}
		v, err := valueOf(rv)
		if err == nil && !v.IsNull() && v.Kind() != c.kind {
			v, err = v.Convert(c.kind)
		}
		if err != nil {
			return &datasync.RowError{Column: c.name, Value: rawText(rv), Err: fmt.Errorf("%s %s: %w", typeName(rv.Type), c.name, err)}
		}
		rec[i] = v
	}
	return nil
}

// rawText is rv as shown in a dirty row.
func rawText(rv bson.RawValue) string {
	if s, err := extJSON(rv); err == nil {
		return s
	}
	return rv.String()
}

// typeName is the BSON type's name as MongoDB's $type spells it.
func typeName(t bson.Type) string {
	switch t {
	case bson.TypeDouble:
		return "double"
	case bson.TypeString:
		return "string"
	case bson.TypeEmbeddedDocument:
		return "object"
	case bson.TypeArray:
		return "array"
	case bson.TypeBinary:
		return "binData"
	case bson.TypeObjectID:
		return "objectId"
	case bson.TypeBoolean:
		return "bool"
	case bson.TypeDateTime:
		return "date"
	case bson.TypeNull:
		return "null"
	case bson.TypeRegex:
		return "regex"
	case bson.TypeInt32:
		return "int"
	case bson.TypeTimestamp:
		return "timestamp"
	case bson.TypeInt64:
		return "long"
	case bson.TypeDecimal128:
		return "decimal"
	}
	return t.String()
}
