package main

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseConfigDefaults(t *testing.T) {
	c, err := parseConfig(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, int64(1_000_000), c.Rows)
	assert.Equal(t, 3, c.Runs)
	assert.Equal(t, []int{1, 4}, c.Parallelism)
	assert.Empty(t, c.Only)
	assert.Equal(t, "datasync_bench_target", c.TargetDatabase())
	assert.Equal(t, 30*time.Minute, c.Timeout)
}

func TestParseConfigFlags(t *testing.T) {
	c, err := parseConfig([]string{"-rows", "20000", "-runs", "5", "-only", "pg->pg, mysql->*", "-parallelism", "2", "-json"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, int64(20000), c.Rows)
	assert.Equal(t, 5, c.Runs)
	assert.Equal(t, []string{"pg->pg", "mysql->*"}, c.Only)
	assert.Equal(t, []int{2}, c.Parallelism)
	assert.True(t, c.JSON)
}

func TestParseConfigRejects(t *testing.T) {
	for _, args := range [][]string{
		{"-rows", "0"},
		{"-runs", "0"},
		{"-parallelism", "1,x"},
		{"-parallelism", "0"},
		{"-db", "Bench"},
		{"-db", "x; DROP DATABASE y"},
		{"-timeout", "0s"},
		{"stray"},
	} {
		_, err := parseConfig(args, io.Discard)
		assert.Error(t, err, "%q", args)
	}
}
