package oss_test

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/texttest"
	"github.com/datasync-go/datasync/connector/oss"
	"github.com/datasync-go/datasync/connector/oss/osstest"
	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/sink"
)

// TestACorruptCompressedObjectFailsAtOnce checks that a truncated or
// damaged compressed object fails its split with an error naming the
// object, without retries.
func TestACorruptCompressedObjectFailsAtOnce(t *testing.T) {
	for _, compress := range []string{"gzip", "zstd", "bzip2"} {
		for _, c := range texttest.Corrupt(texttest.CompressedLines(compress)) {
			t.Run(compress+" "+c.Name, func(t *testing.T) {
				srv := newServer(t)
				key := "in/orders.csv." + compress
				srv.PutObject(bkt, key, c.Data)
				cfg := sourceConfig(srv, false, key)
				cfg.ReadOptions = text.ReadOptions{SkipHeader: true, Column: []text.ColumnSpec{text.ColumnNamed("id", datasync.KindInt), text.ColumnNamed("name", datasync.KindString)}}
				src, err := oss.NewSource(cfg)
				require.NoError(t, err)
				// Damaged data may decode into rows that do not parse before the
				// decompressor notices: those are dirty, and tolerated here.
				_, err = run(t, src, sink.Collect(), datasync.WithDirtyPolicy(datasync.DirtyPolicy{MaxRecords: 1 << 20, Collector: datasync.DirtyToJSONLines(io.Discard)})) // with 3 retries
				require.Error(t, err)
				var se *datasync.SplitError
				require.ErrorAs(t, err, &se, "%v", err)
				assert.Equal(t, 1, se.Attempts, "not retried: %v", err)
				assert.Contains(t, err.Error(), key)
				assert.Contains(t, err.Error(), compress+" data is corrupt or truncated")
				// The server logs a GET when it has answered, which may be after
				// the reader gave up on the body.
				require.Eventually(t, func() bool { return srv.Count(osstest.OpGetObject) > 0 }, 5*time.Second, 5*time.Millisecond)
				assert.Equal(t, 1, srv.Count(osstest.OpGetObject), "read once")
			})
		}
	}
}

// TestACompressedObjectWhoseReadsFailIsRetried checks the other side: a
// connection that keeps failing under the decompressor is not mistaken for
// damaged data, and the split is retried.
func TestACompressedObjectWhoseReadsFailIsRetried(t *testing.T) {
	srv := newServer(t)
	srv.PutObject(bkt, "in/orders.csv.gz", texttest.CompressedLines("gzip"))
	// The first GET is cut mid-body; the reader's 5 reconnections get 503s,
	// so the split fails with a retryable error; its retry reads it all.
	srv.Inject(osstest.Fault{Op: osstest.OpGetObject, DropAfter: 2000})
	srv.Inject(osstest.Fault{Op: osstest.OpGetObject, Status: 503, Times: 6})
	cfg := sourceConfig(srv, false, "in/orders.csv.gz")
	cfg.ReadOptions = text.ReadOptions{SkipHeader: true, Column: []text.ColumnSpec{text.ColumnNamed("id", datasync.KindInt), text.ColumnNamed("name", datasync.KindString)}}
	src, err := oss.NewSource(cfg)
	require.NoError(t, err)
	got := sink.Collect()
	res, err := run(t, src, got)
	require.NoError(t, err)
	assert.Equal(t, 1, res.Retries)
	assert.Equal(t, texttest.CompressedLineCount, got.Len())
}
