package file_test

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/file"
	"github.com/datasync-go/datasync/connector/internal/texttest"
	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/sink"
)

// TestACorruptCompressedFileFailsAtOnce checks that a truncated or damaged
// compressed file fails its split with an error naming the file, without
// the retries a transient failure gets.
func TestACorruptCompressedFileFailsAtOnce(t *testing.T) {
	for _, compress := range []string{"gzip", "zstd", "bzip2"} {
		for _, c := range texttest.Corrupt(texttest.CompressedLines(compress)) {
			t.Run(compress+" "+c.Name, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "orders.csv"+map[string]string{"gzip": ".gz", "zstd": ".zst", "bzip2": ".bz2"}[compress])
				writeFile(t, path, string(c.Data))
				src, err := file.NewSource(file.SourceConfig{Path: []string{path}, ReadOptions: text.ReadOptions{SkipHeader: true,
					Column: []text.ColumnSpec{text.ColumnNamed("id", datasync.KindInt), text.ColumnNamed("name", datasync.KindString)}}})
				require.NoError(t, err)
				// Damaged data may decode into rows that do not parse before the
				// decompressor notices: those are dirty, and tolerated here.
				_, err = run(t, src, sink.Collect(), datasync.WithDirtyPolicy(datasync.DirtyPolicy{MaxRecords: 1 << 20, Collector: datasync.DirtyToJSONLines(io.Discard)})) // with 3 retries
				require.Error(t, err)
				var se *datasync.SplitError
				require.ErrorAs(t, err, &se, "%v", err)
				assert.Equal(t, 1, se.Attempts, "not retried: %v", err)
				assert.Contains(t, err.Error(), path)
				assert.Contains(t, err.Error(), compress+" data is corrupt or truncated")
				assert.False(t, datasync.IsRetryable(err))
			})
		}
	}
}
