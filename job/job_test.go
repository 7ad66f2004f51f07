package job_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/job"
	_ "github.com/datasync-go/datasync/job/builtin"
	"github.com/datasync-go/datasync/sink"
)

// secretive is a test connector with secrets in its settings; its sink
// rejects records whose first column is odd, and fails to build when asked,
// quoting its DSN as careless drivers do.
type secretive struct {
	DSN      string `json:"dsn" datasync:"required"`
	Password string `json:"password" datasync:"secret"`
	Fail     bool   `json:"fail"`
}

var collected = sink.Collect(sink.RejectIf(func(r datasync.Record) error {
	if n, _ := r[0].AsInt(); n%2 == 1 {
		return &datasync.RowError{Column: "col1", Err: errors.New("odd")}
	}
	return nil
}))

func init() {
	job.DefaultRegistry.Register("secretive", job.Connector{Sink: job.SinkFunc(func(p *secretive) (datasync.Sink, error) {
		if p.Fail {
			return nil, fmt.Errorf("cannot connect with %s (password %s)", p.DSN, p.Password)
		}
		return collected, nil
	})})
}

const streamJob = `{
  "job": {
    "setting": {"speed": {"channel": ${channels}}},
    "content": [{
      "reader": {"name": "streamreader", "parameter": {
        "column": [{"incr": "0,1", "type": "long"}, {"value": "${greeting}", "type": "string"}],
        "sliceRecordCount": 5
      }},
      "writer": {"name": "streamwriter", "parameter": {"print": false}}
    }]
  }
}`

func TestParseAndRunADataXJob(t *testing.T) {
	j, err := job.Parse([]byte(streamJob), job.Options{Vars: map[string]string{"channels": "3", "greeting": `say "hi"`}})
	require.NoError(t, err)
	defer j.Close()
	require.Len(t, j.Tasks, 1)
	assert.Equal(t, "streamreader", j.Tasks[0].ReaderName)
	assert.Equal(t, 3, j.Setting.Speed.Channel)
	plans, err := j.Plan(context.Background())
	require.NoError(t, err)
	assert.Len(t, plans[0], 3, "channel is the parallelism")
	pipelines, err := j.Pipelines()
	require.NoError(t, err)
	res, err := pipelines[0].Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(15), res.RecordsWritten)
	schema, err := j.Tasks[0].Source.Schema(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "col2", schema[1].Name)
}

func TestVariables(t *testing.T) {
	t.Setenv("GREETING_FROM_ENV", "hello")
	withEnv := strings.Replace(streamJob, "${greeting}", "${GREETING_FROM_ENV} $${literal}", 1)
	j, err := job.Parse([]byte(withEnv), job.Options{Vars: map[string]string{"channels": "1"}})
	require.NoError(t, err)
	j.Close()

	_, err = job.Parse([]byte(streamJob), job.Options{})
	require.True(t, job.IsInvalid(err))
	assert.ErrorContains(t, err, "${channels} on line 3 has no value: give it with -p channels=...")
	assert.ErrorContains(t, err, "${greeting} on line 6 has no value")
}

func TestEveryMistakeIsReportedWithItsPath(t *testing.T) {
	_, err := job.Parse([]byte(`{
  "job": {
    "setting": {"sped": {"channel": 2}, "errorLimit": {"percentage": 5}},
    "content": [{
      "reader": {"name": "streamreder", "parameter": {}},
      "writer": {"name": "streamwriter", "parameter": {"print": "loud", "fieldDelimiter": ","}}
    }, {
      "reader": {"name": "streamreader", "parameter": {"column": [{"type": "long", "value": 1}], "sliceRecordcount": 1}},
      "writer": {"parameter": {}}
    }]
  }
}`), job.Options{})
	var invalid *job.InvalidError
	require.ErrorAs(t, err, &invalid)
	assert.Equal(t, `invalid job: 7 problems:
  - job.content[1].writer.name: missing required setting
  - job.setting.sped: unknown setting "sped"; did you mean "speed"?
  - job.setting.errorLimit.percentage: 5 is not between 0 and 1 (0.02 is 2%)
  - job.content[0].reader.name: no reader named "streamreder"; did you mean "streamreader"?
  - job.content[0].writer.parameter.print: want true or false, got a string
  - job.content[1].reader.parameter.sliceRecordcount: unknown setting "sliceRecordcount"; did you mean "sliceRecordCount"?
  - job.content[1].reader.parameter.sliceRecordCount: missing required setting`, err.Error())

	_, err = job.Parse([]byte(`{"job": {"content": [{"reader": {"name": "streamwriter"}, "writer": {"name": "streamreader"}}]}}`), job.Options{})
	assert.ErrorContains(t, err, `job.content[0].reader.name: no reader named "streamwriter"`)
	assert.ErrorContains(t, err, `job.content[0].writer.name: no writer named "streamreader"`)

	_, err = job.Parse([]byte(`{"job": {"setting": {"errorLimit": {"percentage": 5}}, "content": []}}`), job.Options{})
	assert.ErrorContains(t, err, "job.setting.errorLimit.percentage: 5 is not between 0 and 1")
	assert.ErrorContains(t, err, "job.content: needs at least one entry")

	_, err = job.Parse([]byte(`{"job": {"content": [`), job.Options{})
	assert.ErrorContains(t, err, "invalid JSON")

	_, err = job.Load(filepath.Join(t.TempDir(), "missing.json"), job.Options{})
	assert.True(t, job.IsInvalid(err))
	assert.ErrorContains(t, err, "no such file")
}

func TestSecretsNeverAppearInErrors(t *testing.T) {
	_, err := job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "streamreader", "parameter": {"column": [{"type": "long", "value": 1}], "sliceRecordCount": 1}},
		"writer": {"name": "secretive", "parameter": {"dsn": "postgres://app:s3cr%3At@db:5432/x", "password": "hunter22", "fail": true}}
	}]}}`), job.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot connect with postgres://app:******@db:5432/x (password ******)")
	assert.NotContains(t, err.Error(), "hunter22")
	assert.NotContains(t, err.Error(), "s3cr")

	j, err := job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "streamreader", "parameter": {"column": [{"type": "long", "value": 1}], "sliceRecordCount": 1}},
		"writer": {"name": "secretive", "parameter": {"dsn": "app:pa55word@tcp(db:3306)/x?x=1"}}
	}]}}`), job.Options{})
	require.NoError(t, err)
	defer j.Close()
	assert.Equal(t, "dsn app:******@tcp(db:3306)/x", j.Redact("dsn app:pa55word@tcp(db:3306)/x"))
}

func TestErrorLimitAndDirtyFile(t *testing.T) {
	dir := t.TempDir()
	dirty := filepath.Join(dir, "dirty.jsonl")
	jobText := func(limit string) string {
		return `{"job": {"setting": {"speed": {"channel": 1}, "errorLimit": ` + limit + `, "dirty": {"path": "` + dirty + `"}},
		"content": [{
			"reader": {"name": "streamreader", "parameter": {"column": [{"type": "long", "incr": "0,1"}], "sliceRecordCount": 10}},
			"writer": {"name": "secretive", "parameter": {"dsn": "x"}}
		}]}}`
	}
	run := func(limit string) (datasync.Result, error) {
		j, err := job.Parse([]byte(jobText(limit)), job.Options{})
		require.NoError(t, err)
		defer j.Close()
		ps, err := j.Pipelines()
		require.NoError(t, err)
		return ps[0].Run(context.Background())
	}
	j, err := job.Parse([]byte(jobText(`{"record": 5}`)), job.Options{})
	require.NoError(t, err)
	_, err = j.Plan(context.Background())
	require.NoError(t, err)
	require.NoError(t, j.Close())
	assert.NoFileExists(t, dirty, "planning a job creates no dirty-data file")

	res, err := run(`{"record": 5}`)
	require.NoError(t, err)
	assert.Equal(t, int64(5), res.RecordsDirty)
	f, err := os.Open(dirty)
	require.NoError(t, err)
	defer f.Close()
	lines := 0
	for sc := bufio.NewScanner(f); sc.Scan(); lines++ {
		assert.Contains(t, sc.Text(), `"reason":"odd"`)
	}
	assert.Equal(t, 5, lines)

	_, err = run(`{"record": 4}`)
	assert.ErrorIs(t, err, datasync.ErrDirtyLimit)
	_, err = run(`{"percentage": 0.6}`)
	assert.NoError(t, err, "50% dirty is under 60%")
	_, err = run(`{}`)
	assert.ErrorIs(t, err, datasync.ErrDirtyLimit, "no limit given: no dirty record allowed")
}
