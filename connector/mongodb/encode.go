package mongodb

import (
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/datasync-go/datasync"
)

// field is where one record value goes in a document.
type field struct {
	name     string   // the dotted path
	path     []string // its parts
	objectID bool     // text written as an ObjectId
}

// encoder turns records into documents.
type encoder struct {
	fields  []field
	decimal DecimalMode
}

// document builds the document of rec: fields in column order, dotted paths
// as embedded documents. A value that cannot be written is a
// *datasync.RowError naming its column.
func (e *encoder) document(rec datasync.Record) (bson.D, *datasync.RowError) {
	doc := bson.D{}
	for i, f := range e.fields {
		v, err := e.bsonValue(rec[i], f)
		if err != nil {
			return nil, &datasync.RowError{Column: f.name, Value: rec[i].String(), Err: err}
		}
		doc = setPath(doc, f.path, v)
	}
	return doc, nil
}

// setPath sets path in doc to v, creating embedded documents on the way.
func setPath(doc bson.D, path []string, v any) bson.D {
	for i := range doc {
		if doc[i].Key != path[0] {
			continue
		}
		if len(path) == 1 {
			doc[i].Value = v
			return doc
		}
		inner, _ := doc[i].Value.(bson.D)
		doc[i].Value = setPath(inner, path[1:], v)
		return doc
	}
	if len(path) == 1 {
		return append(doc, bson.E{Key: path[0], Value: v})
	}
	return append(doc, bson.E{Key: path[0], Value: setPath(bson.D{}, path[1:], v)})
}

// lookup returns the value at path in doc, for building key filters.
func lookup(doc bson.D, path []string) (any, bool) {
	for _, e := range doc {
		if e.Key != path[0] {
			continue
		}
		if len(path) == 1 {
			return e.Value, true
		}
		inner, ok := e.Value.(bson.D)
		if !ok {
			return nil, false
		}
		return lookup(inner, path[1:])
	}
	return nil, false
}

// bsonValue is the BSON value written for v (see the package doc's table).
func (e *encoder) bsonValue(v datasync.Value, f field) (any, error) {
	switch v.Kind() {
	case datasync.KindNull:
		return nil, nil
	case datasync.KindBool:
		return v.AsBool()
	case datasync.KindInt:
		return v.AsInt()
	case datasync.KindFloat:
		return v.AsFloat()
	case datasync.KindDecimal:
		s, _ := v.AsDecimal()
		if e.decimal == DecimalAsString {
			return s, nil
		}
		d, err := bson.ParseDecimal128(s)
		if err != nil {
			return nil, fmt.Errorf("decimal %s does not fit Decimal128 (34 significant digits): %w", s, err)
		}
		return d, nil
	case datasync.KindString:
		s, _ := v.AsString()
		if f.objectID {
			id, err := bson.ObjectIDFromHex(s)
			if err != nil {
				return nil, fmt.Errorf("%q is not an ObjectId (24 hexadecimal digits)", s)
			}
			return id, nil
		}
		return s, nil
	case datasync.KindBytes:
		b, _ := v.AsBytes()
		return bson.Binary{Subtype: bson.TypeBinaryGeneric, Data: b}, nil
	case datasync.KindDate:
		d, _ := v.AsDate()
		return bson.NewDateTimeFromTime(d.Time()), nil
	case datasync.KindTime:
		return v.String(), nil
	case datasync.KindTimestamp:
		ts, _ := v.AsTimestamp()
		if ts.Infinite() != 0 {
			return nil, fmt.Errorf("timestamp %s has no BSON date", ts)
		}
		return bson.DateTime(floorDiv(ts.UnixMicro(), 1000)), nil
	case datasync.KindJSON:
		s, _ := v.AsJSON()
		rv, err := fromExtJSON(s)
		if err != nil {
			return nil, err
		}
		return rv, nil
	}
	return nil, fmt.Errorf("kind %v has no BSON type", v.Kind())
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func splitPath(p string) []string { return strings.Split(p, ".") }
