package cli

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunDateFillsSchedulingParameters(t *testing.T) {
	job := writeJob(t, `{"job": {"setting": {"speed": {"channel": 1}}, "content": [{
	  "reader": {"name": "streamreader", "parameter": {"sliceRecordCount": 1, "column": [
	    {"value": "${bizdate}", "type": "string"}, {"value": "$[yyyymmdd]", "type": "string"},
	    {"value": "$[yyyy-mm-dd]", "type": "string"}, {"value": "$[hh24miss]", "type": "string"}]}},
	  "writer": {"name": "streamwriter", "parameter": {"print": true, "fieldDelimiter": ","}}}]}}`)
	cases := map[string]string{
		"2026-11-25":          "20261124,20261125,2026-11-25,000000\n",
		"2026-03-01 02:30:00": "20260228,20260301,2026-03-01,023000\n",
		"20260101":            "20251231,20260101,2026-01-01,000000\n",
	}
	for date, want := range cases {
		r := runCLI(t, "run", job, "--run-date", date)
		require.Equal(t, ExitOK, r.code, r.stderr)
		assert.Equal(t, want, r.stdout, date)
	}
	r := runCLI(t, "run", job, "--run-date", "25/11/2026")
	assert.Equal(t, ExitInvalid, r.code)
	assert.Contains(t, r.stderr, `want a date such as 2026-11-25`)
}
