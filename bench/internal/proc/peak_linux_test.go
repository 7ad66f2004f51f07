package proc

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStatusHWM(t *testing.T) {
	assert.Positive(t, selfHWM())
	p := filepath.Join(t.TempDir(), "status")
	require.NoError(t, os.WriteFile(p, []byte("Name:\tpsql\nVmPeak:\t  99 kB\nVmHWM:\t   12892 kB\nVmRSS:\t 1 kB\n"), 0o644))
	assert.Equal(t, int64(12892*1024), statusHWM(p))
	require.NoError(t, os.WriteFile(p, []byte("State:\tZ (zombie)\n"), 0o644))
	assert.Zero(t, statusHWM(p))
}
