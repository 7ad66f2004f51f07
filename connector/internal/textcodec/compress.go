package textcodec

import (
	"bufio"
	"bytes"
	"compress/bzip2"
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

// decompressor wraps r for reading the compression c.
type decompressor struct {
	io.Reader
	close func()
}

func newDecompressor(r io.Reader, c text.Compression) (*decompressor, error) {
	switch c {
	case text.CompressionGzip:
		z, err := gzip.NewReader(r) // multistream: concatenated members read as one
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return &decompressor{Reader: z, close: func() { z.Close() }}, nil
	case text.CompressionZstd:
		z, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		return &decompressor{Reader: z, close: z.Close}, nil
	case text.CompressionBzip2:
		return &decompressor{Reader: bzip2.NewReader(r), close: func() {}}, nil
	}
	return &decompressor{Reader: r, close: func() {}}, nil
}

// openStream detects the compression at the start of raw (unless want says
// it) and returns the decompressed stream. want is "" (detect) or a
// compression that the magic number must confirm.
func openStream(raw io.Reader, want text.Compression) (*decompressor, text.Compression, error) {
	br := bufio.NewReaderSize(raw, 64<<10)
	if want == text.CompressionNone {
		return &decompressor{Reader: br, close: func() {}}, text.CompressionNone, nil
	}
	head, _ := br.Peek(4)
	got, err := DetectCompression(head)
	if err != nil {
		return nil, "", err
	}
	if want != "" && got != want {
		return nil, "", fmt.Errorf("compress is %s but the data is not %s-compressed (it starts like %s)", want, want, describeCompression(got))
	}
	d, err := newDecompressor(br, got)
	return d, got, err
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
