package textcodec

import (
	"bytes"
	"context"
	"errors"
	"io"
	"syscall"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/texttest"
	"github.com/datasync-go/datasync/connector/text"
)

// readUntilError reads a whole file and returns the error that stopped it
// (nil at its end), and the rows read before.
func readUntilError(t *testing.T, rs *ReadSpec, data []byte, name string) (int, error) {
	t.Helper()
	schema, err := rs.Resolve(nil)
	require.NoError(t, err)
	r, err := rs.OpenReader(context.Background(), memOpener(data), SplitSpec{Name: name, Size: int64(len(data))}, nil, ReaderOptions{})
	if err != nil {
		return 0, err
	}
	defer r.Close()
	rows := 0
	b := datasync.NewBatch(schema, 100, 1<<20)
	for {
		b.Reset()
		err := r.Read(context.Background(), b)
		rows += b.Len()
		var re *datasync.RowErrors
		switch {
		case err == nil, errors.As(err, &re):
		case errors.Is(err, io.EOF):
			return rows, nil
		default:
			return rows, err
		}
	}
}

func TestCorruptCompressedInputIsNamedAndNotRetried(t *testing.T) {
	for _, compress := range []string{"gzip", "zstd", "bzip2"} {
		good := texttest.CompressedLines(compress)
		for _, c := range texttest.Corrupt(good) {
			t.Run(compress+" "+c.Name, func(t *testing.T) {
				rs := compileRead(t, text.ReadOptions{SkipHeader: true, Column: []text.ColumnSpec{colAt(0, "string"), colAt(1, "string")}})
				_, err := readUntilError(t, rs, c.Data, "in/data.csv.x")
				require.Error(t, err)
				var ce *text.CorruptError
				require.ErrorAs(t, err, &ce, "%v", err)
				assert.Equal(t, text.Compression(compress), ce.Compression)
				assert.Contains(t, err.Error(), "in/data.csv.x")
				assert.Contains(t, err.Error(), compress+" data is corrupt or truncated")
				assert.Contains(t, err.Error(), "compressed bytes read")
				assert.False(t, datasync.IsRetryable(err), "reading it again fails the same way")
				assert.Positive(t, ce.CompressedOffset)
				assert.LessOrEqual(t, ce.CompressedOffset, int64(len(c.Data)))
			})
		}
		rs := compileRead(t, text.ReadOptions{SkipHeader: true, Column: []text.ColumnSpec{colAt(0, "string"), colAt(1, "string")}})
		rows, err := readUntilError(t, rs, good, "good")
		require.NoError(t, err, compress)
		assert.Equal(t, texttest.CompressedLineCount, rows, compress)
	}
}

// cutOpener serves a file whose reads fail with err after n bytes, as a
// dropped connection does.
type cutOpener struct {
	data []byte
	n    int
	err  error
}

func (c cutOpener) OpenAt(_ context.Context, off int64) (io.ReadCloser, error) {
	return io.NopCloser(io.MultiReader(bytes.NewReader(c.data[off:c.n]), iotest.ErrReader(c.err))), nil
}

func TestAFailedReadUnderADecompressorKeepsItsError(t *testing.T) {
	for _, compress := range []string{"gzip", "zstd", "bzip2"} {
		data := texttest.CompressedLines(compress)
		rs := compileRead(t, text.ReadOptions{SkipHeader: true, Column: []text.ColumnSpec{colAt(0, "string"), colAt(1, "string")}})
		schema, err := rs.Resolve(nil)
		require.NoError(t, err)
		r, err := rs.OpenReader(context.Background(), cutOpener{data, len(data) / 2, syscall.ECONNRESET}, SplitSpec{Name: "f", Size: int64(len(data))}, nil, ReaderOptions{})
		require.NoError(t, err)
		b := datasync.NewBatch(schema, 100, 1<<20)
		for err == nil {
			b.Reset()
			err = r.Read(context.Background(), b)
		}
		r.Close()
		assert.ErrorIs(t, err, syscall.ECONNRESET, compress)
		var ce *text.CorruptError
		assert.False(t, errors.As(err, &ce), "%s: %v", compress, err)
		assert.True(t, datasync.IsRetryable(err), "%s: a connection failure is worth retrying", compress)
	}
}
