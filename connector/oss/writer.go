package oss

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/textcodec"
	"github.com/datasync-go/datasync/connector/text"
)

// writer writes the objects of one split as multipart uploads; Commit
// completes them, Close without Commit aborts them. A retried split gets a
// new writer, which starts its objects over.
type writer struct {
	s     *Sink
	split datasync.Split
	sw    *textcodec.StreamWriter
	objs  splitObjects
	ctx   context.Context // of the running Write, Flush or Commit, for the requests they make
	// bg is the context of the parts uploaded in the background, which
	// outlive the Write that started them; Close cancels it.
	bg     context.Context
	cancel context.CancelFunc

	committed bool
	closed    bool
	// random is the random part of the keys with NameRandom.
	random string
}

// splitObjects are the objects a writer creates: the textcodec.Outputs of
// its stream writer.
type splitObjects struct {
	w          *writer
	outs       []*objectOut
	cur        *objectOut
	committing bool
	published  []string // keys a failed commit already completed
}

// Open starts object n of the split.
func (so *splitObjects) Open(n int) (io.Writer, error) {
	w := so.w
	key, err := w.key(n)
	if err != nil {
		return nil, err
	}
	so.cur = &objectOut{w: w, key: key}
	so.outs = append(so.outs, so.cur)
	return so.cur, nil
}

// Close ends the current object: a rolled one sends its last part now, so
// that its memory is freed; the split's last one, when small, is kept for a
// single PutObject at commit.
func (so *splitObjects) Close() error {
	o := so.cur
	so.cur = nil
	if o == nil {
		return nil
	}
	if o.uploadID == "" && so.committing {
		return nil
	}
	if len(o.buf) > 0 || o.uploadID == "" {
		if err := o.sendPart(); err != nil {
			return err
		}
	}
	if err := o.wait(); err != nil {
		return err
	}
	o.buf, o.spare = nil, nil
	return nil
}

// key returns the key of object n: <Object>_<split>[_<n+1>]<suffix>, with
// a random suffix in append mode when that key is taken.
func (w *writer) key(n int) (string, error) {
	s := w.s
	sep := "_"
	if strings.HasSuffix(s.cfg.Object, "/") {
		sep = "" // a "directory": dir/<split>.csv
	}
	base := s.cfg.Object + sep + textcodec.SafeName(w.split.ID)
	if s.cfg.Naming == NameRandom {
		if w.random == "" {
			var b [16]byte
			rand.Read(b[:])
			w.random = hex.EncodeToString(b[:])
		}
		base = s.cfg.Object + "__" + w.random
	}
	if s.cfg.MaxFileBytes > 0 {
		base += "_" + strconv.Itoa(n+1)
	}
	key := base + s.suffix
	if s.mode != text.WriteAppend {
		return key, nil
	}
	for range 10 {
		_, exists, err := s.st.head(w.ctx, key)
		if err != nil {
			return "", err
		}
		if !exists {
			return key, nil
		}
		key = base + "_" + randomHex(4) + s.suffix
	}
	return "", fmt.Errorf("oss: no free key for %q", base+s.suffix)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// noOverwrite reports whether completing an object must not replace one.
func (w *writer) noOverwrite() bool { return w.s.mode != text.WriteTruncate }

// Write encodes b; rows the format or encoding cannot hold come back as a
// *datasync.RowErrors. Full parts are uploaded as they fill.
func (w *writer) Write(ctx context.Context, b *datasync.Batch) error {
	if w.committed || w.closed {
		return errors.New("oss: write after commit or close")
	}
	w.ctx = ctx
	return w.sw.Write(b)
}

// Flush hands the buffered bytes to the upload. Nothing is visible before
// Commit.
func (w *writer) Flush(ctx context.Context) error {
	w.ctx = ctx
	return w.sw.Flush()
}

// Commit uploads what is left and completes every object of the split
// (a small one is a single PutObject), checking the CRC-64 OSS reports
// against the bytes written.
func (w *writer) Commit(ctx context.Context) error {
	if w.committed {
		return nil
	}
	w.ctx = ctx
	w.objs.committing = true
	if err := w.sw.Close(); err != nil {
		return err
	}
	st := w.s.st
	for _, o := range w.objs.outs {
		if o.uploadID == "" {
			if err := st.put(ctx, o.key, o.buf, w.noOverwrite()); err != nil {
				return err
			}
		} else {
			crc, ok, err := st.complete(ctx, o.key, o.uploadID, o.parts, w.noOverwrite())
			if err != nil {
				return err
			}
			o.completed = true
			if ok && crc != o.crc {
				w.objs.published = append(w.objs.published, o.key)
				return datasync.Retryable(fmt.Errorf("oss: %q: CRC-64 mismatch after upload: wrote %d, OSS has %d", o.key, o.crc, crc))
			}
		}
		o.completed = true
		o.buf = nil
		w.objs.published = append(w.objs.published, o.key)
	}
	w.committed = true
	return nil
}

// cleanupTimeout bounds the aborts and deletes of Close.
const cleanupTimeout = 30 * time.Second

// Close releases the writer. Without a successful Commit it aborts every
// multipart upload of the split, so no part is left behind, and deletes the
// objects a failed commit had already completed.
func (w *writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.committed {
		w.cancel()
		return nil
	}
	w.cancel() // stop the parts in flight
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	var errs []error
	for _, o := range w.objs.outs {
		o.wait() // its error no longer matters
		if o.uploadID != "" && !o.completed {
			if err := retry(ctx, func() error { return w.s.st.abort(ctx, o.key, o.uploadID) }); err != nil {
				errs = append(errs, err)
			}
		}
		o.buf, o.spare = nil, nil
	}
	for len(w.objs.published) > 0 {
		n := min(len(w.objs.published), 1000)
		keys := w.objs.published[:n]
		if err := retry(ctx, func() error { return w.s.st.delete(ctx, keys) }); err != nil {
			errs = append(errs, err)
		}
		w.objs.published = w.objs.published[n:]
	}
	if len(errs) > 0 {
		return fmt.Errorf("oss: clean up split %q: %w", w.split.ID, errors.Join(errs...))
	}
	return nil
}

// retry runs f up to 3 times while it fails with a retryable error.
func retry(ctx context.Context, f func() error) error {
	var err error
	for attempt := range 3 {
		if err = f(); err == nil || !datasync.IsRetryable(err) {
			return err
		}
		t := time.NewTimer(100 * time.Millisecond << attempt)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		}
	}
	return err
}
