package textcodec

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/datasync-go/datasync/connector/text"
)

// compiledFormat is a text.Format checked.
type compiledFormat struct {
	format   text.FileFormat
	delim    []byte
	nullText []byte
	escape   int // the escape byte of text, -1 for none
	bytesFmt text.BytesFormat
	cs       *charset
	compress text.Compression
}

func compileFormat(f text.Format, write bool) (compiledFormat, error) {
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
	} else if c.format == text.FormatCSV && strings.Contains(delim, `"`) {
		errs = append(errs, fmt.Errorf("fieldDelimiter %q contains the csv quote", delim))
	}
	c.delim = []byte(delim)
	null := text.DefaultNullText
	if f.NullText != nil {
		null = *f.NullText
	}
	if strings.ContainsAny(null, "\r\n") || (null != "" && strings.Contains(null, delim)) {
		errs = append(errs, fmt.Errorf("null text %q contains a newline or the field delimiter", null))
	}
	c.nullText = []byte(null)
	c.escape = -1
	if c.format == text.FormatText {
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
	switch text.BytesFormat(strings.ToLower(string(f.BytesFormat))) {
	case "", text.BytesBase64:
		c.bytesFmt = text.BytesBase64
	case text.BytesHex:
		c.bytesFmt = text.BytesHex
	case text.BytesRaw:
		c.bytesFmt = text.BytesRaw
	default:
		errs = append(errs, fmt.Errorf("bytesFormat %q: want base64, hex or raw", f.BytesFormat))
	}
	if c.cs, err = lookupCharset(f.Encoding); err != nil {
		errs = append(errs, err)
	}
	if c.compress, err = normCompress(f.Compression, write); err != nil {
		errs = append(errs, err)
	}
	return c, errors.Join(errs...)
}

// Extension returns the usual file name extension for the format and
// compression of a writer, such as ".csv.gz".
func (s *WriteSpec) Extension() string {
	ext := ".csv"
	switch s.format {
	case text.FormatText:
		ext = ".txt"
	case text.FormatJSONL:
		ext = ".jsonl"
	}
	return ext + Extension(s.compress)
}

// decodeDelimiter turns literal backslash escapes (`\t`, `\u0001`, `\x01`)
// into the characters they stand for; other text is returned as is.
func decodeDelimiter(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	if u, err := strconv.Unquote(`"` + strings.ReplaceAll(s, `"`, `\"`) + `"`); err == nil {
		return u, nil
	}
	return "", fmt.Errorf("fieldDelimiter %q: invalid backslash escape", s)
}

// normFormat returns the canonical format name.
func normFormat(f text.FileFormat) (text.FileFormat, error) {
	switch strings.ToLower(strings.TrimSpace(string(f))) {
	case "", "csv":
		return text.FormatCSV, nil
	case "text", "txt":
		return text.FormatText, nil
	case "jsonl", "json", "jsonlines", "ndjson":
		return text.FormatJSONL, nil
	}
	return "", fmt.Errorf("fileFormat %q: want csv, text or jsonl", f)
}

var errEmptyDelimiter = errors.New("fieldDelimiter is empty")
