package file_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/file"
	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/source"
	"github.com/datasync-go/datasync/state"
)

// TestAResumedSingleFileJobDoesNotRewriteCommittedParts: a single-file job
// killed after three of its four splits committed their parts resumes (with
// its local state) by writing the fourth only; and after a failed run,
// whose Abort removed the parts, the resumed run writes them all again,
// whatever the local state says: the part on disk is the durable checkpoint.
func TestAResumedSingleFileJobDoesNotRewriteCommittedParts(t *testing.T) {
	ctx := context.Background()
	for _, killed := range []bool{true, false} {
		name := map[bool]string{true: "killed", false: "failed"}[killed]
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			store, err := state.Open(t.TempDir())
			require.NoError(t, err)
			var broken atomic.Bool
			broken.Store(!killed)
			src := source.Generate(idName, 400, func(i int64, r datasync.Record) error {
				if i == 350 && broken.Load() {
					return datasync.Permanent(errBroken)
				}
				r[0], r[1] = datasync.Int(i), datasync.String("x")
				return nil
			}, source.Splits(4))
			cfg := file.SinkConfig{Path: dir, FileName: "all.csv", SingleFile: true, WriteMode: "truncate",
				WriteOptions: text.WriteOptions{WriteHeader: true}}
			newPipeline := func(task *state.Task) *datasync.Pipeline {
				dst, err := file.NewSink(cfg)
				require.NoError(t, err)
				p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(1), datasync.WithCheckpointStore(task))
				require.NoError(t, err)
				return p
			}

			run, err := store.Begin("job", []byte("job"), state.BeginOptions{})
			require.NoError(t, err)
			p := newPipeline(run.Task(0))
			if killed {
				// As Run would, up to a kill after three splits: no Abort.
				splits, err := p.Plan(ctx)
				require.NoError(t, err)
				require.NoError(t, run.Task(0).SavePlan(ctx, splits))
				require.NoError(t, p.Prepare(ctx))
				for _, sp := range splits[:3] {
					_, err := p.RunSplit(ctx, sp, nil, nil)
					require.NoError(t, err)
				}
			} else {
				_, err := p.Run(ctx)
				require.ErrorIs(t, err, errBroken)
				require.NoError(t, run.Finish(err))
				done, _ := run.State().SplitsDone()
				require.Equal(t, 3, done, "the local state has three splits done")
			}
			require.NoError(t, run.Close())

			broken.Store(false)
			run, err = store.Begin("job", []byte("job"), state.BeginOptions{})
			require.NoError(t, err)
			defer run.Close()
			require.True(t, run.Resuming())
			res, err := newPipeline(run.Task(0)).Run(ctx)
			require.NoError(t, err)
			if killed {
				assert.Equal(t, int64(100), res.RecordsRead, "only the split the kill interrupted is read again")
			} else {
				assert.Equal(t, int64(400), res.RecordsRead, "the parts Abort removed are written again")
			}
			assert.Equal(t, seq(0, 400), readIDs(t, filepath.Join(dir, "all.csv")))
			content := readMaybeGzip(t, filepath.Join(dir, "all.csv"))
			assert.Equal(t, 1, strings.Count(content, "id,name\n"))
			assert.Equal(t, []string{"all.csv"}, listDir(t, dir))
		})
	}
}
