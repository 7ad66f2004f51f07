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
		{Type: datasync.KindInt, Incr: &stream.Sequence{Start: 1, Step: 1}}, {Type: datasync.KindString, Value: json.RawMessage(`null`)}, {Type: datasync.KindFloat, Value: json.RawMessage(`1.5`)},
	}, RecordsPerSplit: 3})
	require.NoError(t, err)
	dst, err := stream.NewSink(stream.SinkConfig{FieldDelimiter: ",", NullText: `\N`, Out: &out})
	require.NoError(t, err)
	p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(1))
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "1,\\N,1.5\n2,\\N,1.5\n3,\\N,1.5\n", out.String())

	dst, _ = stream.NewSink(stream.SinkConfig{Discard: true, Out: &out})
	out.Reset()
	p, _ = datasync.NewPipeline(src, dst)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	assert.Empty(t, out.String())
}

func TestStreamDefaultsAndKinds(t *testing.T) {
	var out strings.Builder
	src, err := stream.NewSource(stream.SourceConfig{Column: []stream.ColumnSpec{
		{Type: datasync.KindDate, Value: json.RawMessage(`"2024-02-29"`)}, {Type: datasync.KindInt, Value: json.RawMessage(`null`)},
	}, RecordsPerSplit: 1})
	require.NoError(t, err)
	dst, err := stream.NewSink(stream.SinkConfig{Out: &out})
	require.NoError(t, err)
	p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(1))
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "2024-02-29\t"+stream.DefaultNullText+"\n", out.String())

	_, err = stream.NewSource(stream.SourceConfig{Column: []stream.ColumnSpec{{Value: json.RawMessage(`1`)}}, RecordsPerSplit: 1})
	assert.ErrorContains(t, err, "column[0]: type Null is not a kind of values")
}
