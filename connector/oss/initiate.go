package oss

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/datasync-go/datasync"
)

const (
	// initiateTimeout bounds an InitiateMultipartUpload, which runs on a
	// context of its own (see start).
	initiateTimeout = 30 * time.Second
	// initiateGrace is how long an InitiateMultipartUpload in flight may
	// still take once the job is cancelled: enough to learn the ID of the
	// upload OSS is creating, so that it can be aborted, without holding a
	// cancelled job up for long.
	initiateGrace = 5 * time.Second
	// sweepTimeout bounds the search for an upload whose initiate failed.
	sweepTimeout = 10 * time.Second
	// sweepSlack widens the window of sweep, for the precision of OSS's
	// Initiated times.
	sweepSlack = time.Second
)

// start starts the object's multipart upload, so that whatever the moment
// the job is cancelled or the connection fails, OSS holds no upload of this
// writer that Close does not abort:
//
//   - a writer whose context has ended sends nothing;
//   - the request runs on a context detached from the writer's, so that
//     cancelling the job while OSS creates the upload does not leave one
//     whose ID the writer never learns: once a cancelled writer has the ID,
//     it returns its context's error and Close aborts the upload (the
//     request gets initiateGrace to finish after the cancellation);
//   - a request that fails with its outcome unknown (a cut connection, a
//     timeout, a 5xx: OSS may have created the upload) is followed by a
//     sweep of the uploads OSS started for the key since it was sent.
func (o *objectOut) start() error {
	w := o.w
	ctx := w.ctx
	if err := ctx.Err(); err != nil {
		return err
	}
	ictx, cancel := context.WithTimeout(context.WithoutCancel(ctx), initiateTimeout)
	defer cancel()
	done := make(chan struct{})
	defer close(done)
	go func() { // cancel the request initiateGrace after ctx ends
		select {
		case <-ctx.Done():
			t := time.NewTimer(initiateGrace)
			defer t.Stop()
			select {
			case <-t.C:
				cancel()
			case <-done:
			}
		case <-done:
		}
	}()
	sent := time.Now()
	id, err := w.s.st.initiate(ictx, o.key, w.noOverwrite())
	if err == nil {
		o.uploadID = id
		return ctx.Err() // a cancelled writer's Close aborts it
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		err = datasync.Retryable(fmt.Errorf("oss: bucket %q: start the multipart upload of %q: no answer: %w", w.s.st.bucketName(), o.key, err))
	}
	// A refusal (a 4xx) created nothing; what may be cured by a retry may
	// also have been done.
	if datasync.IsRetryable(err) {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sweepTimeout)
		defer cancel()
		if serr := w.sweep(sctx, o.key, sent); serr != nil {
			err = fmt.Errorf("%w (and an upload OSS may have started for it could not be aborted: %v)", err, serr)
		}
	}
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	return err
}

// sweep aborts the multipart uploads of key that OSS started since sent
// (local time), the moment an initiate whose outcome is unknown was sent.
// Keys are the writer's own (one per split and object), so another upload
// of the same key is another attempt at the same split: one started before
// sent is left alone, since it may still be running. The window is
// measured on OSS's clock (the Date of the listing, less the local time
// since sent), so the two clocks need not agree.
func (w *writer) sweep(ctx context.Context, key string, sent time.Time) error {
	keyMarker, idMarker := "", ""
	var since time.Time
	for {
		page, err := w.s.st.listUploads(ctx, key, keyMarker, idMarker)
		if err != nil {
			return err
		}
		if since.IsZero() {
			now := page.ServerTime
			if now.IsZero() {
				now = time.Now()
			}
			since = now.Add(-time.Since(sent) - sweepSlack)
		}
		for _, u := range page.Uploads {
			if u.Key != key || u.Initiated.Before(since) {
				continue
			}
			if err := retry(ctx, func() error { return w.s.st.abort(ctx, u.Key, u.UploadID) }); err != nil {
				return err
			}
		}
		if !page.Truncated {
			return nil
		}
		keyMarker, idMarker = page.NextKeyMarker, page.NextIDMarker
	}
}
