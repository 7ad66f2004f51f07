package stream_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/stream"
)

func TestStreamWriterPrintsLines(t *testing.T) {
	var out strings.Builder
	src, err := stream.NewSource(stream.SourceConfig{Column: []stream.ColumnSpec{
		{Type: "long", Incr: "1,1"}, {Type: "string", Value: json.RawMessage(`null`)}, {Type: "double", Value: json.RawMessage(`1.5`)},
	}, SliceRecordCount: 3})
	require.NoError(t, err)
	null := `\N`
	dst, err := stream.NewSink(stream.SinkConfig{FieldDelimiter: ",", NullFormat: &null, Out: &out})
	require.NoError(t, err)
	p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(1))
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "1,\\N,1.5\n2,\\N,1.5\n3,\\N,1.5\n", out.String())

	quiet := false
	dst, _ = stream.NewSink(stream.SinkConfig{Print: &quiet, Out: &out})
	out.Reset()
	p, _ = datasync.NewPipeline(src, dst)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	assert.Empty(t, out.String())
}
