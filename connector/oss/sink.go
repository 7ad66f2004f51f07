package oss

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/textcodec"
	"github.com/datasync-go/datasync/connector/text"
)

// Sink writes text objects to an OSS bucket: one per split (rolling at
// MaxFileBytes), each streamed as a multipart upload with bounded memory and
// completed only when its split commits, so a failed job leaves no partial
// object and no orphan part. It is safe for concurrent use.
type Sink struct {
	cfg      SinkConfig
	spec     *textcodec.WriteSpec
	st       store
	mode     text.WriteMode
	suffix   string
	partSize int64

	mu     sync.Mutex
	schema datasync.Schema // from Prepare: names the header of splits that write no row
}

var (
	_ datasync.Sink        = (*Sink)(nil)
	_ datasync.SinkChecker = (*Sink)(nil)
	_ datasync.Committer   = (*writer)(nil)
)

// NewSink checks cfg and returns a Sink. It does not reach OSS until
// Prepare, Check or a write.
func NewSink(cfg SinkConfig) (*Sink, error) {
	spec, err := textcodec.CompileWrite(cfg.WriteOptions)
	mode, merr := textcodec.ParseWriteMode(cfg.WriteMode)
	errs := []error{err, merr}
	if cfg.Object == "" {
		errs = append(errs, errors.New("object (the key prefix to write) is empty"))
	}
	if cfg.MaxFileBytes < 0 {
		errs = append(errs, fmt.Errorf("maxFileBytes %d is negative", cfg.MaxFileBytes))
	}
	switch cfg.Naming {
	case "", NameBySplit, NameRandom:
	default:
		errs = append(errs, fmt.Errorf("naming %q is not %q or %q", cfg.Naming, NameBySplit, NameRandom))
	}
	partSize := cfg.PartSize
	if partSize == 0 {
		partSize = DefaultPartSize
	}
	if partSize < MinPartSize || partSize > MaxPartSize {
		errs = append(errs, fmt.Errorf("partSize %d is not between %d (100 KiB) and %d (5 GiB)", cfg.PartSize, MinPartSize, MaxPartSize))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("oss: %w", err)
	}
	conn := cfg.conn()
	b, err := conn.open()
	if err != nil {
		return nil, fmt.Errorf("oss: %w", err)
	}
	s := &Sink{cfg: cfg, spec: spec, st: newSDKStore(b, conn.secrets()), mode: mode, suffix: spec.Suffix(cfg.Suffix), partSize: partSize}
	return s, nil
}

// String describes the sink, without credentials.
func (s *Sink) String() string { return s.cfg.String() }

// Prepare applies the write mode: truncate deletes the objects whose keys
// start with Object and aborts the multipart uploads left under it by
// failed jobs; nonConflict fails when such an object exists.
func (s *Sink) Prepare(ctx context.Context, schema datasync.Schema) error {
	if err := s.checkHeader(schema); err != nil {
		return err
	}
	s.mu.Lock()
	s.schema = schema
	s.mu.Unlock()
	switch s.mode {
	case text.WriteNonConflict:
		return s.checkNoConflict(ctx)
	case text.WriteTruncate:
		if err := s.abortUploads(ctx); err != nil {
			return err
		}
		return s.deleteExisting(ctx)
	}
	return nil
}

func (s *Sink) checkHeader(schema datasync.Schema) error {
	if n := len(s.cfg.Header); n > 0 && schema != nil && n != len(schema) {
		return fmt.Errorf("oss: header has %d names but the source has %d columns (%s)", n, len(schema), schema)
	}
	return nil
}

// existing lists the keys under Object, up to limit (0: all).
func (s *Sink) existing(ctx context.Context, limit int) ([]string, error) {
	var keys []string
	token := ""
	for {
		page, err := s.st.list(ctx, s.cfg.Object, token)
		if err != nil {
			return nil, err
		}
		for _, o := range page.Objects {
			keys = append(keys, o.Key)
		}
		if !page.Truncated || (limit > 0 && len(keys) >= limit) {
			return keys, nil
		}
		token = page.Next
	}
}

func (s *Sink) checkNoConflict(ctx context.Context) error {
	keys, err := s.existing(ctx, 5)
	if err != nil {
		return err
	}
	if len(keys) > 0 {
		return fmt.Errorf("oss: writeMode nonConflict: objects in bucket %q start with %q (%s); set writeMode to truncate to replace them or append to add to them",
			s.st.bucketName(), s.cfg.Object, strings.Join(keys[:min(len(keys), 5)], ", "))
	}
	return nil
}

func (s *Sink) deleteExisting(ctx context.Context) error {
	keys, err := s.existing(ctx, 0)
	if err != nil {
		return err
	}
	for len(keys) > 0 {
		n := min(len(keys), 1000)
		if err := s.st.delete(ctx, keys[:n]); err != nil {
			return err
		}
		keys = keys[n:]
	}
	return nil
}

func (s *Sink) abortUploads(ctx context.Context) error {
	keyMarker, idMarker := "", ""
	for {
		page, err := s.st.listUploads(ctx, s.cfg.Object, keyMarker, idMarker)
		if err != nil {
			return err
		}
		for _, u := range page.Uploads {
			if err := s.st.abort(ctx, u.Key, u.UploadID); err != nil {
				return err
			}
		}
		if !page.Truncated {
			return nil
		}
		keyMarker, idMarker = page.NextKeyMarker, page.NextIDMarker
	}
}

// Check lists the prefix, so the endpoint, the bucket and the credentials
// work and nonConflict would not fail, and checks the header against the
// schema. (OSS has no way to check a write permission without writing.)
func (s *Sink) Check(ctx context.Context, schema datasync.Schema) error {
	if err := s.checkHeader(schema); err != nil {
		return err
	}
	if s.mode == text.WriteNonConflict {
		return s.checkNoConflict(ctx)
	}
	_, err := s.existing(ctx, 1)
	return err
}

// Open returns the writer of split sp.
func (s *Sink) Open(ctx context.Context, sp datasync.Split) (datasync.Writer, error) {
	s.mu.Lock()
	schema := s.schema
	s.mu.Unlock()
	w := &writer{s: s, split: sp, ctx: ctx}
	w.bg, w.cancel = context.WithCancel(ctx)
	w.objs.w = w
	w.sw = s.spec.NewStreamWriter(&w.objs, textcodec.StreamConfig{MaxBytes: s.cfg.MaxFileBytes, Schema: schema})
	return w, nil
}
