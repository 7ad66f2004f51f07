package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigNeverShowsItsToken(t *testing.T) {
	const token = "tok-S3cret-value"
	c := Config{Token: token, Dir: "/jobs"}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("ui", "config", c)
	js, err := json.Marshal(c)
	require.NoError(t, err)
	for _, shown := range []string{c.String(), fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), logged.String(), string(js)} {
		assert.NotContains(t, shown, token)
		assert.Contains(t, shown, "/jobs")
	}
}
