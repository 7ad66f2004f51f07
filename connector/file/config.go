package file

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/datasync-go/datasync/connector/internal/textcodec"
)

// The text settings, shared with package oss. Their fields are promoted
// into SourceConfig and SinkConfig, and flattened into their JSON.
type (
	// Format is the text layout: file format, delimiter, encoding,
	// compression, NULL text, escape, bytes format.
	Format = textcodec.Format
	// ReadOptions are a reader's text settings: Format, the columns, the
	// header, and how large files are split.
	ReadOptions = textcodec.ReadOptions
	// WriteOptions are a writer's text settings: Format, the header and the
	// date/time formats.
	WriteOptions = textcodec.WriteOptions
	// ColumnSpec is one column of a reader: a field by index or header
	// name, or a constant, with a type and a date/time format.
	ColumnSpec = textcodec.ColumnSpec
	// LineError is the reason of a dirty line: it names the file, the line
	// and the byte offset (use errors.As on a DirtyRecord's Err).
	LineError = textcodec.LineError
)

// ColumnAt returns the spec of the field at index (from 0), of type typ (a
// datasync kind name, such as "Int", or a DataX type, such as "long").
func ColumnAt(index int, typ string) ColumnSpec { return textcodec.ColumnAt(index, typ) }

// ColumnNamed returns the spec of the header column called name (or, for
// jsonl, the key), of type typ.
func ColumnNamed(name, typ string) ColumnSpec { return textcodec.ColumnNamed(name, typ) }

// ColumnConst returns the spec of a column named name whose every value is
// value, parsed as typ.
func ColumnConst(name, typ, value string) ColumnSpec { return textcodec.ColumnConst(name, typ, value) }

// SourceConfig configures a Source. The JSON names are DataX's
// txtfilereader's.
type SourceConfig struct {
	// Path lists files, directories (read recursively) and glob patterns
	// (filepath.Match syntax: *, ?, [...]). Every file they name is read,
	// in sorted order; a pattern or directory that names no file is an
	// error. Files whose names start with a dot are skipped unless a
	// pattern names them explicitly.
	Path []string `json:"path"`
	ReadOptions
}

// The write modes.
const (
	// WriteTruncate removes the files whose names start with FileName (or
	// the single file) before the job writes.
	WriteTruncate = textcodec.WriteTruncate
	// WriteAppend leaves existing files alone; a new file whose name is
	// taken gets a random suffix instead (a single file is appended to).
	WriteAppend = textcodec.WriteAppend
	// WriteNonConflict fails the job, before it writes anything, when a file
	// whose name starts with FileName (or the single file) exists.
	WriteNonConflict = textcodec.WriteNonConflict
)

// SinkConfig configures a Sink. The JSON names are DataX's txtfilewriter's.
type SinkConfig struct {
	// Path is the directory the files are written to; it is created when
	// missing.
	Path string `json:"path"`
	// FileName is the prefix of the files: each split writes
	// <FileName>_<split ID><Suffix>, and with MaxFileSize
	// <FileName>_<split ID>_<n><Suffix> for n = 1, 2... With SingleFile it is
	// the name of the one file.
	FileName string `json:"fileName"`
	// WriteMode is truncate, append or nonConflict (the default, which
	// never deletes or overwrites anything).
	WriteMode string `json:"writeMode,omitempty"`
	// SingleFile writes one file, FileName, joining the splits' parts in
	// the order of their IDs (numbers compared as numbers) when the job
	// finishes.
	SingleFile bool `json:"singleFile,omitempty"`
	// MaxFileSize rolls to a new file when one reaches this many megabytes
	// (MiB), as DataX's maxFileSize; MaxFileBytes, when set, gives the limit
	// in bytes instead. Files roll between rows, so a file exceeds the limit
	// by less than a row (compressed files by up to the compressor's
	// buffer). 0 never rolls.
	MaxFileSize  int64 `json:"maxFileSize,omitempty"`
	MaxFileBytes int64 `json:"maxFileBytes,omitempty"`
	// Suffix ends each file name: by default the format's and compression's
	// extension, such as ".csv" or ".txt.gz"; "none" for no suffix.
	Suffix string `json:"suffix,omitempty"`
	WriteOptions
}

// maxBytes returns the roll size in bytes.
func (c SinkConfig) maxBytes() int64 {
	if c.MaxFileBytes > 0 {
		return c.MaxFileBytes
	}
	return c.MaxFileSize << 20
}

func (c SinkConfig) check() error {
	var errs []error
	if c.Path == "" {
		errs = append(errs, errors.New("path (the directory to write to) is empty"))
	}
	switch {
	case c.FileName == "":
		errs = append(errs, errors.New("fileName is empty"))
	case strings.ContainsAny(c.FileName, `/\`) || c.FileName == "." || c.FileName == ".." || filepath.Base(c.FileName) != c.FileName:
		errs = append(errs, fmt.Errorf("fileName %q must be a name, not a path (put the directory in path)", c.FileName))
	}
	if c.MaxFileSize < 0 || c.MaxFileBytes < 0 {
		errs = append(errs, errors.New("maxFileSize is negative"))
	}
	if c.SingleFile && c.maxBytes() > 0 {
		errs = append(errs, errors.New("singleFile and maxFileSize cannot be combined"))
	}
	if strings.ContainsAny(c.Suffix, `/\`) {
		errs = append(errs, fmt.Errorf("suffix %q contains a path separator", c.Suffix))
	}
	return errors.Join(errs...)
}
