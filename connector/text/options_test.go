package text_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/text"
)

func TestReadOptionsJSON(t *testing.T) {
	var o text.ReadOptions
	require.NoError(t, json.Unmarshal([]byte(`{"fileFormat": "text", "nullText": "", "compression": "gzip",
		"column": ["*", "name", {"index": 2, "type": "timestamp", "format": "yyyy-MM-dd HH:mm"}]}`), &o))
	assert.Equal(t, text.FormatText, o.FileFormat)
	assert.Equal(t, text.CompressionGzip, o.Compression)
	require.NotNil(t, o.NullText)
	assert.Equal(t, "", *o.NullText)
	assert.True(t, o.Column[0].IsStar())
	assert.Equal(t, text.ColumnSpec{Name: "name"}, o.Column[1])
	assert.Equal(t, datasync.KindTimestamp, o.Column[2].Type)
	assert.Equal(t, 2, *o.Column[2].Index)

	err := json.Unmarshal([]byte(`{"column": [{"index": 0, "type": "long"}]}`), &o)
	assert.ErrorContains(t, err, `"long" is not a kind`, "DataX's type names are job/datax's")

	out, err := json.Marshal(text.ColumnAt(1, datasync.KindInt))
	require.NoError(t, err)
	assert.JSONEq(t, `{"index": 1, "type": "Int"}`, string(out))
}
