package text

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/datasync-go/datasync"
)

// FileFormat is the layout of the records in a file.
type FileFormat string

// The file formats. The empty FileFormat is FormatCSV.
const (
	FormatCSV   FileFormat = "csv"   // RFC 4180: fields with delimiters, quotes or newlines are quoted
	FormatText  FileFormat = "text"  // plain delimited lines, special characters escaped with a backslash
	FormatJSONL FileFormat = "jsonl" // JSON Lines: one JSON object (or array) per line
)

// Compression is how a file's bytes are compressed.
type Compression string

// The compressions. The empty Compression means CompressionNone on write,
// and on read that the compression is detected from the first bytes.
const (
	CompressionNone  Compression = "none"
	CompressionGzip  Compression = "gzip"
	CompressionZstd  Compression = "zstd"
	CompressionBzip2 Compression = "bzip2" // read only
)

// BytesFormat is how Bytes values are written as text.
type BytesFormat string

// The bytes formats. The empty BytesFormat is BytesBase64.
const (
	BytesBase64 BytesFormat = "base64" // standard, padded
	BytesHex    BytesFormat = "hex"
	BytesRaw    BytesFormat = "raw" // the bytes themselves, which must be text in the file's encoding
)

// WriteMode says what a writer does with the files (or objects) already
// there. The empty WriteMode is WriteNonConflict.
type WriteMode string

// The write modes of the file and oss sinks.
const (
	// WriteNonConflict fails the job, before it writes anything, when a
	// file whose name starts with the sink's prefix (or the single file)
	// exists: it never deletes or overwrites anything.
	WriteNonConflict WriteMode = "nonConflict"
	// WriteTruncate removes the files whose names start with the prefix (or
	// the single file) before the job writes.
	WriteTruncate WriteMode = "truncate"
	// WriteAppend leaves existing files alone; a new file whose name is
	// taken gets a random suffix instead (a single file is appended to).
	WriteAppend WriteMode = "append"
)

// DefaultNullText is the text of NULL in csv and text files when
// Format.NullText is nil, as in DataX and PostgreSQL's text format.
const DefaultNullText = `\N`

// Format is the text layout that readers and writers share.
type Format struct {
	// FileFormat is FormatCSV (the default), FormatText or FormatJSONL.
	FileFormat FileFormat `json:"fileFormat,omitempty"`
	// FieldDelimiter separates the fields of csv and text lines: one or more
	// characters, "," by default. Backslash escapes written literally, such
	// as `\t` or `\u0001`, are decoded, so `\t` and "\t" both mean a tab.
	FieldDelimiter string `json:"fieldDelimiter,omitempty"`
	// Encoding is the character set of the file: "UTF-8" (the default),
	// "GBK", "GB18030", or any other ASCII-compatible WHATWG name (Big5,
	// Shift_JIS, EUC-KR, windows-1252...). Text is converted to and from
	// UTF-8; a byte sequence that is not valid in it makes its line dirty,
	// and a character it cannot encode makes the row dirty.
	Encoding string `json:"encoding,omitempty"`
	// Compression is the compression: on write CompressionNone (the
	// default), CompressionGzip or CompressionZstd; on read the compression
	// (gzip, zstd or bzip2) is detected from the first bytes, and a value
	// here is a check that the file is compressed so (CompressionNone reads
	// the bytes as they are).
	Compression Compression `json:"compression,omitempty"`
	// NullText is the text that stands for NULL in csv and text files,
	// DefaultNullText (`\N`) when nil. It is a pointer because the empty
	// string is a useful null text of its own (an empty unquoted csv field
	// is NULL). NULL and the empty string always stay distinct: in csv a
	// field is NULL only when it is unquoted, and strings equal to the null
	// text (and empty strings) are written quoted; in text a string equal
	// to it is written with an escape. It is ignored by jsonl, where NULL
	// is null.
	NullText *string `json:"nullText,omitempty"`
	// Escape is the escape character of the text format, a backslash when
	// nil: the writer escapes itself, the field delimiter's first character,
	// newlines, carriage returns and tabs as \\, \<c>, \n, \r and \t, and the
	// reader undoes it, as PostgreSQL's and MySQL's text formats do. It is a
	// pointer because "" means something of its own: plain text without
	// escapes, as DataX writes it, where values containing the delimiter or
	// a newline are dirty rows on write.
	Escape *string `json:"escape,omitempty"`
	// BytesFormat is how Bytes values are written as text and read back:
	// BytesBase64 (the default), BytesHex or BytesRaw.
	BytesFormat BytesFormat `json:"bytesFormat,omitempty"`
}

// ReadOptions are the settings of readers: the format, the columns, and how
// files are split.
type ReadOptions struct {
	Format
	// Column lists the columns to read: by field index, by name (a header
	// name, or a key of jsonl objects), or a constant. Empty, or one column
	// named "*", reads every field as a String column named from the header
	// (or col0, col1... without one), the field count taken from the first
	// file.
	Column []ColumnSpec `json:"column,omitempty"`
	// SkipHeader says that the first line of every file is a header: it is
	// not read as data, and its names name the columns and resolve columns
	// given by name.
	SkipHeader bool `json:"skipHeader,omitempty"`
	// SplitSize is the size in bytes of the ranges a large file is split
	// into, so that several workers read it: 64 MiB when 0, never when
	// negative. Only uncompressed text and jsonl files (and csv files when
	// NoQuotedNewlines is set) are split, at line starts.
	SplitSize int64 `json:"splitSize,omitempty"`
	// NoQuotedNewlines promises that no quoted csv field contains a newline,
	// which lets large csv files be split by byte ranges like text files.
	NoQuotedNewlines bool `json:"noQuotedNewlines,omitempty"`
	// MaxRecordSize bounds one record in bytes (a line, or a csv record with
	// quoted newlines), 64 MiB when 0: a longer one, usually an
	// unterminated quote, fails the split rather than filling memory.
	MaxRecordSize int `json:"maxRecordSize,omitempty"`
}

// WriteOptions are the settings of writers.
type WriteOptions struct {
	Format
	// Header is written as the first line of every file. For jsonl it
	// renames the keys.
	Header []string `json:"header,omitempty"`
	// WriteHeader writes the column names of the source's schema as the
	// first line of every file, when Header is empty.
	WriteHeader bool `json:"writeHeader,omitempty"`
	// DateFormat formats Date values, such as "yyyy-MM-dd" or "yyyy/MM/dd";
	// YYYY-MM-DD when empty. Patterns are Java's: see ColumnSpec.Format.
	DateFormat string `json:"dateFormat,omitempty"`
	// TimestampFormat formats Timestamp values, such as
	// "yyyy-MM-dd HH:mm:ss.SSS"; when empty they are written as
	// YYYY-MM-DD HH:MM:SS[.ffffff], with a trailing Z for instants, which
	// reads back exactly. With a pattern, a value is written exactly as the
	// pattern says and in UTC: an instant as its UTC date and time, a
	// wall-clock timestamp as it reads, and a zone letter (z, Z, X) writes
	// UTC's zone (UTC, +0000, Z) for both; a pattern without a zone letter
	// writes none.
	TimestampFormat string `json:"timestampFormat,omitempty"`
	// TimeFormat formats Time values, such as "HH:mm" or "hh:mm a";
	// HH:MM:SS[.ffffff] when empty.
	TimeFormat string `json:"timeFormat,omitempty"`
}

// ColumnSpec is one column of a reader: a field given by Index or by Name,
// or a constant Value, with a Type and, for dates and times, a Format. In
// JSON a column may also be written as a bare string: "*" for every field,
// or a name.
type ColumnSpec struct {
	// Index is the 0-based position of the field in the line (or in a jsonl
	// array). It is a pointer because 0 is a position: nil selects the field
	// by Name.
	Index *int `json:"index,omitempty"`
	// Name names the column in the schema. Without Index (and Value) it also
	// selects the field: the header column of that name (which needs
	// SkipHeader), or the key of jsonl objects.
	Name string `json:"name,omitempty"`
	// Type is the kind of the column's values; datasync.KindString when
	// zero (KindNull). In JSON it is the kind's name, such as "Int" or
	// "timestamp". A Date column whose Format has a time of day is read as a
	// Timestamp.
	Type datasync.Kind `json:"type,omitzero"`
	// Format parses Date, Time and Timestamp fields with a pattern of Java's
	// SimpleDateFormat, as DataX does (English names): G (era), y (year;
	// yy is two digits in Java's century window), M (month; MMM Jan, MMMM
	// January), d (day), D (day of the year), E (Tue, Tuesday), u (day
	// number of the week), a (AM/PM), H (hour 0-23), k (1-24), K (0-11), h
	// (1-12), m, s, S (milliseconds; SSSS to SSSSSSSSS are that many
	// fraction digits, SSSSSS microseconds), z (UTC, GMT+08:00), Z (-0800),
	// X, XX, XXX (Z, -08, -0800, -08:00). Text in single quotes is literal
	// ('T'; '' is a quote), as is any character that is not a letter. A
	// field read with a zone is an instant; a pattern without a zone reads
	// wall-clock times. Unlike Java's lenient default, a value out of its
	// range (month 13, a weekday that is not the date's) is an error. The
	// week-based letters (w, W, F, Y) are not supported. Without Format,
	// fields are parsed as datasync.ParseDate, ParseTimeOfDay and
	// ParseTimestamp do.
	Format string `json:"format,omitempty"`
	// Value makes the column a constant: every row has this value, parsed
	// for Type (and Format). It is a pointer because the empty string is a
	// constant too.
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

// IsStar reports whether c is the column "*", which stands for every field.
func (c ColumnSpec) IsStar() bool {
	return c.Name == "*" && c.Index == nil && c.Value == nil && c.Type == datasync.KindNull && c.Format == ""
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

// ColumnAt returns the spec of the field at index (from 0), of kind k.
func ColumnAt(index int, k datasync.Kind) ColumnSpec { return ColumnSpec{Index: &index, Type: k} }

// ColumnNamed returns the spec of the header column called name (or, for
// jsonl, the key), of kind k.
func ColumnNamed(name string, k datasync.Kind) ColumnSpec { return ColumnSpec{Name: name, Type: k} }

// ColumnConst returns the spec of a column named name whose every value is
// value, parsed as kind k.
func ColumnConst(name string, k datasync.Kind, value string) ColumnSpec {
	return ColumnSpec{Name: name, Type: k, Value: &value}
}
