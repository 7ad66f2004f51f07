package job

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// progressJobOf returns the progressJob defaultProgressJob gives writer.
func progressJobOf(t *testing.T, writer string, readers ...string) string {
	t.Helper()
	raws := make([]json.RawMessage, len(readers))
	for i, r := range readers {
		raws[i] = json.RawMessage(r)
	}
	var p struct {
		ProgressJob string `json:"progressJob"`
	}
	require.NoError(t, json.Unmarshal(defaultProgressJob(json.RawMessage(writer), raws...), &p))
	return p.ProgressJob
}

// Two jobs writing one table with one progress table get identities of
// their own, so that one's interrupted run cannot make the other skip its
// splits; one job gets the same identity every run, whatever its secrets.
func TestProgressJobDefaultsToTheTasksIdentity(t *testing.T) {
	const writer = `{"progressTable": "default", "password": "w1", "connection": [{"table": ["orders"], "jdbcUrl": "jdbc:postgresql://h/db"}]}`
	const readerA = `{"password": "r1", "connection": [{"table": ["orders_a"], "jdbcUrl": ["jdbc:mysql://h/a"]}]}`
	const readerB = `{"password": "r1", "connection": [{"table": ["orders_b"], "jdbcUrl": ["jdbc:mysql://h/a"]}]}`

	a := progressJobOf(t, writer, readerA)
	assert.Regexp(t, `^task:[0-9a-f]{24}$`, a)
	assert.Equal(t, a, progressJobOf(t, writer, readerA), "stable from run to run")
	assert.NotEqual(t, a, progressJobOf(t, writer, readerB), "another source is another job")
	assert.Equal(t, a, progressJobOf(t,
		`{"progressTable": "default", "password": "other", "connection": [{"table": ["orders"], "jdbcUrl": "jdbc:postgresql://h/db"}]}`,
		`{"password": "changed", "connection": [{"table": ["orders_a"], "jdbcUrl": ["jdbc:mysql://h/a"]}]}`),
		"secrets are not part of the identity")
	assert.Equal(t, progressJobOf(t, `{"progressTable": "default", "connection": [{"jdbcUrl": "postgres://u:first@h/db"}]}`),
		progressJobOf(t, `{"progressTable": "default", "connection": [{"jdbcUrl": "postgres://u:second@h/db"}]}`),
		"nor are passwords inside connection strings")

	// Given, or without a progress table, nothing changes.
	for _, w := range []string{
		`{"progressTable": "default", "progressJob": "mine"}`,
		`{"connection": [{"table": ["orders"]}]}`,
		`{"progressTable": ""}`,
		`not json`,
	} {
		assert.Equal(t, w, string(defaultProgressJob(json.RawMessage(w), json.RawMessage(readerA))), w)
	}
}
