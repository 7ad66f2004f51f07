//go:build unix

package job_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/job"
)

// TestDirtyFileIsPrivate checks that the dirty-data file, which holds row
// values, is readable by its owner only: when the job creates it, and when
// a rerun overwrites one that an older version left readable by all.
func TestDirtyFileIsPrivate(t *testing.T) {
	for _, tc := range []struct {
		name     string
		existing bool
	}{
		{"created by the job", false},
		{"left world-readable by an earlier run", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dirty := filepath.Join(t.TempDir(), "dirty.jsonl")
			if tc.existing {
				require.NoError(t, os.WriteFile(dirty, []byte("old rows\n"), 0o644))
				require.NoError(t, os.Chmod(dirty, 0o644)) // whatever the umask
			}
			j, err := job.Parse([]byte(`{"job": {"setting": {"speed": {"channel": 1}, "errorLimit": {"record": 5}, "dirty": {"path": "`+dirty+`"}},
			"content": [{
				"reader": {"name": "streamreader", "parameter": {"column": [{"type": "long", "incr": "0,1"}], "sliceRecordCount": 10}},
				"writer": {"name": "secretive", "parameter": {"dsn": "x"}}
			}]}}`), job.Options{})
			require.NoError(t, err)
			ps, err := j.Pipelines()
			require.NoError(t, err)
			res, err := ps[0].Run(context.Background())
			require.NoError(t, err)
			require.NoError(t, j.Close())
			require.Equal(t, int64(5), res.RecordsDirty)
			info, err := os.Stat(dirty)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "dirty records are row values")
			data, err := os.ReadFile(dirty)
			require.NoError(t, err)
			assert.NotContains(t, string(data), "old rows", "a rerun replaces the file")
		})
	}
}
