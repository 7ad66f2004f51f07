package connector_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector"
	"github.com/datasync-go/datasync/source"
)

type widgetParams struct {
	Count  int    `json:"count" datasync:"required"`
	APIKey string `json:"apiKey" datasync:"secret"`
}

func init() {
	connector.Register("widgets", connector.Connector{Source: connector.SourceFunc(func(p *widgetParams) (datasync.Source, error) {
		if p.Count > 100 {
			return nil, &connector.ParamError{Path: "count", Err: errors.New("at most 100 widgets")}
		}
		return source.FromRecords(datasync.Schema{{Name: "n", Kind: datasync.KindInt}}, make([]datasync.Record, 0)), nil
	})})
}

func TestRegisteredConnectorsDecodeTheirParametersStrictly(t *testing.T) {
	c, ok := connector.Lookup("widgets")
	require.True(t, ok)
	assert.Nil(t, c.Sink)
	assert.Contains(t, connector.Names(), "widgets")
	assert.Contains(t, connector.SourceNames(), "widgets")
	assert.NotContains(t, connector.SinkNames(), "widgets")

	params, err := c.Source.Decode(json.RawMessage(`{"count": "7", "apiKey": "k-123"}`))
	require.NoError(t, err)
	assert.Equal(t, &widgetParams{Count: 7, APIKey: "k-123"}, params)
	assert.Equal(t, []string{"k-123"}, connector.Secrets(params))
	src, err := c.Source.Build(params)
	require.NoError(t, err)
	schema, err := src.Schema(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "n", schema[0].Name)

	_, err = c.Source.Decode(json.RawMessage(`{"cuont": 7}`))
	var pe *connector.ParamError
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

func TestRegisterRefusesMistakes(t *testing.T) {
	assert.Panics(t, func() { connector.Register("", connector.Connector{}) })
	assert.Panics(t, func() { connector.Register("nothing", connector.Connector{}) })
	assert.Panics(t, func() {
		connector.Register("widgets", connector.Connector{Source: connector.SourceFunc(func(*widgetParams) (datasync.Source, error) { return nil, nil })})
	})
}
