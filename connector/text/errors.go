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

// CorruptError is compressed input that cannot be decompressed: cut short,
// or damaged. It fails the split and is not worth retrying, unlike a
// connection that failed while the file was read (the stream's own error is
// then returned, with its own retry classification).
type CorruptError struct {
	Name        string      // the file or object
	Compression Compression // gzip, zstd or bzip2
	// CompressedOffset is how many bytes of the file the decompressor had
	// read when it failed (a decompressor reads ahead, so the damage is at
	// or before it); DecompressedOffset is how many bytes it had produced.
	CompressedOffset   int64
	DecompressedOffset int64
	Err                error
}

// Error names the file, the compression and both offsets.
func (e *CorruptError) Error() string {
	return fmt.Sprintf("%s: %s data is corrupt or truncated (after %d compressed bytes read, %d decompressed): %v",
		e.Name, e.Compression, e.CompressedOffset, e.DecompressedOffset, e.Err)
}

// Unwrap returns the decompressor's error.
func (e *CorruptError) Unwrap() error { return e.Err }

// Retryable reports false: reading the same bytes again fails the same way.
func (e *CorruptError) Retryable() bool { return false }
