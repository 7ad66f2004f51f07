package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func selectedNames(t *testing.T, only ...string) []string {
	t.Helper()
	got, err := selectScenarios(scenarios, only)
	require.NoError(t, err)
	return names(got)
}

func TestSelectScenarios(t *testing.T) {
	all := names(scenarios)
	assert.Equal(t, []string{"memory->discard", "pg->pg", "mysql->pg", "pg->mysql", "mysql->mysql", "pg->csv", "csv->pg", "mysql->csv", "csv->mysql", "csv->redis"}, all)
	assert.Equal(t, all, selectedNames(t))
	assert.Equal(t, []string{"pg->pg"}, selectedNames(t, "pg->pg"))
	assert.Equal(t, []string{"pg->pg"}, selectedNames(t, "PG-PG"), "- for ->, any case")
	assert.Equal(t, []string{"memory->discard"}, selectedNames(t, "memory"))
	assert.Equal(t, []string{"pg->csv", "csv->pg"}, selectedNames(t, "file->pg", "pg->file"), "file is csv; catalog order")
	assert.Equal(t, []string{"pg->pg", "pg->mysql", "pg->csv"}, selectedNames(t, "pg->*"))
	assert.Equal(t, []string{"pg->csv", "mysql->csv"}, selectedNames(t, "*->csv", "pg->csv"), "each once")
	assert.Equal(t, []string{"mysql->pg", "mysql->mysql", "mysql->csv"}, selectedNames(t, "mysql-*"))
}

func TestSelectScenariosErrors(t *testing.T) {
	_, err := selectScenarios(scenarios, []string{"pg->oracle"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "matches no scenario")
	assert.Contains(t, err.Error(), "mysql->mysql", "the error lists the valid names")
	_, err = selectScenarios(scenarios, []string{"pg->["})
	assert.Error(t, err)
}

// Every scenario the issue names has its native tools, except memory ->
// discard, which has none.
func TestEveryScenarioHasNatives(t *testing.T) {
	for _, s := range scenarios {
		if s.From == memoryEnd {
			assert.Empty(t, s.Natives)
			continue
		}
		assert.NotEmpty(t, s.Natives, s.Name)
		for _, n := range s.Natives {
			assert.NotEmpty(t, n.Tools, n.Name)
			for _, tool := range n.Tools {
				assert.Contains(t, toolNames, tool, "%s needs an unknown tool", n.Name)
			}
		}
	}
	assert.Contains(t, libraryScenarios, "memory->discard")
}
