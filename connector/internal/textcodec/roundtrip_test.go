package textcodec

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRoundTripEveryKind(t *testing.T) {
	for _, format := range []string{FormatCSV, FormatText, FormatJSONL} {
		for _, compress := range []string{"none", "gzip", "zstd"} {
			for _, enc := range []string{"UTF-8", "GBK", "GB18030"} {
				for _, delim := range []string{",", "\t", "||", "\\u0001"} {
					if format == FormatJSONL && delim != "," {
						continue
					}
					name := fmt.Sprintf("%s/%s/%s/%q", format, compress, enc, delim)
					t.Run(name, func(t *testing.T) {
						f := Format{FileFormat: format, Compress: compress, Encoding: enc, FieldDelimiter: delim}
						ws, err := WriteOptions{Format: f, WriteHeader: true}.Compile()
						require.NoError(t, err)
						emoji := enc != "GBK"
						rows := allKindRows(200, emoji)
						files, err := encodeAll(t, ws, allKinds, rows, StreamConfig{})
						require.NoError(t, err)
						require.Len(t, files, 1)

						rf := f
						rf.Compress = "" // detected
						rs, err := ReadOptions{Format: rf, SkipHeader: format != FormatJSONL, Column: columnsFor(allKinds, format == FormatJSONL)}.Compile()
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
