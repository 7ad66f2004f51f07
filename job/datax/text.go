package datax

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/job"
)

// textFormat is the text layout of DataX's txtfile and oss plugins, with
// datasync's own settings (escape, bytesFormat) beside DataX's.
type textFormat struct {
	FileFormat     string  `json:"fileFormat"`
	FieldDelimiter string  `json:"fieldDelimiter"`
	Encoding       string  `json:"encoding"`
	Compress       string  `json:"compress"`
	NullFormat     *string `json:"nullFormat"`
	Escape         *string `json:"escape"`
	BytesFormat    string  `json:"bytesFormat"`
}

func (f textFormat) native() text.Format {
	return text.Format{
		FileFormat:     text.FileFormat(f.FileFormat),
		FieldDelimiter: f.FieldDelimiter,
		Encoding:       f.Encoding,
		Compression:    text.Compression(f.Compress),
		NullText:       f.NullFormat,
		Escape:         f.Escape,
		BytesFormat:    text.BytesFormat(f.BytesFormat),
	}
}

// textReadParams are the text settings of txtfilereader and ossreader.
type textReadParams struct {
	textFormat
	Column           []textColumn `json:"column"`
	SkipHeader       bool         `json:"skipHeader"`
	SplitSize        int64        `json:"splitSize"`
	NoQuotedNewlines bool         `json:"noQuotedNewlines"`
	MaxRecordSize    int          `json:"maxRecordSize"`
	// CSVReaderConfig is DataX's tuning of its Java CSV reader
	// (safetySwitch, ...). It is accepted so that DataX jobs run unchanged,
	// and has no effect: datasync's csv reader has no such switches.
	CSVReaderConfig json.RawMessage `json:"csvReaderConfig"`
}

// native translates the settings; an unknown column type is a ParamError
// at its path.
func (p textReadParams) native() (text.ReadOptions, error) {
	o := text.ReadOptions{
		Format:           p.textFormat.native(),
		SkipHeader:       p.SkipHeader,
		SplitSize:        p.SplitSize,
		NoQuotedNewlines: p.NoQuotedNewlines,
		MaxRecordSize:    p.MaxRecordSize,
	}
	var errs []error
	for i, c := range p.Column {
		spec := text.ColumnSpec{Index: c.Index, Name: c.Name, Format: c.Format, Value: c.Value}
		if c.Type != "" {
			k, ok := parseType(c.Type)
			if !ok {
				errs = append(errs, &job.ParamError{Path: fmt.Sprintf("column[%d].type", i),
					Err: fmt.Errorf("%q is not a type (string, long, double, decimal, boolean, bytes, date, time, timestamp, json)", c.Type)})
				continue
			}
			spec.Type = k
		}
		o.Column = append(o.Column, spec)
	}
	return o, errors.Join(errs...)
}

// textWriteParams are the text settings of txtfilewriter and osswriter.
type textWriteParams struct {
	textFormat
	Header      []string `json:"header"`
	WriteHeader bool     `json:"writeHeader"`
	DateFormat  string   `json:"dateFormat"`
	// Format is DataX's older name of dateFormat.
	Format          string `json:"format"`
	TimestampFormat string `json:"timestampFormat"`
	TimeFormat      string `json:"timeFormat"`
}

// The text layout DataX's txtfilewriter and osswriter write when the job
// does not say: plain delimited text without quotes or escapes, and dates
// as DataX's column casts print them.
const (
	dataXFileFormat      = text.FormatText
	dataXTimestampFormat = "yyyy-MM-dd HH:mm:ss"
	dataXTimeFormat      = "HH:mm:ss"
)

// native translates the settings, with DataX's defaults where the job
// gives none: fileFormat text, written as DataX writes it (no quotes, no
// escapes: a value holding the delimiter or a newline is a dirty row
// rather than a corrupt line); timestamps as yyyy-MM-dd HH:mm:ss and times
// as HH:mm:ss. dateFormat (or its older name format) applies to dates and
// timestamps, as in DataX, unless timestampFormat says otherwise; times of
// day keep HH:mm:ss unless timeFormat is given (a time written with a
// date pattern would print 1970-01-01).
func (p textWriteParams) native() (text.WriteOptions, error) {
	f := p.textFormat.native()
	if f.FileFormat == "" {
		f.FileFormat = dataXFileFormat
	}
	if strings.EqualFold(string(f.FileFormat), string(text.FormatText)) && f.Escape == nil {
		none := ""
		f.Escape = &none
	}
	dates := p.DateFormat
	if p.Format != "" {
		if dates != "" && dates != p.Format {
			return text.WriteOptions{}, &job.ParamError{Path: "format", Err: errors.New("an older name of dateFormat: give one of them")}
		}
		dates = p.Format
	}
	o := text.WriteOptions{
		Format:          f,
		Header:          p.Header,
		WriteHeader:     p.WriteHeader,
		DateFormat:      dates,
		TimestampFormat: cmp.Or(p.TimestampFormat, dates, dataXTimestampFormat),
		TimeFormat:      cmp.Or(p.TimeFormat, dataXTimeFormat),
	}
	return o, nil
}

// textColumn is a column of txtfilereader and ossreader: {"index": 0,
// "type": "long"}, {"name": "id", "type": "long"}, {"type": "string",
// "value": "x"}, or a bare string ("*", or a name).
type textColumn struct {
	Index  *int    `json:"index"`
	Name   string  `json:"name"`
	Type   string  `json:"type"`
	Format string  `json:"format"`
	Value  *string `json:"value"`
}

// UnmarshalJSON accepts a column object or a bare string.
func (c *textColumn) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		*c = textColumn{}
		return json.Unmarshal(data, &c.Name)
	}
	type plain textColumn // without this method
	return json.Unmarshal(data, (*plain)(c))
}

// maxFileBytes converts DataX's maxFileSize (MiB) to bytes.
func maxFileBytes(mib int64) (int64, error) {
	if mib < 0 {
		return 0, &job.ParamError{Path: "maxFileSize", Err: fmt.Errorf("%d MiB is negative", mib)}
	}
	if mib > math.MaxInt64>>20 {
		return 0, &job.ParamError{Path: "maxFileSize", Err: fmt.Errorf("%d MiB is too large", mib)}
	}
	return mib << 20, nil
}
