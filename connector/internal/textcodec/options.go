package textcodec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The file formats.
const (
	FormatCSV   = "csv"   // RFC 4180: fields with delimiters, quotes or newlines are quoted
	FormatText  = "text"  // plain delimited lines, special characters escaped with a backslash
	FormatJSONL = "jsonl" // JSON Lines: one JSON object (or array) per line
)

// The compressions.
const (
	CompressNone  = "none"
	CompressGzip  = "gzip"
	CompressZstd  = "zstd"
	CompressBzip2 = "bzip2" // read only
)

// DefaultNullFormat is the text of NULL in csv and text files, as in DataX.
const DefaultNullFormat = `\N`

// Format is the text layout that readers and writers share. The JSON names
// are DataX's (txtfilereader, txtfilewriter, ossreader, osswriter).
type Format struct {
	// FileFormat is "csv" (the default), "text" or "jsonl" ("json" and
	// "jsonlines" are accepted for jsonl).
	FileFormat string `json:"fileFormat,omitempty"`
	// FieldDelimiter separates the fields of csv and text lines: one or more
	// characters, "," by default. Backslash escapes written literally, such
	// as `\t` or `\u0001`, are decoded, so the JSON "\\t" and "\t" both mean
	// a tab.
	FieldDelimiter string `json:"fieldDelimiter,omitempty"`
	// Encoding is the character set of the file: "UTF-8" (the default),
	// "GBK", "GB18030", or any other ASCII-compatible WHATWG name (Big5,
	// Shift_JIS, EUC-KR, windows-1252...). Text is converted to and from
	// UTF-8; a byte sequence that is not valid in it makes its line dirty,
	// and a character it cannot encode makes the row dirty.
	Encoding string `json:"encoding,omitempty"`
	// Compress is the compression: on write "none" (the default), "gzip" or
	// "zstd"; on read the compression (gzip, zstd or bzip2) is detected from
	// the first bytes, and a value here, other than "" or "auto", is a
	// check that the file is compressed so ("none" reads the bytes as they
	// are).
	Compress string `json:"compress,omitempty"`
	// NullFormat is the text that stands for NULL in csv and text files,
	// `\N` when nil (DataX's default). NULL and the empty string always stay
	// distinct: in csv a field is NULL only when it is unquoted, and strings
	// equal to NullFormat (and empty strings) are written quoted; in text a
	// string equal to NullFormat is written with an escape. It is ignored by
	// jsonl, where NULL is null.
	NullFormat *string `json:"nullFormat,omitempty"`
	// Escape is the escape character of the text format, a backslash when
	// nil: the writer escapes itself, the field delimiter's first character,
	// newlines, carriage returns and tabs as \\, \<c>, \n, \r and \t, and the
	// reader undoes it, as PostgreSQL's and MySQL's text formats do. Set it
	// to "" for plain text without escapes, as DataX writes it: values
	// containing the delimiter or a newline are then dirty rows on write.
	Escape *string `json:"escape,omitempty"`
	// BytesFormat is how Bytes values are written as text and read back:
	// "base64" (standard, padded; the default), "hex", or "raw" (the bytes
	// themselves, which must then be text in the file's encoding).
	BytesFormat string `json:"bytesFormat,omitempty"`
}

// ReadOptions are the settings of readers: the format, the columns, and how
// files are split.
type ReadOptions struct {
	Format
	// Column lists the columns to read, as DataX's txtfilereader does: by
	// field index, by name (a header name, or a key of jsonl objects), or a
	// constant. Empty, or ["*"], reads every field as a String column named
	// from the header (or col0, col1... without one), the field count taken
	// from the first file.
	Column []ColumnSpec `json:"column,omitempty"`
	// SkipHeader says that the first line of every file is a header: it is
	// not read as data, and its names name the columns and resolve columns
	// given by name.
	SkipHeader bool `json:"skipHeader,omitempty"`
	// SplitSize is the size of the byte ranges a large file is split into,
	// so that several workers read it: 64 MiB when 0, never when negative.
	// Only uncompressed text and jsonl files (and csv files when
	// NoQuotedNewlines is set) are split, at line starts.
	SplitSize int64 `json:"splitSize,omitempty"`
	// NoQuotedNewlines promises that no quoted csv field contains a newline,
	// which lets large csv files be split by byte ranges like text files.
	NoQuotedNewlines bool `json:"noQuotedNewlines,omitempty"`
	// MaxRecordSize bounds one record (a line, or a csv record with quoted
	// newlines), 64 MiB when 0: a longer one, usually an unterminated quote,
	// fails the split rather than filling memory.
	MaxRecordSize int `json:"maxRecordSize,omitempty"`
	// CSVReaderConfig is DataX's tuning of its Java CSV reader
	// (safetySwitch, ...). It is accepted, so DataX jobs run unchanged, and
	// ignored: this reader has no such switches to turn.
	CSVReaderConfig json.RawMessage `json:"csvReaderConfig,omitempty"`
}

// WriteOptions are the settings of writers.
type WriteOptions struct {
	Format
	// Header is written as the first line of every file (DataX's header).
	// For jsonl it renames the keys.
	Header []string `json:"header,omitempty"`
	// WriteHeader writes the column names of the source's schema as the
	// first line of every file, when Header is empty.
	WriteHeader bool `json:"writeHeader,omitempty"`
	// DateFormat formats Date values (DataX's dateFormat), such as
	// "yyyy-MM-dd" or "yyyy/MM/dd"; YYYY-MM-DD when empty. Patterns use
	// Java's letters: see ColumnSpec.Format.
	DateFormat string `json:"dateFormat,omitempty"`
	// TimestampFormat formats Timestamp values, such as
	// "yyyy-MM-dd HH:mm:ss.SSS"; when empty they are written as
	// YYYY-MM-DD HH:MM:SS[.ffffff], with a trailing Z for instants, which
	// reads back exactly. Instants are written in UTC.
	TimestampFormat string `json:"timestampFormat,omitempty"`
	// TimeFormat formats Time values, such as "HH:mm"; HH:MM:SS[.ffffff]
	// when empty.
	TimeFormat string `json:"timeFormat,omitempty"`
}

// ColumnSpec is one column of a reader, as in DataX's txtfilereader: a field
// given by Index or by Name, or a constant Value, with a Type and, for
// dates and times, a Format. In JSON a column may also be written as a bare
// string: "*" for every field, or a name.
type ColumnSpec struct {
	// Index is the 0-based position of the field in the line (or in a jsonl
	// array).
	Index *int `json:"index,omitempty"`
	// Name names the column in the schema. Without Index (and Value) it also
	// selects the field: the header column of that name (which needs
	// SkipHeader), or the key of jsonl objects.
	Name string `json:"name,omitempty"`
	// Type is the kind of the column's values: a datasync kind name (String,
	// Int, Float, Decimal, Bool, Bytes, Date, Time, Timestamp, JSON) or a
	// DataX type (long, double, boolean, date, string, bytes); "string" when
	// empty. Note that DataX's "date" is a date with a time of day: use
	// "timestamp" for those values, or give a Format with a time in it.
	Type string `json:"type,omitempty"`
	// Format parses Date, Time and Timestamp fields with a pattern of Java's
	// letters, as DataX does: yyyy (year), MM or M (month), dd or d (day),
	// HH or H (hour 0-23), mm (minute), ss (second), S... (fraction of a
	// second, as many digits as letters), XXX, XX, X or Z (zone offset or
	// Z); other letters are not supported; text in single quotes, and any
	// other character, is literal. Without it, fields are parsed as
	// datasync.ParseDate, ParseTimeOfDay and ParseTimestamp do.
	Format string `json:"format,omitempty"`
	// Value makes the column a constant: every row has this value, parsed
	// for Type (and Format).
	Value *string `json:"value,omitempty"`
}

// UnmarshalJSON accepts a column object, or a bare string: "*" (every
// field) or a name.
func (c *ColumnSpec) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var name string
		if err := json.Unmarshal(data, &name); err != nil {
			return err
		}
		*c = ColumnSpec{Name: name}
		return nil
	}
	type plain ColumnSpec // without this method
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	*c = ColumnSpec(p)
	return nil
}

func (c ColumnSpec) isStar() bool {
	return c.Name == "*" && c.Index == nil && c.Value == nil && c.Type == "" && c.Format == ""
}

// String describes the column for error messages.
func (c ColumnSpec) String() string {
	switch {
	case c.Value != nil:
		return fmt.Sprintf("constant %q", *c.Value)
	case c.Index != nil && c.Name != "":
		return fmt.Sprintf("index %d (%q)", *c.Index, c.Name)
	case c.Index != nil:
		return fmt.Sprintf("index %d", *c.Index)
	}
	return strconv.Quote(c.Name)
}

// ColumnAt returns the spec of the field at index, of the given type (a
// datasync kind name or a DataX type).
func ColumnAt(index int, typ string) ColumnSpec { return ColumnSpec{Index: &index, Type: typ} }

// ColumnNamed returns the spec of the header column or jsonl key name, of
// the given type.
func ColumnNamed(name, typ string) ColumnSpec { return ColumnSpec{Name: name, Type: typ} }

// ColumnConst returns the spec of a constant column.
func ColumnConst(name, typ, value string) ColumnSpec {
	return ColumnSpec{Name: name, Type: typ, Value: &value}
}

// decodeDelimiter turns literal backslash escapes (`\t`, `\u0001`, `\x01`)
// into the characters they stand for; other text is returned as is.
func decodeDelimiter(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	if u, err := strconv.Unquote(`"` + strings.ReplaceAll(s, `"`, `\"`) + `"`); err == nil {
		return u, nil
	}
	return "", fmt.Errorf("fieldDelimiter %q: invalid backslash escape", s)
}

// normFormat returns the canonical format name.
func normFormat(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "csv":
		return FormatCSV, nil
	case "text", "txt":
		return FormatText, nil
	case "jsonl", "json", "jsonlines", "ndjson":
		return FormatJSONL, nil
	}
	return "", fmt.Errorf("fileFormat %q: want csv, text or jsonl", s)
}

var errEmptyDelimiter = errors.New("fieldDelimiter is empty")
