package cli

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A DataX job's settings that have no effect are shown as warnings, with
// their JSON path, before the job runs; its speed limits are explained
// once.
func TestRunShowsDataXWarningsAndHowLimitsApply(t *testing.T) {
	path := writeJob(t, `{"job": {
  "setting": {"speed": {"byte": 1048576}},
  "content": [{
    "reader": {"name": "streamreader", "parameter": {"column": [{"value": 1, "type": "long"}], "sliceRecordCount": 3}},
    "writer": {"name": "streamwriter", "parameter": {"print": false, "encoding": "UTF-8"}}
  }]}}`)
	r := runIn(t, "run", path)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "warning: job.content[0].writer.parameter.encoding: accepted, and has no effect: printed lines are UTF-8\n")
	assert.Contains(t, r.stderr, "DataX speed settings: speed.byte 1048576 bytes/s for the whole job")
	assert.Regexp(t, `Records written\s+:\s+3\n`, r.stderr)

	r = runIn(t, "check", path)
	assert.Contains(t, r.stderr, "warning: job.content[0].writer.parameter.encoding")
}
