package job_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/job"
)

// hangingSink is a test connector whose writes hang until their context
// ends, as writes on a stalled connection do.
type hangingSink struct{}

func (hangingSink) Prepare(context.Context, datasync.Schema) error { return nil }
func (hangingSink) Open(context.Context, datasync.Split) (datasync.Writer, error) {
	return hangingWriter{}, nil
}

type hangingWriter struct{}

func (hangingWriter) Write(ctx context.Context, _ *datasync.Batch) error {
	<-ctx.Done()
	return ctx.Err()
}
func (hangingWriter) Flush(context.Context) error { return nil }
func (hangingWriter) Close() error                { return nil }

func init() {
	job.DefaultRegistry.Register("hangingwriter", job.Connector{Sink: job.SinkFunc(func(*struct{}) (datasync.Sink, error) {
		return hangingSink{}, nil
	})})
}

func stallJob(setting string) string {
	return `{"job": {"setting": {` + setting + `},
		"content": [{
			"reader": {"name": "streamreader", "parameter": {"column": [{"type": "long", "incr": "0,1"}], "sliceRecordCount": 10}},
			"writer": {"name": "hangingwriter", "parameter": {}}
		}]}}`
}

func TestStallTimeoutSetting(t *testing.T) {
	j, err := job.Parse([]byte(stallJob(`"stallTimeout": "100ms", "retry": {"attempts": 0}`)), job.Options{})
	require.NoError(t, err)
	defer j.Close()
	assert.Equal(t, "100ms", j.Setting.StallTimeout)
	ps, err := j.Pipelines()
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = ps[0].Run(ctx)
	require.ErrorIs(t, err, datasync.ErrStalled, "the job's own timeout, not the test's, ends the stall")
}

func TestStallTimeoutSettingIsValidated(t *testing.T) {
	for setting, want := range map[string]string{
		`"stallTimeout": "soon"`: `job.setting.stallTimeout: "soon" is not a duration such as "2m"`,
		`"stallTimeout": "-1s"`:  `job.setting.stallTimeout: "-1s" is not a duration`,
		`"stallTimeout": 120`:    `job.setting.stallTimeout: "120" is not a duration`,
		`"stalltimeout": "2m"`:   `job.setting.stalltimeout: unknown setting "stalltimeout"; did you mean "stallTimeout"?`,
	} {
		_, err := job.Parse([]byte(stallJob(setting)), job.Options{})
		assert.ErrorContains(t, err, want, setting)
	}
	for _, ok := range []string{`"stallTimeout": "0"`, `"stallTimeout": "90s"`, `"stallTimeout": ""`} {
		j, err := job.Parse([]byte(stallJob(ok)), job.Options{})
		require.NoError(t, err, ok)
		_, err = j.Pipelines()
		require.NoError(t, err, ok)
		require.NoError(t, j.Close())
	}
}
