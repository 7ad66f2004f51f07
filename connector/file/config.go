package file

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/datasync-go/datasync/connector/text"
)

// SourceConfig configures a Source. The text settings (format, columns,
// header, splitting) are text.ReadOptions, shared with package oss, whose
// fields are promoted here and flattened into the JSON.
type SourceConfig struct {
	// Path lists files, directories (read recursively) and glob patterns
	// (filepath.Match syntax: *, ?, [...]). Every file they name is read,
	// in sorted order; a pattern or directory that names no file is an
	// error. Files whose names start with a dot are skipped unless a
	// pattern names them explicitly.
	Path []string `json:"path"`
	text.ReadOptions
}

// SinkConfig configures a Sink. The text settings (format, header,
// date/time formats) are text.WriteOptions, shared with package oss, whose
// fields are promoted here and flattened into the JSON.
type SinkConfig struct {
	// Path is the directory the files are written to; it is created when
	// missing.
	Path string `json:"path"`
	// FileName is the prefix of the files: each split writes
	// <FileName>_<split ID><Suffix>, and with MaxFileBytes
	// <FileName>_<split ID>_<n><Suffix> for n = 1, 2... With SingleFile it is
	// the name of the one file.
	FileName string `json:"fileName"`
	// WriteMode is text.WriteNonConflict (the default, which never deletes
	// or overwrites anything), text.WriteTruncate or text.WriteAppend; the
	// files it looks at are those whose names start with FileName (or the
	// single file).
	WriteMode text.WriteMode `json:"writeMode,omitempty"`
	// SingleFile writes one file, FileName, joining the splits' parts in
	// the order of their IDs (numbers compared as numbers) when the job
	// finishes.
	SingleFile bool `json:"singleFile,omitempty"`
	// MaxFileBytes rolls to a new file when one reaches this many bytes.
	// Files roll between rows, so a file exceeds the limit by less than a
	// row (compressed files by up to the compressor's buffer). 0 never
	// rolls.
	MaxFileBytes int64 `json:"maxFileBytes,omitempty"`
	// Suffix ends each file name: by default the format's and compression's
	// extension, such as ".csv" or ".txt.gz"; "none" for no suffix.
	Suffix string `json:"suffix,omitempty"`
	// Naming is how the files of a split are named: NameBySplit (the
	// default) or NameRandom, as DataX's txtfilewriter names them.
	Naming Naming `json:"naming,omitempty"`
	text.WriteOptions
}

// Naming is how a sink names the files of a split (see SinkConfig.Naming).
type Naming string

// The namings. The empty Naming is NameBySplit.
const (
	// NameBySplit names the files <FileName>_<split ID><Suffix> (and
	// <FileName>_<split ID>_<n><Suffix> when they roll): the same plan
	// writes the same names.
	NameBySplit Naming = "bySplit"
	// NameRandom names them <FileName>__<random><Suffix> (and
	// <FileName>__<random>_<n><Suffix> when they roll), the random part
	// being 32 hexadecimal digits in groups joined by "_", new for every
	// attempt at a split: DataX's txtfilewriter's names.
	NameRandom Naming = "random"
)

func (c SinkConfig) check() error {
	var errs []error
	switch c.Naming {
	case "", NameBySplit, NameRandom:
	default:
		errs = append(errs, fmt.Errorf("naming %q is not %q or %q", c.Naming, NameBySplit, NameRandom))
	}
	if c.Path == "" {
		errs = append(errs, errors.New("path (the directory to write to) is empty"))
	}
	switch {
	case c.FileName == "":
		errs = append(errs, errors.New("fileName is empty"))
	case strings.ContainsAny(c.FileName, `/\`) || c.FileName == "." || c.FileName == ".." || filepath.Base(c.FileName) != c.FileName:
		errs = append(errs, fmt.Errorf("fileName %q must be a name, not a path (put the directory in path)", c.FileName))
	}
	if c.MaxFileBytes < 0 {
		errs = append(errs, fmt.Errorf("maxFileBytes %d is negative", c.MaxFileBytes))
	}
	if c.SingleFile && c.MaxFileBytes > 0 {
		errs = append(errs, errors.New("singleFile and maxFileBytes cannot be combined"))
	}
	if strings.ContainsAny(c.Suffix, `/\`) {
		errs = append(errs, fmt.Errorf("suffix %q contains a path separator", c.Suffix))
	}
	return errors.Join(errs...)
}
