package textcodec

import (
	"context"
	"errors"
	"fmt"
	"hash/crc64"
	"io"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/text"
)

// ReaderOptions configures a Reader.
type ReaderOptions struct {
	// VerifyCRC checks the CRC-64 of a whole file read from its start
	// against the one its stream reports (see CRCReporter).
	VerifyCRC bool
}

// Reader reads one split of a file source: the datasync.Reader of the file
// and oss connectors.
type Reader struct {
	ctx    context.Context
	sp     SplitSpec
	raw    io.ReadCloser
	stream *decompressor
	dec    *Decoder
	tee    *crcReader // compressed files: the CRC of the raw bytes
	verify bool
	closed bool
}

// OpenReader opens split sp at checkpoint from (nil for its start).
func (s *ReadSpec) OpenReader(ctx context.Context, op Opener, sp SplitSpec, from datasync.Checkpoint, opts ReaderOptions) (*Reader, error) {
	var pos Position
	if from != nil {
		p, err := DecodePosition(from)
		if err != nil {
			return nil, err
		}
		pos = p
	} else {
		pos = Position{Offset: sp.Start, Fields: sp.Fields, Header: sp.Header}
		if sp.Start > 0 {
			pos.Compression = text.CompressionNone // only uncompressed files are split
		}
	}
	r := &Reader{ctx: ctx, sp: sp, verify: opts.VerifyCRC}
	if pos.Done {
		r.dec = &Decoder{pos: pos, done: true}
		return r, nil
	}
	fromStart := pos.Offset == 0 || pos.Compression != text.CompressionNone
	if fromStart {
		raw, err := op.OpenAt(ctx, 0)
		if err != nil {
			return nil, err
		}
		r.raw = raw
		var src io.Reader = raw
		if r.verify && sp.Whole() {
			r.tee = &crcReader{r: raw}
			src = r.tee
		}
		stream, comp, err := openStream(src, s.compress, sp.Name)
		if err != nil {
			raw.Close()
			return nil, err
		}
		if pos.Compression != "" && pos.Compression != comp {
			raw.Close()
			return nil, &text.FileError{Name: sp.Name, Err: fmt.Errorf("the file was %s when the checkpoint was taken and is %s now (it changed?)", pos.Compression, comp)}
		}
		pos.Compression = comp
		if comp == text.CompressionNone {
			r.tee = nil // the decoder hashes what it consumes instead
		}
		r.stream = stream
		d, err := s.NewDecoder(stream, DecoderConfig{Name: sp.Name, Pos: pos, StreamAt: 0, End: sp.End,
			HashCRC: r.verify && sp.Whole() && comp == text.CompressionNone})
		if err != nil {
			r.Close()
			return nil, err
		}
		r.dec = d
		return r, nil
	}
	at, align := pos.Offset, from == nil && sp.Start > 0
	if align {
		at--
	}
	raw, err := op.OpenAt(ctx, at)
	if err != nil {
		return nil, err
	}
	r.raw = raw
	d, err := s.NewDecoder(raw, DecoderConfig{Name: sp.Name, Pos: pos, StreamAt: at, Align: align, End: sp.End,
		HashCRC: r.verify && sp.Whole() && pos.Hashed})
	if err != nil {
		r.Close()
		return nil, err
	}
	r.dec = d
	return r, nil
}

// Read fills b (see datasync.Reader).
func (r *Reader) Read(ctx context.Context, b *datasync.Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := r.dec.Read(b)
	if errors.Is(err, io.EOF) {
		if verr := r.verifyCRC(); verr != nil {
			return verr
		}
	}
	return err
}

// verifyCRC compares the CRC of what was read with the file's.
func (r *Reader) verifyCRC() error {
	if !r.verify || r.raw == nil {
		return nil
	}
	rep, ok := r.raw.(CRCReporter)
	if !ok {
		return nil
	}
	want, known := rep.CRC64()
	if !known {
		return nil
	}
	var got uint64
	switch {
	case r.tee != nil:
		// Read what the decompressor left (a trailer, padding).
		if _, err := io.Copy(io.Discard, r.tee); err != nil {
			return err
		}
		got = r.tee.crc
	case r.dec.pos.Hashed:
		got = r.dec.pos.CRC
	default:
		return nil
	}
	if got != want {
		return datasync.Retryable(&text.FileError{Name: r.sp.Name, Err: fmt.Errorf("CRC-64 mismatch: read %d, the object has %d", got, want)})
	}
	return nil
}

// Checkpoint returns the position after the last row returned.
func (r *Reader) Checkpoint() datasync.Checkpoint { return r.dec.Position().Checkpoint() }

// Position returns the decoder's position.
func (r *Reader) Position() Position { return r.dec.Position() }

// Close releases the file.
func (r *Reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	if r.stream != nil {
		r.stream.close()
	}
	if r.raw != nil {
		return r.raw.Close()
	}
	return nil
}

// crcReader hashes what is read through it.
type crcReader struct {
	r   io.Reader
	crc uint64
}

func (c *crcReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.crc = crc64.Update(c.crc, CRCTable, p[:n])
	return n, err
}
