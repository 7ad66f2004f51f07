package textcodec

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/datasync-go/datasync/connector/text"
)

// Magic numbers of the compressed formats.
var (
	magicGzip  = []byte{0x1f, 0x8b}
	magicZstd  = []byte{0x28, 0xb5, 0x2f, 0xfd}
	magicBzip2 = []byte("BZh")
	magicZip   = []byte("PK\x03\x04")
)

// normCompress returns the canonical name of a compress setting: "" means
// detect on read and none on write.
func normCompress(s text.Compression, write bool) (text.Compression, error) {
	switch strings.ToLower(strings.TrimSpace(string(s))) {
	case "", "auto":
		if write {
			return text.CompressionNone, nil
		}
		return "", nil
	case "none", "no", "false":
		return text.CompressionNone, nil
	case "gzip", "gz":
		return text.CompressionGzip, nil
	case "zstd", "zst", "zstandard":
		return text.CompressionZstd, nil
	case "bzip2", "bz2":
		if write {
			return "", fmt.Errorf("compress %q: bzip2 is read only; write gzip or zstd", s)
		}
		return text.CompressionBzip2, nil
	}
	return "", fmt.Errorf("compress %q: want none, gzip or zstd (and bzip2 on read)", s)
}

// DetectCompression returns the compression whose magic number starts head:
// text.CompressionNone when none does. A zip archive is an error.
func DetectCompression(head []byte) (text.Compression, error) {
	switch {
	case bytes.HasPrefix(head, magicGzip):
		return text.CompressionGzip, nil
	case bytes.HasPrefix(head, magicZstd):
		return text.CompressionZstd, nil
	case bytes.HasPrefix(head, magicBzip2) && len(head) >= 4 && '1' <= head[3] && head[3] <= '9':
		return text.CompressionBzip2, nil
	case bytes.HasPrefix(head, magicZip):
		return "", fmt.Errorf("zip archives are not supported: compress the file with gzip, zstd or bzip2")
	}
	return text.CompressionNone, nil
}

// Extension returns the usual file name extension of a compression.
func Extension(compress text.Compression) string {
	switch compress {
	case text.CompressionGzip:
		return ".gz"
	case text.CompressionZstd:
		return ".zst"
	case text.CompressionBzip2:
		return ".bz2"
	}
	return ""
}

// decompressor is the decompressed stream of a file. It tells damaged
// data from a failed read: when the decompressor fails while the file's
// stream did not, the data is corrupt or truncated and the error is a
// *CorruptError; when the stream failed (a dropped connection), its error is
// returned as it is, so that it keeps its retry classification.
type decompressor struct {
	io.Reader        // the decompressing reader (the buffered file when CompressNone)
	close     func() // releases the decompressor
	name      string
	comp      text.Compression
	in        *byteCounter // the compressed bytes the decompressor took
	raw       *failWatch   // the file's stream
	out       int64        // the bytes it produced
}

// Read reads decompressed bytes.
func (d *decompressor) Read(p []byte) (int, error) {
	n, err := d.Reader.Read(p)
	d.out += int64(n)
	if err != nil && err != io.EOF && d.comp != text.CompressionNone {
		err = d.classify(err)
	}
	return n, err
}

// classify returns the error of a failed read or decompression.
func (d *decompressor) classify(err error) error {
	var ce *text.CorruptError
	if d.raw.err != nil || errors.As(err, &ce) {
		return err
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF // the data ended inside its header
	}
	return &text.CorruptError{Name: d.name, Compression: d.comp, CompressedOffset: d.in.n, DecompressedOffset: d.out, Err: err}
}

// failWatch keeps the first error other than io.EOF of the stream it
// reads.
type failWatch struct {
	r   io.Reader
	err error
}

func (f *failWatch) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err != nil && err != io.EOF && f.err == nil {
		f.err = err
	}
	return n, err
}

// byteCounter counts the bytes read through it. It is an io.ByteReader, so
// that the gzip and bzip2 decompressors read from it byte by byte instead of
// adding a buffer of their own, which would make the count run ahead.
type byteCounter struct {
	br *bufio.Reader
	n  int64
}

func (c *byteCounter) Read(p []byte) (int, error) {
	n, err := c.br.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *byteCounter) ReadByte() (byte, error) {
	b, err := c.br.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

func newDecompressor(d *decompressor) error {
	switch d.comp {
	case text.CompressionGzip:
		z, err := gzip.NewReader(d.in) // multistream: concatenated members read as one
		if err != nil {
			return d.classify(err)
		}
		d.Reader, d.close = z, func() { z.Close() }
	case text.CompressionZstd:
		z, err := zstd.NewReader(d.in, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			return fmt.Errorf("zstd: %w", err)
		}
		d.Reader, d.close = z, z.Close
	case text.CompressionBzip2:
		d.Reader = bzip2.NewReader(d.in)
	}
	return nil
}

// openStream returns the decompressed stream of raw, the bytes of the file
// name, and its compression: the one its magic number says when want is ""
// (detect), else want, which the magic number must confirm. Its errors are
// a *FileError or a *CorruptError naming the file, or raw's own error.
func openStream(raw io.Reader, want text.Compression, name string) (*decompressor, text.Compression, error) {
	watch := &failWatch{r: raw}
	br := bufio.NewReaderSize(watch, 64<<10)
	d := &decompressor{Reader: br, close: func() {}, name: name, comp: text.CompressionNone, in: &byteCounter{br: br}, raw: watch}
	if want == text.CompressionNone {
		return d, text.CompressionNone, nil
	}
	head, _ := br.Peek(4)
	got, err := DetectCompression(head)
	if err != nil {
		return nil, "", &text.FileError{Name: name, Err: err}
	}
	if want != "" && got != want {
		if watch.err != nil {
			return nil, "", watch.err
		}
		return nil, "", &text.FileError{Name: name, Err: fmt.Errorf("compress is %s but the data is not %s-compressed (it starts like %s)", want, want, describeCompression(got))}
	}
	d.comp = got
	if err := newDecompressor(d); err != nil {
		return nil, "", err
	}
	return d, got, nil
}

func describeCompression(c text.Compression) string {
	if c == text.CompressionNone {
		return "uncompressed data"
	}
	return string(c)
}

// compressor is a compressing writer for one output.
type compressor interface {
	io.Writer
	Close() error // writes the trailer; does not close the underlying writer
}

func newCompressor(w io.Writer, c text.Compression) (compressor, error) {
	switch c {
	case text.CompressionGzip:
		return gzip.NewWriterLevel(w, gzip.DefaultCompression)
	case text.CompressionZstd:
		return zstd.NewWriter(w, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.SpeedDefault))
	}
	return nil, nil
}
