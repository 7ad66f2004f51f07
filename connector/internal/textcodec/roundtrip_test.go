package textcodec

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/connector/text"
)

func TestRoundTripEveryKind(t *testing.T) {
	for _, format := range []text.FileFormat{text.FormatCSV, text.FormatText, text.FormatJSONL} {
		for _, compress := range []string{"none", "gzip", "zstd"} {
			for _, enc := range []string{"UTF-8", "GBK", "GB18030"} {
				for _, delim := range []string{",", "\t", "||", "\\u0001"} {
					if format == text.FormatJSONL && delim != "," {
						continue
					}
					name := fmt.Sprintf("%s/%s/%s/%q", format, compress, enc, delim)
					t.Run(name, func(t *testing.T) {
						f := text.Format{FileFormat: format, Compression: text.Compression(compress), Encoding: enc, FieldDelimiter: delim}
						ws, err := CompileWrite(text.WriteOptions{Format: f, WriteHeader: true})
						require.NoError(t, err)
						emoji := enc != "GBK"
						rows := allKindRows(200, emoji)
						files, err := encodeAll(t, ws, allKinds, rows, StreamConfig{})
						require.NoError(t, err)
						require.Len(t, files, 1)

						rf := f
						rf.Compression = "" // detected
						rs, err := CompileRead(text.ReadOptions{Format: rf, SkipHeader: format != text.FormatJSONL, Column: columnsFor(allKinds, format == text.FormatJSONL)})
						require.NoError(t, err)
						got, dirty := decodeAll(t, rs, files[0], SplitSpec{})
						require.Empty(t, dirty)
						requireRowsEqual(t, rows, got)
					})
				}
			}
		}
	}
}
