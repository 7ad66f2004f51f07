package job_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/source"
)

type widgetParams struct {
	Count  int    `json:"count" datasync:"required"`
	APIKey string `json:"apiKey" datasync:"secret"`
}

// widgets returns a registry holding only the "widgets" job.
func widgets() *job.Registry {
	r := job.NewRegistry()
	r.Register("widgets", job.Connector{Source: job.SourceFunc(func(p *widgetParams) (datasync.Source, error) {
		if p.Count > 100 {
			return nil, &job.ParamError{Path: "count", Err: errors.New("at most 100 widgets")}
		}
		return source.FromRecords(datasync.Schema{{Name: "n", Kind: datasync.KindInt}}, make([]datasync.Record, 0)), nil
	})})
	return r
}

func TestRegisteredConnectorsDecodeTheirParametersStrictly(t *testing.T) {
	r := widgets()
	c, ok := r.Lookup("widgets")
	require.True(t, ok)
	assert.Nil(t, c.Sink)
	assert.Contains(t, r.Names(), "widgets")
	assert.Contains(t, r.SourceNames(), "widgets")
	assert.NotContains(t, r.SinkNames(), "widgets")

	params, err := c.Source.Decode(json.RawMessage(`{"count": "7", "apiKey": "k-123"}`))
	require.NoError(t, err)
	assert.Equal(t, &widgetParams{Count: 7, APIKey: "k-123"}, params)
	assert.Equal(t, []string{"k-123"}, job.Secrets(params))
	src, err := c.Source.Build(params)
	require.NoError(t, err)
	schema, err := src.Schema(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "n", schema[0].Name)

	_, err = c.Source.Decode(json.RawMessage(`{"cuont": 7}`))
	var pe *job.ParamError
	require.ErrorAs(t, err, &pe)
	assert.EqualError(t, err, `cuont: unknown setting "cuont"; did you mean "count"?`+"\ncount: missing required setting")

	params, err = c.Source.Decode(nil)
	require.Error(t, err, "no parameter object at all: the required count is missing")
	assert.Nil(t, params)

	params, _ = c.Source.Decode(json.RawMessage(`{"count": 500}`))
	_, err = c.Source.Build(params)
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "count", pe.Path)
}

func TestRegistriesAreIsolated(t *testing.T) {
	r := widgets()
	assert.Equal(t, []string{"widgets"}, r.Names(), "a registry holds only what was added to it")
	assert.Empty(t, job.NewRegistry().Names())
	_, ok := job.DefaultRegistry.Lookup("widgets")
	assert.False(t, ok, "registering in one registry does not touch the default")
	_, err := job.Parse([]byte(`{"job": {"content": [{"reader": {"name": "widgets", "parameter": {"count": 1}},
		"writer": {"name": "widgets"}}]}}`), job.Options{Registry: r})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `job.content[0].writer.name: no writer named "widgets"`)
}

func TestRegisterRefusesMistakes(t *testing.T) {
	r := widgets()
	assert.Panics(t, func() { r.Register("", job.Connector{}) })
	assert.Panics(t, func() { r.Register("nothing", job.Connector{}) })
	assert.Panics(t, func() {
		r.Register("widgets", job.Connector{Source: job.SourceFunc(func(*widgetParams) (datasync.Source, error) { return nil, nil })})
	})
}
