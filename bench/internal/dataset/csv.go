package dataset

import (
	"bytes"

	"github.com/datasync-go/datasync"
)

// The dataset's CSV file follows RFC 4180 as PostgreSQL's COPY (FORMAT csv)
// reads and writes it: a header line of column names; fields separated by
// commas; a field quoted with double quotes (doubled inside) when it holds a
// comma, a quote, a CR or a LF, or is an empty string; NULL as an empty
// unquoted field, so NULL and "" stay distinct. Booleans are true and false,
// timestamps have no zone, lines end with LF.

// AppendCSVHeader appends the header line.
func AppendCSVHeader(dst []byte) []byte {
	for i, name := range Schema().Names() {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, name...)
	}
	return append(dst, '\n')
}

// AppendCSV appends r as one CSV line.
func AppendCSV(dst []byte, r datasync.Record) []byte {
	for i, v := range r {
		if i > 0 {
			dst = append(dst, ',')
		}
		switch v.Kind() {
		case datasync.KindNull:
		case datasync.KindString:
			dst = appendCSVString(dst, v.Raw())
		default:
			dst = v.AppendTo(dst)
		}
	}
	return append(dst, '\n')
}

func appendCSVString(dst, s []byte) []byte {
	if len(s) > 0 && bytes.IndexAny(s, ",\"\r\n") < 0 {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for _, c := range s {
		if c == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, c)
	}
	return append(dst, '"')
}
