// Package textcodec is the text codec shared by the file and oss
// connectors: it turns csv, text and JSON Lines bytes into datasync rows and
// rows back into bytes, with compression, character sets, NULL handling,
// date/time patterns and byte-range splitting.
//
// # Reading
//
// CompileRead compiles text.ReadOptions into a ReadSpec. A connector plans
// each file with PlanFile (a whole file, or byte ranges of a large
// splittable one) and opens each split with OpenReader over an Opener (its way to read a file's
// raw bytes from an offset). The Reader decompresses (detecting gzip, zstd
// or bzip2 by magic number), frames records (csv records may span lines
// inside quotes), converts the record to UTF-8 when the file is in another
// character set, splits it into fields and parses each field for its
// column's kind straight into the batch's arena: no allocation per field.
//
// A record that cannot be a row (a wrong field count, a value that does not
// parse, bad encoding) becomes a datasync.RowError whose Row is the line it
// starts on and whose Err is a *text.LineError naming the file, line and byte
// offset. A problem with the file as a whole (a header without a named
// column, a record longer than MaxRecordSize) is a *text.FileError that fails
// the split.
//
// Checkpoints are Positions: the byte offset after the last record returned
// (in the decompressed stream), with the line count, the field count and
// header, the detected compression and a running CRC-64. An uncompressed
// file resumes by reading from that offset; a compressed one by
// decompressing again from its start and skipping to it.
//
// # Byte ranges
//
// A range [Start, End) of a file owns the records that start inside it. The
// reader of a range that starts inside the file opens it one byte early and
// skips through the first newline (that line belongs to the range before),
// then reads records while they start before End, the last one past End if
// need be. This needs every newline outside a value to end a record: true of
// text (whose values escape their newlines) and of JSON Lines, and of csv
// only when the user promises that no quoted field holds a newline.
//
// # Writing
//
// CompileWrite compiles text.WriteOptions into a WriteSpec. A StreamWriter encodes batches
// into a sequence of outputs that the connector provides (temporary files,
// multipart uploads), compressing them, starting each with the header, and
// rolling to the next when one reaches a size. Rows it cannot write (a
// character the encoding lacks, a delimiter in plain text without an
// escape) come back as RowErrors while the rest of the batch is written.
//
// # NULL and the empty string
//
// They stay distinct in every format: csv writes NULL as the null text
// (\N by default) unquoted and quotes empty strings and strings equal to
// the null text; text escapes a string equal to the null text; JSON Lines
// uses null.
package textcodec
