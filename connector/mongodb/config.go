package mongodb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/datasync-go/datasync"
)

// SourceConfig configures a Source.
//
// Exactly one of URI and Client is set.
type SourceConfig struct {
	// URI is a MongoDB connection string,
	// "mongodb://user:password@host:27017/?authSource=admin". The source
	// opens its own client from it and disconnects it in Close. The password
	// never appears in errors, logs or String output.
	URI string `json:"uri,omitempty" datasync:"secret"`
	// Client is a client the caller owns, used instead of URI and never
	// disconnected by the source.
	Client *mongo.Client `json:"-"`
	// Database and Collection name what to read.
	Database   string `json:"database"`
	Collection string `json:"collection"`
	// Columns are the fields to read, in order: each a path ("_id", "name",
	// "address.city" for a field of an embedded document) and the Kind
	// it is read as (see the package doc for the conversions). A field a
	// document lacks reads as NULL.
	Columns Columns `json:"columns"`
	// Filter is a query filter in MongoDB Extended JSON, such as
	// `{"status": "active", "age": {"$gte": 18}}`; empty reads every
	// document.
	Filter string `json:"filter,omitempty"`
	// Splits is the number of _id ranges wanted; 0 plans about four per
	// unit of the pipeline's parallelism, with no split under MinSplitDocs
	// documents (by the collection's count). 1 reads the collection as one
	// split.
	Splits int `json:"splits,omitempty"`
	// MinSplitDocs is the smallest number of documents worth a split of its
	// own when Splits is 0; default 20,000.
	MinSplitDocs int64 `json:"minSplitDocs,omitempty"`
	// FetchSize is the number of documents of a page (a find with a
	// limit, the next one resuming after the last _id); default 10,000.
	FetchSize int `json:"fetchSize,omitempty"`
	// Logger receives the source's notices, such as falling back from
	// $sample to skip-based boundaries; nil discards them.
	Logger *slog.Logger `json:"-"`
}

// Column is one field read: its path and the Kind it becomes. In JSON it is
// {"name": "address.city", "type": "String"}, the type a datasync kind name
// (Bool, Int, Float, Decimal, String, Bytes, Date, Time, Timestamp, JSON).
type Column struct {
	Name string
	Kind datasync.Kind
}

// Columns is a list of columns; in JSON, [{"name": "a.b", "type": "Int"},
// ...].
type Columns []Column

// UnmarshalJSON reads the list, each column as Column.UnmarshalJSON does
// (the list decodes itself, so that a column's "type" is read as a kind).
func (cs *Columns) UnmarshalJSON(data []byte) error {
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return fmt.Errorf("columns: want a list of {\"name\": ..., \"type\": ...}: %w", err)
	}
	out := make(Columns, len(raws))
	var errs []error
	for i, raw := range raws {
		if err := out[i].UnmarshalJSON(raw); err != nil {
			errs = append(errs, fmt.Errorf("columns[%d]: %w", i, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	*cs = out
	return nil
}

// MarshalJSON writes {"name": ..., "type": ...}.
func (c Column) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Name string `json:"name"`
		Type string `json:"type"`
	}{c.Name, c.Kind.String()})
}

// UnmarshalJSON reads {"name": ..., "type": ...}; the type is a datasync
// kind name, in any case.
func (c *Column) UnmarshalJSON(data []byte) error {
	var raw struct {
		Name string `json:"name"`
		Type string `json:"type"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return fmt.Errorf("want {\"name\": ..., \"type\": ...}: %w", err)
	}
	k, ok := datasync.ParseKind(raw.Type)
	if !ok || k == datasync.KindNull {
		return fmt.Errorf("column %q: type %q is not a datasync kind (Bool, Int, Float, Decimal, String, Bytes, Date, Time, Timestamp, JSON)", raw.Name, raw.Type)
	}
	c.Name, c.Kind = raw.Name, k
	return nil
}

// WriteMode says what a sink does with a document whose key is taken.
type WriteMode string

// The write modes.
const (
	// WriteInsert inserts every document; one whose _id (or another unique
	// index's key) is taken is a dirty row with the server's reason.
	WriteInsert WriteMode = "insert"
	// WriteReplace replaces the whole document that has the row's Key
	// values by the row, inserting it when there is none (DataX's isReplace).
	WriteReplace WriteMode = "replace"
	// WriteUpsert sets the row's fields on the document that has the row's
	// Key values, keeping its other fields, inserting it when there is none.
	WriteUpsert WriteMode = "upsert"
)

// DecimalMode says how a sink writes Decimal values.
type DecimalMode string

// The decimal modes.
const (
	// DecimalAsDecimal128 writes Decimal128, exactly; a value of more than
	// 34 significant digits is a dirty row.
	DecimalAsDecimal128 DecimalMode = "decimal128"
	// DecimalAsString writes the decimal's exact text, for servers without
	// Decimal128 (FerretDB, Amazon DocumentDB before 4.0).
	DecimalAsString DecimalMode = "string"
)

// SinkConfig configures a Sink.
//
// Exactly one of URI and Client is set.
type SinkConfig struct {
	// URI and Client are as in SourceConfig.
	URI    string        `json:"uri,omitempty" datasync:"secret"`
	Client *mongo.Client `json:"-"`
	// Database and Collection name where to write.
	Database   string `json:"database"`
	Collection string `json:"collection"`
	// Columns are the field paths the record's values go to, by position
	// ("a.b" writes field b of embedded document a); empty uses the
	// source's column names.
	Columns []string `json:"columns,omitempty"`
	// WriteMode is insert (the default), replace or upsert.
	WriteMode WriteMode `json:"writeMode,omitempty"`
	// Key lists the fields that identify a document for replace and upsert;
	// default ["_id"]. Each must be one of the written fields.
	Key []string `json:"key,omitempty"`
	// ObjectID lists the fields whose text values (24 hexadecimal digits,
	// as the source reads ObjectIds) are written as ObjectIds.
	ObjectID []string `json:"objectId,omitempty"`
	// Decimal is how Decimal values are written: decimal128 (the default)
	// or string.
	Decimal DecimalMode `json:"decimal,omitempty"`
	// Truncate deletes every document of the collection once per job,
	// before anything is written.
	Truncate bool `json:"truncate,omitempty"`
	// BatchSize bounds the documents of each bulk write; default 1,000.
	BatchSize int `json:"batchSize,omitempty"`
	// Logger receives the sink's notices; nil discards them.
	Logger *slog.Logger `json:"-"`
}

const (
	defaultMinSplitDocs = 20_000
	defaultBatchSize    = 1000
)

func (c *SourceConfig) validate() error {
	var errs []error
	errs = append(errs, checkConn(c.URI, c.Client, c.Database, c.Collection)...)
	if len(c.Columns) == 0 {
		errs = append(errs, errors.New("columns is empty: list the fields to read"))
	}
	seen := map[string]bool{}
	for i, col := range c.Columns {
		switch {
		case strings.TrimSpace(col.Name) == "":
			errs = append(errs, fmt.Errorf("columns[%d]: name is empty", i))
		case badPath(col.Name):
			errs = append(errs, fmt.Errorf("columns[%d]: %q is not a field path (names joined by single dots)", i, col.Name))
		case seen[col.Name]:
			errs = append(errs, fmt.Errorf("columns[%d]: %q is listed twice", i, col.Name))
		}
		seen[col.Name] = true
		if col.Kind == datasync.KindNull || col.Kind.String() == "" {
			errs = append(errs, fmt.Errorf("columns[%d] (%s): no kind", i, col.Name))
		}
	}
	if c.Filter != "" {
		if _, err := parseFilter(c.Filter); err != nil {
			errs = append(errs, err)
		}
	}
	if c.Splits < 0 {
		errs = append(errs, fmt.Errorf("splits %d is negative", c.Splits))
	}
	if c.MinSplitDocs < 0 {
		errs = append(errs, fmt.Errorf("minSplitDocs %d is negative", c.MinSplitDocs))
	}
	if c.FetchSize < 0 {
		errs = append(errs, fmt.Errorf("fetchSize %d is negative", c.FetchSize))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("mongodb source: invalid config: %w", err)
	}
	return nil
}

func (c *SinkConfig) validate() error {
	var errs []error
	errs = append(errs, checkConn(c.URI, c.Client, c.Database, c.Collection)...)
	for i, col := range c.Columns {
		if badPath(col) {
			errs = append(errs, fmt.Errorf("columns[%d]: %q is not a field path (names joined by single dots)", i, col))
		}
	}
	switch c.WriteMode {
	case "", WriteInsert, WriteReplace, WriteUpsert:
	default:
		errs = append(errs, fmt.Errorf("writeMode %q is not insert, replace or upsert", c.WriteMode))
	}
	if len(c.Key) > 0 && (c.WriteMode == "" || c.WriteMode == WriteInsert) {
		errs = append(errs, errors.New("key is only for writeMode replace or upsert"))
	}
	for i, k := range c.Key {
		if badPath(k) {
			errs = append(errs, fmt.Errorf("key[%d]: %q is not a field path", i, k))
		}
	}
	switch c.Decimal {
	case "", DecimalAsDecimal128, DecimalAsString:
	default:
		errs = append(errs, fmt.Errorf("decimal %q is not decimal128 or string", c.Decimal))
	}
	if c.BatchSize < 0 {
		errs = append(errs, fmt.Errorf("batchSize %d is negative", c.BatchSize))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("mongodb sink: invalid config: %w", err)
	}
	return nil
}

func checkConn(uri string, client *mongo.Client, database, collection string) []error {
	var errs []error
	switch {
	case uri == "" && client == nil:
		errs = append(errs, errors.New("set uri or Client"))
	case uri != "" && client != nil:
		errs = append(errs, errors.New("set uri or Client, not both"))
	case uri != "" && !strings.HasPrefix(uri, "mongodb://") && !strings.HasPrefix(uri, "mongodb+srv://"):
		errs = append(errs, fmt.Errorf("uri %q does not start with mongodb:// or mongodb+srv://", RedactURI(uri)))
	}
	if database == "" {
		errs = append(errs, errors.New("set database"))
	}
	if collection == "" {
		errs = append(errs, errors.New("set collection"))
	}
	return errs
}

// badPath reports whether p is not a dotted field path.
func badPath(p string) bool {
	for _, part := range strings.Split(p, ".") {
		if part == "" {
			return true
		}
	}
	return false
}

// String describes the configuration without the password.
func (c SourceConfig) String() string {
	return fmt.Sprintf("mongodb source {uri %q, database %q, collection %q, columns %d, filter %q}", describeConn(c.URI, c.Client), c.Database, c.Collection, len(c.Columns), c.Filter)
}

// GoString is String, so that %#v does not print the password either.
func (c SourceConfig) GoString() string { return c.String() }

// LogValue logs the configuration without the password.
func (c SourceConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON writes the configuration with the URI's password masked.
func (c SourceConfig) MarshalJSON() ([]byte, error) {
	type plain SourceConfig // without the methods
	p := plain(c)
	p.URI = RedactURI(p.URI)
	return json.Marshal(p)
}

// String describes the configuration without the password.
func (c SinkConfig) String() string {
	return fmt.Sprintf("mongodb sink {uri %q, database %q, collection %q, writeMode %q}", describeConn(c.URI, c.Client), c.Database, c.Collection, c.mode())
}

// GoString is String, so that %#v does not print the password either.
func (c SinkConfig) GoString() string { return c.String() }

// LogValue logs the configuration without the password.
func (c SinkConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON writes the configuration with the URI's password masked.
func (c SinkConfig) MarshalJSON() ([]byte, error) {
	type plain SinkConfig
	p := plain(c)
	p.URI = RedactURI(p.URI)
	return json.Marshal(p)
}

func (c SinkConfig) mode() WriteMode {
	if c.WriteMode == "" {
		return WriteInsert
	}
	return c.WriteMode
}

func (c SinkConfig) keys() []string {
	if len(c.Key) == 0 {
		return []string{"_id"}
	}
	return c.Key
}

func describeConn(uri string, client *mongo.Client) string {
	if client != nil {
		return "(the given client)"
	}
	return RedactURI(uri)
}
