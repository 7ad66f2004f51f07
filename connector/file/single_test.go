package file_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/file"
	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/source"
)

// TestAFailedSingleFileJobLeavesNoParts checks that a single-file job that
// fails, or is cancelled, after some of its splits completed removes their
// parts (the hidden .NAME.parts directory) and leaves the existing file as
// it was.
func TestAFailedSingleFileJobLeavesNoParts(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cancel  bool
		wantErr error
	}{
		{"a split fails", false, errBroken},
		{"the job is cancelled", true, context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "all.csv"), "id,name\n-1,old\n")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			// Four splits of 100 rows, one at a time: the last one stops
			// the job once the first three are committed.
			src := source.Generate(idName, 400, func(i int64, r datasync.Record) error {
				if i == 350 {
					if tc.cancel {
						cancel()
					} else {
						return datasync.Permanent(errBroken)
					}
				}
				r[0] = datasync.Int(i)
				r[1] = datasync.String("x")
				return nil
			}, source.Splits(4))
			dst, err := file.NewSink(file.SinkConfig{Path: dir, FileName: "all.csv", SingleFile: true, WriteMode: "append",
				WriteOptions: text.WriteOptions{WriteHeader: true}})
			require.NoError(t, err)
			p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(1), datasync.WithRetry(3, time.Millisecond))
			require.NoError(t, err)
			res, err := p.Run(ctx)
			require.ErrorIs(t, err, tc.wantErr)
			require.Equal(t, 3, countDone(res), "three splits were committed before the failure")
			assert.Equal(t, []string{"all.csv"}, listDir(t, dir), "no parts directory, no temporary file")
			data, err := os.ReadFile(filepath.Join(dir, "all.csv"))
			require.NoError(t, err)
			assert.Equal(t, "id,name\n-1,old\n", string(data), "the file is as it was")
		})
	}
}

var errBroken = errors.New("the source broke")

func countDone(res datasync.Result) int {
	n := 0
	for _, s := range res.Splits {
		if s.Err == nil {
			n++
		}
	}
	return n
}
