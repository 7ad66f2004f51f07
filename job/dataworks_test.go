package job_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/job"
)

const streamScript = `{"type": "job", "version": "2.0",
 "steps": [
   {"stepType": "stream", "category": "reader", "name": "Reader",
    "parameter": {"column": [{"incr": "0,1", "type": "long"}, {"value": "hi", "type": "string"}], "sliceRecordCount": 5}},
   {"stepType": "stream", "category": "writer", "name": "Writer", "parameter": {"print": false}}],
 "setting": {"errorLimit": {"record": "0"},
             "speed": {"throttle": true, "concurrent": 2, "mbps": "12", "dmu": 1}},
 "order": {"hops": [{"from": "Reader", "to": "Writer"}]}}`

func TestParseAndRunADataWorksScript(t *testing.T) {
	j, err := job.Parse([]byte(streamScript), job.Options{})
	require.NoError(t, err)
	defer j.Close()
	assert.Equal(t, job.DataWorks, j.Dialect)
	require.Len(t, j.Tasks, 1)
	task := j.Tasks[0]
	assert.Equal(t, "streamreader", task.ReaderName)
	assert.Equal(t, "streamwriter", task.WriterName)
	assert.Equal(t, "Reader", task.ReaderStep)
	assert.Equal(t, "order.hops[0]", task.Path)
	assert.Equal(t, 2, j.Setting.Speed.Channel, "concurrent is the parallelism")
	assert.Equal(t, 12.0*(1<<20), j.Setting.Speed.Byte, "mbps is MB/s for the job")
	require.NotNil(t, j.Setting.ErrorLimit.Record)
	assert.Equal(t, int64(0), *j.Setting.ErrorLimit.Record, `"0" as a string`)

	pipelines, err := j.Pipelines()
	require.NoError(t, err)
	res, err := pipelines[0].Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(10), res.RecordsWritten, "2 channels x 5 records")

	// throttle false: no bandwidth limit, whatever mbps says; numbers as numbers.
	j, err = job.Parse([]byte(`{"type": "job", "version": "2.0", "steps": [
		{"stepType": "stream", "category": "reader", "name": "r", "parameter": {"column": [{"value": 1, "type": "long"}], "sliceRecordCount": 1}},
		{"stepType": "stream", "category": "writer", "name": "w", "parameter": {"print": false}}],
		"setting": {"errorLimit": {"record": 5}, "speed": {"throttle": false, "concurrent": 1, "mbps": 1}},
		"order": {"hops": [{"from": "r", "to": "w"}]}}`), job.Options{})
	require.NoError(t, err)
	defer j.Close()
	assert.Zero(t, j.Setting.Speed.Byte)
	assert.Equal(t, int64(5), *j.Setting.ErrorLimit.Record)

	dx, err := job.Parse([]byte(`{"job": {"content": [{"reader": {"name": "streamreader", "parameter": {"column": [{"value": 1, "type": "long"}], "sliceRecordCount": 1}}, "writer": {"name": "streamwriter"}}]}}`), job.Options{})
	require.NoError(t, err)
	defer dx.Close()
	assert.Equal(t, job.DataX, dx.Dialect)
	assert.Equal(t, "job.content[0]", dx.Tasks[0].Path)
}

func TestDataWorksScriptWithSeveralHops(t *testing.T) {
	j, err := job.Parse([]byte(`{"type": "job", "version": "2.0", "steps": [
		{"stepType": "stream", "category": "reader", "name": "A", "parameter": {"column": [{"value": 1, "type": "long"}], "sliceRecordCount": 3}},
		{"stepType": "stream", "category": "reader", "name": "B", "parameter": {"column": [{"value": 2, "type": "long"}], "sliceRecordCount": 4}},
		{"stepType": "stream", "category": "writer", "name": "W1", "parameter": {"print": false}},
		{"stepType": "stream", "category": "writer", "name": "W2", "parameter": {"print": false}}],
		"setting": {"speed": {"concurrent": 1}},
		"order": {"hops": [{"from": "A", "to": "W1"}, {"from": "B", "to": "W2"}]}}`), job.Options{})
	require.NoError(t, err)
	defer j.Close()
	require.Len(t, j.Tasks, 2)
	pipelines, err := j.Pipelines()
	require.NoError(t, err)
	for i, want := range []int64{3, 4} {
		res, err := pipelines[i].Run(context.Background())
		require.NoError(t, err)
		assert.Equal(t, want, res.RecordsWritten)
	}
}

func TestDataWorksScriptMistakes(t *testing.T) {
	_, err := job.Parse([]byte(`{"type": "jobs", "version": "3.0",
	 "steps": [
	   {"stepType": "streem", "category": "reader", "name": "Reader", "parameter": {}},
	   {"stepType": "stream", "category": "writer", "name": "Writer", "parameter": {"prnt": true}},
	   {"stepType": "stream", "category": "source", "name": "Other"},
	   {"stepType": "stream", "category": "reader", "name": "Lonely", "parameter": {"sliceRecordCount": 1, "column": [{"value": 1, "type": "long"}]}},
	   {"stepType": "stream", "category": "writer", "name": "Writer", "parameter": {}},
	   {"stepType": "stream", "category": "reader", "name": "R2", "parameter": {"sliceRecordCount": 1, "column": [{"value": 1, "type": "long"}]}},
	   {"stepType": "stream", "category": "writer", "name": "W2", "parameter": {}},
	   {"stepType": "stream", "category": "reader", "name": "R3", "parameter": {"sliceRecordCount": 1, "column": [{"value": 1, "type": "long"}]}}],
	 "setting": {"errorLimit": {"record": "x"}, "speed": {"throttle": true, "concurrent": -1}, "sped": {}},
	 "order": {"hops": [{"from": "Reader", "to": "Writer"}, {"from": "Writer", "to": "Reader"},
	                    {"from": "Raeder", "to": "W2"}, {"from": "R2", "to": "R3"}, {"from": "R2", "to": "W2"}, {"from": "R3", "to": "W2"}]}}`), job.Options{})
	require.Error(t, err)
	for _, want := range []string{
		`type: "jobs" is not "job"`,
		`version: "3.0" is not supported`,
		`setting.sped: unknown setting "sped"; did you mean "speed"?`,
		`setting.errorLimit.record: want a whole number, got a string`,
		`setting.speed.concurrent: -1 is negative`,
		`setting.speed.mbps: missing: throttle is true`,
		`steps[0].stepType: no stepType "streem"; did you mean "stream"?`,
		`steps[1].parameter.prnt: unknown setting "prnt"; did you mean "print"?`,
		`steps[2].category: "source" is not "reader" or "writer"`,
		`steps[3]: step "Lonely" is in no hop of order.hops`,
		`steps[4].name: "Writer" is already the name of steps[1]`,
		`order.hops[1].from: "Writer" is a writer; a hop goes from a reader to a writer`,
		`order.hops[2].from: no step named "Raeder"; did you mean "Reader"?`,
		`order.hops[3].to: "R3" is a reader; a hop goes from a reader to a writer`,
		`order.hops[5].to: writer "W2" already takes order.hops[4]; a writer takes one reader`,
	} {
		assert.Contains(t, err.Error(), want)
	}
	assert.NotContains(t, err.Error(), "Other\" is in no hop", "a step already at fault is not reported twice")

	_, err = job.Parse([]byte(`{"type": "job", "steps": [
		{"stepType": "stream", "category": "reader", "name": "a", "parameter": {}},
		{"stepType": "stream", "category": "reader", "name": "b", "parameter": {}}]}`), job.Options{})
	assert.ErrorContains(t, err, `order: missing: give order.hops`)
}

func TestStepTypes(t *testing.T) {
	r := job.NewRegistry()
	r.RegisterStepType("widgets", "widgetreader", "")
	reader, writer, ok := r.StepType("widgets")
	assert.True(t, ok)
	assert.Equal(t, "widgetreader", reader)
	assert.Empty(t, writer)
	assert.Equal(t, []string{"widgets"}, r.StepTypes())
	assert.Panics(t, func() { r.RegisterStepType("widgets", "a", "b") })
	assert.Panics(t, func() { r.RegisterStepType("x", "", "") })
	for _, st := range []string{"mysql", "postgresql", "oss", "stream", "txtfile"} {
		_, _, ok := job.DefaultRegistry.StepType(st)
		assert.True(t, ok, st)
	}

	_, err := job.Parse([]byte(`{"type": "job", "version": "2.0", "steps": [
		{"stepType": "widgets", "category": "writer", "name": "w"},
		{"stepType": "widgets", "category": "reader", "name": "r"}],
		"order": {"hops": [{"from": "r", "to": "w"}]}}`), job.Options{Registry: r})
	assert.ErrorContains(t, err, `steps[0].stepType: "widgets" has no writer`)
	assert.ErrorContains(t, err, `steps[1].stepType: "widgets" stands for the reader "widgetreader", which is not registered`)
}
