package textcodec

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/datasync-go/datasync/connector/text"
)

// WriteSpec is WriteOptions checked and compiled. It is safe for concurrent
// use; each writer makes its own Encoder.
type WriteSpec struct {
	format      text.FileFormat
	delim       []byte
	nullText    []byte
	escape      int
	bytesFmt    text.BytesFormat
	cs          *charset
	compress    text.Compression
	header      []string
	writeHeader bool
	dateL       *layout
	timeL       *layout
	tsL         *layout
	quoteSet    [256]bool // bytes that make a csv field quoted
	fixedSafe   bool      // the text of numbers, booleans, dates and times never needs quotes
	escapeSet   [256]bool // bytes that text escapes
}

// CompileWrite checks the options and compiles them.
func CompileWrite(o text.WriteOptions) (*WriteSpec, error) {
	f, err := compileFormat(o.Format, true)
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	s := &WriteSpec{
		format: f.format, delim: f.delim, nullText: f.nullText, escape: f.escape,
		bytesFmt: f.bytesFmt, cs: f.cs, compress: f.compress,
		header: o.Header, writeHeader: o.WriteHeader,
	}
	for _, l := range []struct {
		name, pattern string
		dst           **layout
	}{{"dateFormat", o.DateFormat, &s.dateL}, {"timeFormat", o.TimeFormat, &s.timeL}, {"timestampFormat", o.TimestampFormat, &s.tsL}} {
		if *l.dst, err = compileLayout(l.pattern); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", l.name, err))
		}
	}
	// A pattern without the value's fields writes the same text for every
	// value (or invented ones, a month of a time of day): the data is lost.
	if s.dateL != nil && !s.dateL.jl.HasDate() {
		errs = append(errs, fmt.Errorf("dateFormat %q writes no part of a date (y, M, d or D)", o.DateFormat))
	}
	if s.timeL != nil && (!s.timeL.jl.HasClock() || s.timeL.jl.HasDate() || s.timeL.jl.HasDateOnlyText()) {
		errs = append(errs, fmt.Errorf("timeFormat %q: a time of day is written with H, k, K, h, a, m, s and S only", o.TimeFormat))
	}
	if s.tsL != nil && !s.tsL.jl.HasDate() && !s.tsL.jl.HasClock() {
		errs = append(errs, fmt.Errorf("timestampFormat %q writes no part of a timestamp", o.TimestampFormat))
	}
	if f.format == text.FormatCSV && strings.Contains(string(f.nullText), `"`) {
		// Written unquoted, a null text with a quote reads back as (part
		// of) a quoted field, not as NULL.
		errs = append(errs, fmt.Errorf("null text %q contains the csv quote", f.nullText))
	}
	if f.format == text.FormatText && f.escape >= 0 && len(f.delim) > 0 {
		// The writer escapes the escape character and the delimiter's first
		// character by writing them after the escape; the letters that
		// escapes use (\n, \t, \0...) would read back as other characters.
		if c := byte(f.escape); unescapeByte(c) != c {
			errs = append(errs, fmt.Errorf("escape %q: an escaped %q reads back as another character; choose another escape", string(c), string(c)))
		}
		if c := f.delim[0]; unescapeByte(c) != c && byte(f.escape) != c {
			errs = append(errs, fmt.Errorf("fieldDelimiter %q: its first character, escaped, reads back as another character; choose another delimiter or no escape", f.delim))
		}
		// NULL is written as the null text itself: an escape at its end
		// would escape the delimiter or the line end after it.
		if n := len(f.nullText) - len(bytes.TrimRight(f.nullText, string(rune(f.escape)))); n%2 == 1 {
			errs = append(errs, fmt.Errorf("null text %q ends with the escape %q, which would escape what follows it", f.nullText, string(rune(f.escape))))
		}
	}
	for _, h := range o.Header {
		if strings.ContainsAny(h, "\r\n") {
			errs = append(errs, fmt.Errorf("header name %q contains a newline", h))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(s.delim) > 0 {
		s.quoteSet['"'], s.quoteSet['\n'], s.quoteSet['\r'], s.quoteSet[s.delim[0]] = true, true, true, true
		s.escapeSet['\n'], s.escapeSet['\r'], s.escapeSet[s.delim[0]] = true, true, true
		if s.escape >= 0 {
			s.escapeSet[s.escape] = true
		}
		c := s.delim[0]
		s.fixedSafe = !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte("+-.: /'_", c) >= 0 || c >= 0x80)
		// A pattern's literal text may hold the delimiter or a quote
		// ("yyyy-MM-dd, HH:mm" in a csv file): such values must be quoted.
		for _, l := range []*layout{s.dateL, s.timeL, s.tsL} {
			for _, it := range l.literals() {
				if indexAny([]byte(it), &s.quoteSet) >= 0 {
					s.fixedSafe = false
				}
			}
		}
	}
	return s, nil
}

// FileFormat returns the file format.
func (s *WriteSpec) FileFormat() text.FileFormat { return s.format }

// Compression returns the compression of the output.
func (s *WriteSpec) Compression() text.Compression { return s.compress }

// HeaderNames returns the names for the header line (and jsonl keys): the
// configured header, or the schema's names when asked for or when the
// format needs them. It returns nil for no header.
func (s *WriteSpec) HeaderNames(schemaNames []string) []string {
	if len(s.header) > 0 {
		return s.header
	}
	if s.writeHeader || s.format == text.FormatJSONL {
		return schemaNames
	}
	return nil
}

// HasHeaderLine reports whether outputs start with a header line.
func (s *WriteSpec) HasHeaderLine() bool {
	return s.format != text.FormatJSONL && (len(s.header) > 0 || s.writeHeader)
}

// ParseWriteMode returns the canonical write mode m names (any case; empty
// is nonConflict, overwrite is truncate).
func ParseWriteMode(m text.WriteMode) (text.WriteMode, error) {
	switch strings.ToLower(strings.TrimSpace(string(m))) {
	case "", "nonconflict":
		return text.WriteNonConflict, nil
	case "truncate", "overwrite":
		return text.WriteTruncate, nil
	case "append":
		return text.WriteAppend, nil
	}
	return "", fmt.Errorf("writeMode %q: want truncate, append or nonConflict", m)
}

// Suffix returns the suffix of the names a writer gives its files: the
// configured one, the format's extension when none is configured, or none
// for "none".
func (s *WriteSpec) Suffix(configured string) string {
	switch configured {
	case "":
		return s.Extension()
	case "none":
		return ""
	}
	return configured
}
