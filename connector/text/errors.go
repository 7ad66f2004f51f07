package text

import "fmt"

// LineError locates a line of a file that could not be read as a row. It is
// the Err of the datasync.RowError a reader reports (use errors.As on a
// DirtyRecord's Err); its own Err is the reason (a
// *datasync.ConversionError for a value that does not parse).
type LineError struct {
	Name     string // the file or object
	Line     int64  // the line the record starts on, from 1; within the byte range when Relative
	Offset   int64  // the byte offset where it starts (in the decompressed data)
	Relative bool   // the split started inside the file, whose earlier lines were not counted
	Err      error
}

// Error returns "name:line: reason", or the byte offset for a byte range.
func (e *LineError) Error() string {
	if e.Relative {
		return fmt.Sprintf("%s: byte %d (line %d of its byte range): %v", e.Name, e.Offset, e.Line, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.Name, e.Line, e.Err)
}

// Unwrap returns the reason.
func (e *LineError) Unwrap() error { return e.Err }

// FileError is a failure to read a file as a whole (its header lacks a
// column, a record is too long, it changed since the job was planned): it
// fails the split and is not worth retrying.
type FileError struct {
	Name string // the file or object
	Err  error
}

// Error returns "name: reason".
func (e *FileError) Error() string { return fmt.Sprintf("%s: %v", e.Name, e.Err) }

// Unwrap returns the reason.
func (e *FileError) Unwrap() error { return e.Err }

// Retryable reports false: reading the same file again fails the same way.
func (e *FileError) Retryable() bool { return false }
