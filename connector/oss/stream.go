package oss

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/datasync-go/datasync"
)

// Reconnection of a dropped GET.
const (
	getRetries = 5
	getBackoff = 50 * time.Millisecond
)

// objectOpener opens an object at an offset for the text reader
// (textcodec.Opener).
type objectOpener struct {
	st   store
	key  string
	etag string // the object's ETag when planned: a GET of another version fails
	size int64
}

func (o objectOpener) OpenAt(ctx context.Context, offset int64) (io.ReadCloser, error) {
	s := &objectStream{ctx: ctx, o: o, pos: offset}
	for offset < o.size {
		err := s.connect()
		if err == nil {
			break
		}
		if !datasync.IsRetryable(err) {
			return nil, err
		}
		if err := s.backoff(err); err != nil {
			return nil, err
		}
	}
	s.failures = 0
	return s, nil
}

// objectStream reads an object with ranged GETs: when the connection drops
// mid-body it asks again from the byte it stopped at, a few times in a row,
// before it gives up with a retryable error.
type objectStream struct {
	ctx      context.Context
	o        objectOpener
	pos      int64
	body     io.ReadCloser
	info     getInfo
	infoOK   bool
	failures int // in a row
}

func (s *objectStream) connect() error {
	body, info, err := s.o.st.get(s.ctx, s.o.key, s.pos, s.o.etag)
	if err != nil {
		return err
	}
	s.body = body
	if !s.infoOK {
		s.info, s.infoOK = info, true
	}
	return nil
}

func (s *objectStream) Read(p []byte) (int, error) {
	for {
		if s.pos >= s.o.size {
			return 0, io.EOF
		}
		if s.body == nil {
			if err := s.connect(); err != nil {
				if !datasync.IsRetryable(err) {
					return 0, err
				}
				if rerr := s.backoff(err); rerr != nil {
					return 0, rerr
				}
				continue
			}
		}
		n, err := s.body.Read(p)
		s.pos += int64(n)
		if n > 0 {
			s.failures = 0
		}
		switch {
		case err == nil:
			return n, nil
		case errors.Is(err, io.EOF) && s.pos >= s.o.size:
			return n, io.EOF
		}
		// The body ended early or failed: reconnect at s.pos.
		s.body.Close()
		s.body = nil
		if s.ctx.Err() != nil {
			return n, s.ctx.Err()
		}
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		if n > 0 {
			return n, nil
		}
		if rerr := s.backoff(classify(err, "oss: read "+s.o.key, nil)); rerr != nil {
			return 0, rerr
		}
	}
}

// backoff waits before the next attempt, or returns err when the attempts
// are spent.
func (s *objectStream) backoff(err error) error {
	s.failures++
	if s.failures > getRetries {
		return datasync.Retryable(err)
	}
	t := time.NewTimer(getBackoff << (s.failures - 1))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-s.ctx.Done():
		return s.ctx.Err()
	}
}

// CRC64 returns the whole object's CRC-64 as OSS reported it
// (textcodec.CRCReporter).
func (s *objectStream) CRC64() (uint64, bool) { return s.info.CRC, s.infoOK && s.info.HasCRC }

func (s *objectStream) Close() error {
	if s.body != nil {
		err := s.body.Close()
		s.body = nil
		return err
	}
	return nil
}
