package oss_test

import (
	"context"
	"testing"
	"time"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/oss"
	"github.com/datasync-go/datasync/connector/oss/osstest"
	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/source"
)

// uploadsInProgress lists the bucket's multipart uploads through the SDK,
// as a user looking for orphans would.
func uploadsInProgress(t *testing.T, srv *osstest.Server) []string {
	t.Helper()
	b, err := srv.Bucket(bkt)
	require.NoError(t, err)
	res, err := b.ListMultipartUploads(alioss.MaxUploads(1000))
	require.NoError(t, err)
	var ups []string
	for _, u := range res.Uploads {
		ups = append(ups, u.Key+" "+u.UploadID)
	}
	return ups
}

// cancelAndWait cancels the job from inside the server, then gives a
// client that gives up on its cancelled context the time to hang up (it
// does so at once) before the server goes on; a client that waits for the
// answer gets it after the pause.
func cancelAndWait(cancel context.CancelFunc) func(context.Context, osstest.Request) {
	return func(ctx context.Context, _ osstest.Request) {
		cancel()
		select {
		case <-ctx.Done():
		case <-time.After(300 * time.Millisecond):
		}
	}
}

// TestAnInterruptedInitiateLeavesNoUpload interrupts the job at every
// moment of its InitiateMultipartUpload: the job may fail or be retried, but
// no multipart upload of its own is left in progress, and the uploads of
// other writers (another key, or the same key started long before) are
// left alone.
func TestAnInterruptedInitiateLeavesNoUpload(t *testing.T) {
	const key = "out/t_records-0.csv"
	for _, tc := range []struct {
		name      string
		interrupt func(srv *osstest.Server, cancel context.CancelFunc)
		cancelled bool // the job is cancelled; otherwise its retry succeeds
	}{
		{"cancelled while the server is creating the upload", func(srv *osstest.Server, cancel context.CancelFunc) {
			srv.AddHook(osstest.Hook{Op: osstest.OpInitiateMultipartUpload, Stage: osstest.BeforeOp, Func: cancelAndWait(cancel)})
		}, true},
		{"cancelled after the upload was created, before the answer", func(srv *osstest.Server, cancel context.CancelFunc) {
			srv.AddHook(osstest.Hook{Op: osstest.OpInitiateMultipartUpload, Stage: osstest.AfterOp, Func: cancelAndWait(cancel)})
		}, true},
		{"the connection is cut after the upload was created", func(srv *osstest.Server, _ context.CancelFunc) {
			srv.Inject(osstest.Fault{Op: osstest.OpInitiateMultipartUpload, AfterOp: true})
		}, false},
		{"the server fails after creating the upload", func(srv *osstest.Server, _ context.CancelFunc) {
			srv.Inject(osstest.Fault{Op: osstest.OpInitiateMultipartUpload, AfterOp: true, Status: 503})
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t)
			others := []string{
				key + " " + srv.AddUpload(bkt, key, time.Now().Add(-time.Hour)),
				key + ".bak " + srv.AddUpload(bkt, key+".bak", time.Now()),
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			tc.interrupt(srv, cancel)
			created := make(chan struct{}, 10)
			srv.AddHook(osstest.Hook{Op: osstest.OpInitiateMultipartUpload, Stage: osstest.AfterOp, Func: func(context.Context, osstest.Request) {
				created <- struct{}{}
			}})
			cfg := sinkConfig(srv, false, "out/t")
			cfg.PartSize = oss.MinPartSize
			cfg.WriteOptions = text.WriteOptions{WriteHeader: true}
			dst, err := oss.NewSink(cfg)
			require.NoError(t, err)
			p, err := datasync.NewPipeline(source.FromRecords(idName, idNameRows(0, 20_000), source.Splits(1)), dst,
				datasync.WithRetry(3, time.Millisecond))
			require.NoError(t, err)
			_, err = p.Run(ctx)
			if tc.cancelled {
				require.ErrorIs(t, err, context.Canceled)
				assert.Empty(t, srv.Keys(bkt, ""))
			} else {
				require.NoError(t, err)
				assert.Equal(t, seq(0, 20_000), readIDs(t, srv, key))
			}
			select { // a client that hung up does not wait for the server
			case <-created:
			case <-time.After(10 * time.Second):
				t.Fatal("the server never created the upload")
			}
			assert.ElementsMatch(t, others, uploadsInProgress(t, srv), "no orphan; other writers' uploads untouched")
		})
	}
}

// TestACancelledWriterSendsNoInitiate checks the moment before the request
// is sent: a writer whose context has ended starts no upload at all.
func TestACancelledWriterSendsNoInitiate(t *testing.T) {
	srv := newServer(t)
	cfg := sinkConfig(srv, false, "out/t")
	cfg.PartSize = oss.MinPartSize
	dst, err := oss.NewSink(cfg)
	require.NoError(t, err)
	require.NoError(t, dst.Prepare(context.Background(), idName))
	w, err := dst.Open(context.Background(), datasync.Split{ID: "records-0"})
	require.NoError(t, err)
	b := datasync.NewBatch(idName, 10_000, 8<<20)
	for _, r := range idNameRows(0, 10_000) {
		b.AppendRecord(r)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = w.Write(ctx, b)
	require.ErrorIs(t, err, context.Canceled)
	require.NoError(t, w.Close())
	assert.Zero(t, srv.Count(osstest.OpInitiateMultipartUpload))
	assert.Empty(t, uploadsInProgress(t, srv))
}
