package datax_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/stream"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/sink"
)

func newStreamSource(t *testing.T, params string) datasync.Source {
	t.Helper()
	c, ok := job.DefaultRegistry.Lookup("streamreader")
	require.True(t, ok)
	p, err := c.Source.Decode(json.RawMessage(params))
	require.NoError(t, err)
	src, err := c.Source.Build(p)
	require.NoError(t, err)
	return src
}

func TestStreamReaderAsInDataX(t *testing.T) {
	src := newStreamSource(t, `{
		"column": [
			{"value": "DataX", "type": "string"},
			{"value": 19890604, "type": "long"},
			{"value": "1989-06-04 00:00:00", "type": "date"},
			{"value": true, "type": "bool"},
			{"value": "test", "type": "bytes"},
			{"incr": "1,2", "type": "long", "name": "seq"},
			{"random": "2,5", "type": "string"}
		],
		"sliceRecordCount": 10
	}`)
	dst := sink.Collect()
	p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(3))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(30), res.RecordsWritten, "channel x sliceRecordCount, as DataX")
	schema := dst.Schema()
	assert.Equal(t, "seq", schema[5].Name)
	assert.Equal(t, datasync.KindTimestamp, schema[2].Kind)
	first := dst.Split("stream-0")[0]
	assert.Equal(t, "(DataX, 19890604, 1989-06-04 00:00:00, true, test, 1", first[:6].String()[:len("(DataX, 19890604, 1989-06-04 00:00:00, true, test, 1")])
	third := dst.Split("stream-0")[2]
	assert.Equal(t, "5", third[5].String(), "incr 1,2")
	random := first[6].String()
	assert.True(t, len(random) >= 2 && len(random) <= 5, random)
	assert.NotEqual(t, first[6], dst.Split("stream-1")[0][6], "each split has its own random stream")

	// A split reopened from a checkpoint yields what it would have.
	ctx := context.Background()
	splits, err := src.Plan(ctx, datasync.PlanHint{Parallelism: 3})
	require.NoError(t, err)
	r, err := src.Open(ctx, splits[0], nil)
	require.NoError(t, err)
	b := datasync.NewBatch(schema, 4, 1<<20)
	require.NoError(t, r.Read(ctx, b))
	resumed, err := src.Open(ctx, splits[0], r.Checkpoint())
	require.NoError(t, err)
	b.Reset()
	require.NoError(t, resumed.Read(ctx, b))
	assert.True(t, dst.Split("stream-0")[4].Equal(b.Row(0)), "record 4 again")
}

func TestStreamReaderRejectsBadColumns(t *testing.T) {
	c, _ := job.DefaultRegistry.Lookup("streamreader")
	p, err := c.Source.Decode(json.RawMessage(`{"column": [{"type": "long"}, {"type": "blob", "value": 1}, {"type": "long", "value": "x"}], "sliceRecordCount": 1}`))
	require.NoError(t, err)
	_, err = c.Source.Build(p)
	require.Error(t, err)
	assert.ErrorContains(t, err, `column[0]: give exactly one of "value", "random" and "incr"`)
	assert.ErrorContains(t, err, `column[1]: type "blob" is not one of`)
	assert.ErrorContains(t, err, `column[2]: cannot convert String "x" to Int`)

	_, err = c.Source.Decode(json.RawMessage(`{"column": [{"type": "long", "valeu": 1}]}`))
	assert.ErrorContains(t, err, `column[0].valeu: unknown setting "valeu"; did you mean "value"?`)
	assert.ErrorContains(t, err, `sliceRecordCount: missing required setting`)
}

func TestStreamRegisteredNames(t *testing.T) {
	for _, name := range []string{"streamreader", "memory"} {
		c, ok := job.DefaultRegistry.Lookup(name)
		require.True(t, ok, name)
		assert.NotNil(t, c.Source, name)
	}
	for _, name := range []string{"streamwriter", "memory"} {
		c, _ := job.DefaultRegistry.Lookup(name)
		assert.NotNil(t, c.Sink, name)
	}
	assert.Contains(t, job.DefaultRegistry.SourceNames(), "streamreader")
	assert.NotContains(t, job.DefaultRegistry.SinkNames(), "streamreader")
	assert.Panics(t, func() {
		job.DefaultRegistry.Register("memory", job.Connector{Sink: job.SinkFunc(func(*stream.SinkConfig) (datasync.Sink, error) { return nil, nil })})
	})
}

func TestStreamWriterParameters(t *testing.T) {
	c, _ := job.DefaultRegistry.Lookup("streamwriter")
	for _, params := range []string{`{"print": false}`, `{"print": true, "fieldDelimiter": ",", "nullFormat": "NULL"}`, `{}`} {
		p, err := c.Sink.Decode(json.RawMessage(params))
		require.NoError(t, err, params)
		_, err = c.Sink.Build(p)
		require.NoError(t, err, params)
	}
	p, err := c.Sink.Decode(json.RawMessage(`{"nullFormat": ""}`))
	require.NoError(t, err)
	_, err = c.Sink.Build(p)
	assert.ErrorContains(t, err, "nullFormat: the empty text is not supported")
}

func TestStreamReaderRandomAndIncrForms(t *testing.T) {
	c, _ := job.DefaultRegistry.Lookup("streamreader")
	p, err := c.Source.Decode(json.RawMessage(`{"column": [{"type": "long", "random": "1"}, {"type": "long", "incr": "a,1"}, {"type": "long", "random": "5,1"}], "sliceRecordCount": 1}`))
	require.NoError(t, err)
	_, err = c.Source.Build(p)
	assert.ErrorContains(t, err, `column[0].random: "1": want two numbers separated by a comma`)
	assert.ErrorContains(t, err, `column[1].incr: "a,1": want two numbers separated by a comma`)
	assert.ErrorContains(t, err, `column[2]: random [5, 1]: the maximum is below the minimum`)
}
