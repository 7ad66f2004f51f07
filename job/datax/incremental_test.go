package datax_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/job"
)

// TestIncrementalAndAtomicRefreshSettings maps incrementalColumn,
// incrementalLookback and atomicRefresh from a DataX job and from a
// DataWorks script onto the connectors.
func TestIncrementalAndAtomicRefreshSettings(t *testing.T) {
	datax := `{"job": {"content": [
		{"reader": {"name": "mysqlreader", "parameter": {"username": "u", "password": "p", "column": ["*"],
			"incrementalColumn": "updated_at", "incrementalLookback": "15m",
			"connection": [{"jdbcUrl": ["jdbc:mysql://h:3306/db"], "table": ["orders"]}]}},
		 "writer": {"name": "postgresqlwriter", "parameter": {"username": "u", "password": "p", "atomicRefresh": true,
			"connection": [{"jdbcUrl": "jdbc:postgresql://h/db", "table": ["orders"]}]}}},
		{"reader": {"name": "postgresqlreader", "parameter": {"username": "u", "password": "p", "column": ["*"],
			"incrementalColumn": "id", "incrementalLookback": "100",
			"connection": [{"jdbcUrl": ["jdbc:postgresql://h/db"], "table": ["t"]}]}},
		 "writer": {"name": "mysqlwriter", "parameter": {"username": "u", "password": "p", "atomicRefresh": true,
			"connection": [{"jdbcUrl": "jdbc:mysql://h:3306/db", "table": ["t"]}]}}}]}}`
	dataworks := `{"type": "job", "version": "2.0",
	 "steps": [
	   {"stepType": "postgresql", "category": "reader", "name": "pg",
	    "parameter": {"username": "u", "password": "p", "column": ["*"], "incrementalColumn": "day", "incrementalLookback": "48h",
	                  "connection": [{"jdbcUrl": ["jdbc:postgresql://h/db"], "table": ["t"]}]}},
	   {"stepType": "mysql", "category": "writer", "name": "my",
	    "parameter": {"username": "u", "password": "p", "atomicRefresh": true, "connection": [{"jdbcUrl": "jdbc:mysql://h:3306/db", "table": ["t"]}]}}],
	 "order": {"hops": [{"from": "pg", "to": "my"}]}}`
	for _, c := range []struct {
		name string
		text string
		want []datasync.Incremental
	}{
		{"datax", datax, []datasync.Incremental{{Column: "updated_at", Lookback: 15 * time.Minute}, {Column: "id", LookbackUnits: 100}}},
		{"dataworks", dataworks, []datasync.Incremental{{Column: "day", Lookback: 48 * time.Hour}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			j, err := job.Parse([]byte(c.text), job.Options{})
			require.NoError(t, err)
			defer j.Close()
			require.Len(t, j.Tasks, len(c.want))
			for i, want := range c.want {
				is, ok := j.Tasks[i].Source.(datasync.IncrementalSource)
				require.True(t, ok, "%T", j.Tasks[i].Source)
				assert.Equal(t, want, is.Incremental())
				assert.Contains(t, fmtConfig(j.Tasks[i].Sink), "AtomicRefresh:true")
			}
		})
	}

	_, err := job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "postgresqlreader", "parameter": {"username": "u", "column": ["*"], "incrementalLookback": "soon",
			"connection": [{"jdbcUrl": ["jdbc:postgresql://h/db"], "table": ["t"]}]}},
		"writer": {"name": "streamwriter", "parameter": {}}}]}}`), job.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "job.content[0].reader.parameter.incrementalLookback: set incrementalColumn too")
	_, err = job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "postgresqlreader", "parameter": {"username": "u", "column": ["*"], "incrementalColumn": "x", "incrementalLookback": "soon",
			"connection": [{"jdbcUrl": ["jdbc:postgresql://h/db"], "table": ["t"]}]}},
		"writer": {"name": "streamwriter", "parameter": {}}}]}}`), job.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `job.content[0].reader.parameter.incrementalLookback: "soon" is neither a duration`)
}

// fmtConfig shows a built connector with its settings.
func fmtConfig(v any) string { return fmt.Sprintf("%+v", v) }
