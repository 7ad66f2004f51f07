// Package file reads and writes local text files: csv, delimited text and
// JSON Lines, compressed or not, in UTF-8, GBK or another ASCII-compatible
// encoding. It is the datasync counterpart of DataX's txtfilereader and
// txtfilewriter, whose parameters package job/datax translates into these
// configs. The text settings (text.ReadOptions and text.WriteOptions) come
// from package text, shared with package oss.
//
// # Formats
//
// FileFormat is one of:
//
//	csv    RFC 4180 (the default): fields holding the delimiter, a quote or a
//	       line break are quoted, "" is a quote, and quoted fields may span
//	       lines. A field is NULL when it is unquoted and equals NullText
//	       (\N by default); empty strings are written "" so they stay strings.
//	text   delimited lines without quotes, where a backslash escapes the
//	       delimiter, line breaks (\n, \r), tabs (\t) and itself, as in
//	       PostgreSQL's and MySQL's text formats. Escape "" turns escaping
//	       off (DataX's plain text); values that text cannot then hold are
//	       dirty rows on write.
//	jsonl  one JSON object per line, keyed by column name (reading also takes
//	       arrays, by index). NULL is null; Decimal, Date, Time and Timestamp
//	       are strings in their text forms, Bytes base64, JSON raw.
//
// FieldDelimiter is one or more characters, "," by default; `\t` and
// `\u0001` written with a backslash are understood. Encoding is UTF-8 by
// default, or GBK, GB18030, Big5, Shift_JIS and other ASCII-compatible
// encodings: a line that is not valid in it is dirty, and a value it cannot
// encode is a dirty row on write. Compression is none, gzip or zstd on
// write; on read gzip, zstd and bzip2 are recognized by their first bytes
// whatever it says. A compressed file that is truncated or damaged fails
// its split at once, without retries, with an error naming it and how far
// the decompressor got. Values are written in
// the text forms of datasync.Value.AppendTo, which read back exactly (floats
// in shortest form, decimals with their scale, timestamps with microseconds
// and a Z for instants), Bytes as base64 (BytesFormat hex or raw otherwise),
// and dates and times with DateFormat, TimeFormat and TimestampFormat when set.
//
// # Reading
//
// SourceConfig.Path lists files, directories (read recursively) and glob
// patterns; a pattern that matches nothing is an error naming it. Columns
// are chosen as in DataX: by index (text.ColumnAt(0, datasync.KindInt)), by
// header name (text.ColumnNamed("id", datasync.KindInt), with SkipHeader) or
// jsonl key, or as a constant (text.ColumnConst("src", datasync.KindString,
// "a")); "*" (or no column) reads every field as a String named from the
// header (col0, col1... without one). Types are datasync kinds; Format
// parses dates and times with Java pattern letters (yyyy-MM-dd
// HH:mm:ss.SSS). Spaces around
// numbers, booleans, dates and times are ignored; strings keep theirs. A
// line that is not a row (a wrong field count, a value that does not parse for its kind,
// bad encoding) is dirty data: the pipeline's dirty policy receives it with
// the file, the line number, the column, the text and the reason (a
// *text.LineError).
//
// Every file is a split (IDs file-00000, file-00001... in path order). A
// file larger than SplitSize (64 MiB by default) that is uncompressed and in
// text or jsonl (or csv whose fields hold no line breaks, NoQuotedNewlines)
// is split further into byte ranges aligned to line starts, so several
// workers read it; each line is read exactly once (the dirty lines of a
// range that starts inside a file are numbered from the range's start, and
// their LineError gives their byte offset in the file). A checkpoint is the byte
// offset after the last row returned (plus the line number and header), so
// a split resumes mid-file; a compressed file resumes by decompressing from
// its start again up to that offset.
//
// # Writing
//
// Each split writes <FileName>_<split ID><suffix> in Path (the suffix
// follows the format and compression, such as .csv.gz), rolling to
// <FileName>_<split ID>_<n><suffix> when MaxFileBytes is set; or, with SingleFile, the parts of all splits are
// joined into one file named FileName when the job finishes. With Naming
// NameRandom the split ID gives way to a random part, as DataX names its
// files: <FileName>__<random><suffix>. Files are
// written under hidden temporary names and renamed into place when their
// split completes (the writer is a datasync.Committer): a failed or
// retried split leaves nothing under a final name, and a retried split
// writes its file over from the start. WriteMode is
//
//	nonConflict  the default: fail before writing if a file whose name
//	             starts with FileName exists
//	truncate     remove the files whose names start with FileName first
//	append       keep them; a name already taken gets a random suffix
//	             (a single file is appended to)
//
// A killed process leaves its temporary files behind (hidden, named
// .<final name>.<random>.tmp); a truncate job removes those of its
// FileName.
//
// Header (a list of names) or WriteHeader (the source's
// column names) starts every file with a header line.
//
// Sink.Check and Source.Check validate a job without moving data: the paths
// match readable files with the named columns, the directory is writable
// and nonConflict would not fail.
package file
