package cli

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A DataX job with transformers runs from the command: the report counts
// the records a filter dropped.
func TestRunAJobWithTransformers(t *testing.T) {
	r := runCLI(t, "run", writeJob(t, `{"job": {
  "setting": {"speed": {"channel": 1}},
  "content": [{
    "reader": {"name": "streamreader", "parameter": {
      "column": [{"incr": "1,1", "type": "long"}, {"value": "dataxTest", "type": "string"}],
      "sliceRecordCount": 5}},
    "writer": {"name": "streamwriter", "parameter": {"print": true, "fieldDelimiter": ","}},
    "transformer": [
      {"name": "dx_filter", "parameter": {"columnIndex": 0, "paras": [">", "3"]}},
      {"name": "dx_substr", "parameter": {"columnIndex": 1, "paras": ["2", "5"]}}
    ]
  }]}}`))
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "1,taxTe\n2,taxTe\n3,taxTe\n", r.stdout)
	assert.Regexp(t, `Records written\s+:\s+3\n`, r.stderr)
	assert.Regexp(t, `Records filtered\s+:\s+2\n`, r.stderr)

	r = runCLI(t, "check", writeJob(t, `{"job": {"content": [{
    "reader": {"name": "streamreader", "parameter": {"column": [{"value": "a", "type": "string"}], "sliceRecordCount": 1}},
    "writer": {"name": "streamwriter", "parameter": {"print": false}},
    "transformer": [{"name": "dx_groovy", "parameter": {"code": "return record;"}}]}]}}`))
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "dx_groovy runs Groovy code, which needs a Java virtual machine")

	// verify cannot compare a transformed target with its source: it says so.
	r = runCLI(t, "verify", writeJob(t, `{"job": {"content": [{
    "reader": {"name": "streamreader", "parameter": {"column": [{"value": "a", "type": "string"}], "sliceRecordCount": 1}},
    "writer": {"name": "streamwriter", "parameter": {"print": false}},
    "transformer": [{"name": "dx_pad", "parameter": {"columnIndex": 0, "paras": ["l", "3", "x"]}}]}]}}`))
	assert.NotEqual(t, 0, r.code)
	assert.Contains(t, r.stderr, "the task has transformers, so its target is not a copy of its source: not verified")
}
