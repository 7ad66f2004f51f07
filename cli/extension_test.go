package cli

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExtraCommandsRunAndAreListed(t *testing.T) {
	var got []string
	var stdout, stderr bytes.Buffer
	c := &Command{Stdout: &stdout, Stderr: &stderr, Commands: map[string]Extension{
		"temporal": {Summary: "run jobs on Temporal", Run: func(_ context.Context, args []string, out, _ io.Writer) int {
			got = args
			_, _ = io.WriteString(out, "ran\n")
			return ExitDirty
		}},
		"version": {Summary: "cannot replace a built-in", Run: func(context.Context, []string, io.Writer, io.Writer) int {
			t.Error("an extension replaced a built-in command")
			return ExitFailed
		}},
	}}
	require.Equal(t, ExitDirty, c.Run(context.Background(), []string{"temporal", "worker", "--namespace", "x"}))
	assert.Equal(t, []string{"worker", "--namespace", "x"}, got)
	assert.Equal(t, "ran\n", stdout.String())

	require.Equal(t, ExitOK, c.Run(context.Background(), []string{"version"}))

	stdout.Reset()
	require.Equal(t, ExitOK, c.Run(context.Background(), []string{"help"}))
	assert.Contains(t, stdout.String(), "More commands:\n  temporal    run jobs on Temporal\n")

	require.Equal(t, ExitInvalid, c.Run(context.Background(), []string{"nope"}))
	assert.Contains(t, stderr.String(), "temporal    run jobs on Temporal")
}
