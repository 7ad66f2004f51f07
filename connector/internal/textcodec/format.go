package textcodec

import (
	"errors"
	"fmt"
	"strings"
)

// compiledFormat is a Format checked.
type compiledFormat struct {
	format   string
	delim    []byte
	nullText []byte
	escape   int // the escape byte of text, -1 for none
	bytesFmt string
	cs       *charset
	compress string
}

func (f Format) compile(write bool) (compiledFormat, error) {
	var c compiledFormat
	var errs []error
	var err error
	if c.format, err = normFormat(f.FileFormat); err != nil {
		errs = append(errs, err)
	}
	delim := f.FieldDelimiter
	if delim == "" {
		delim = ","
	}
	if delim, err = decodeDelimiter(delim); err != nil {
		errs = append(errs, err)
	} else if delim == "" {
		errs = append(errs, errEmptyDelimiter)
	} else if strings.ContainsAny(delim, "\r\n") {
		errs = append(errs, fmt.Errorf("fieldDelimiter %q contains a newline", delim))
	} else if c.format == FormatCSV && strings.Contains(delim, `"`) {
		errs = append(errs, fmt.Errorf("fieldDelimiter %q contains the csv quote", delim))
	}
	c.delim = []byte(delim)
	null := DefaultNullFormat
	if f.NullFormat != nil {
		null = *f.NullFormat
	}
	if strings.ContainsAny(null, "\r\n") || (null != "" && strings.Contains(null, delim)) {
		errs = append(errs, fmt.Errorf("nullFormat %q contains a newline or the field delimiter", null))
	}
	c.nullText = []byte(null)
	c.escape = -1
	if c.format == FormatText {
		esc := `\`
		if f.Escape != nil {
			esc = *f.Escape
		}
		switch {
		case esc == "":
		case len(esc) == 1 && esc[0] < 0x80 && esc[0] != '\n' && esc[0] != '\r' && !strings.Contains(delim, esc):
			c.escape = int(esc[0])
		default:
			errs = append(errs, fmt.Errorf("escape %q: want one ASCII character other than the delimiter, or \"\" for none", esc))
		}
	}
	switch strings.ToLower(f.BytesFormat) {
	case "", "base64":
		c.bytesFmt = "base64"
	case "hex":
		c.bytesFmt = "hex"
	case "raw":
		c.bytesFmt = "raw"
	default:
		errs = append(errs, fmt.Errorf("bytesFormat %q: want base64, hex or raw", f.BytesFormat))
	}
	if c.cs, err = lookupCharset(f.Encoding); err != nil {
		errs = append(errs, err)
	}
	if c.compress, err = normCompress(f.Compress, write); err != nil {
		errs = append(errs, err)
	}
	return c, errors.Join(errs...)
}

// Extension returns the usual file name extension for the format and
// compression of a writer, such as ".csv.gz".
func (s *WriteSpec) Extension() string {
	ext := ".csv"
	switch s.format {
	case FormatText:
		ext = ".txt"
	case FormatJSONL:
		ext = ".jsonl"
	}
	return ext + Extension(s.compress)
}
