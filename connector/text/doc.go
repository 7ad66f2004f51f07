// Package text holds the settings of the text formats that the file and oss
// connectors share: the file format (csv, text, JSON Lines), delimiters,
// quoting and escapes, the text of NULL, character encodings, compression,
// the columns a reader extracts, and the write modes. It also defines the
// errors that name the file and line of a record that could not be read.
//
// The settings are plain values; the connectors check them when a source or
// sink is made (file.NewSource, oss.NewSink...), and report every problem at
// once.
//
// # NULL and the empty string
//
// They stay distinct in every format: csv writes NULL as the null text
// (DefaultNullText, \N, unless Format.NullText says otherwise) unquoted and
// quotes empty strings and strings equal to the null text; text escapes a
// string equal to the null text; JSON Lines uses null.
package text
