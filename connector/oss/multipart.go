package oss

import (
	"fmt"
	"hash/crc64"

	"github.com/datasync-go/datasync/connector/internal/textcodec"
)

// objectOut is one object being written: its bytes gather into a part
// buffer, and each full part is uploaded in the background while the next
// one fills, so a writer holds at most two parts of memory per object.
type objectOut struct {
	w         *writer
	key       string
	buf       []byte // the part being filled
	spare     []byte // the buffer of the part in flight, reused next
	uploadID  string
	parts     []uploadedPart
	inflight  chan partResult // nil when no part is in flight
	size      int64
	crc       uint64 // CRC-64 of every byte written
	completed bool
}

type partResult struct {
	n    int
	etag string
	data []byte
	err  error
}

// Write adds p to the object, uploading parts as they fill.
func (o *objectOut) Write(p []byte) (int, error) {
	partSize := int(o.w.s.partSize)
	written := 0
	for len(p) > 0 {
		if o.buf == nil {
			o.buf = make([]byte, 0, min(partSize, max(len(p), 64<<10)))
		}
		n := min(partSize-len(o.buf), len(p))
		o.buf = append(o.buf, p[:n]...)
		o.crc = crc64.Update(o.crc, textcodec.CRCTable, p[:n])
		o.size += int64(n)
		written += n
		p = p[n:]
		if len(o.buf) == partSize {
			if err := o.sendPart(); err != nil {
				return written, err
			}
		}
	}
	return written, nil
}

// sendPart starts the upload of the buffer as the next part, once the part
// in flight is done; the first part starts the multipart upload.
func (o *objectOut) sendPart() error {
	if err := o.wait(); err != nil {
		return err
	}
	w := o.w
	if o.uploadID == "" {
		if err := o.start(); err != nil {
			return err
		}
	}
	n := len(o.parts) + 1
	if n > maxParts {
		return fmt.Errorf("oss: %q would need more than %d parts: raise partSize or set maxFileSize", o.key, maxParts)
	}
	data := o.buf
	o.buf, o.spare = o.spare[:0], nil
	o.inflight = make(chan partResult, 1)
	ctx, st, key, id := w.bg, w.s.st, o.key, o.uploadID
	go func() {
		var etag string
		err := retry(ctx, func() error {
			var err error
			etag, err = st.uploadPart(ctx, key, id, n, data)
			return err
		})
		o.inflight <- partResult{n: n, etag: etag, data: data, err: err}
	}()
	return nil
}

// wait waits for the part in flight and records it.
func (o *objectOut) wait() error {
	if o.inflight == nil {
		return nil
	}
	res := <-o.inflight
	o.inflight = nil
	o.spare = res.data[:0]
	if res.err != nil {
		return res.err
	}
	o.parts = append(o.parts, uploadedPart{Number: res.n, ETag: res.etag})
	return nil
}
