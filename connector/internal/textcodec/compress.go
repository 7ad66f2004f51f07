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
func normCompress(s string, write bool) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		if write {
			return CompressNone, nil
		}
		return "", nil
	case "none", "no", "false":
		return CompressNone, nil
	case "gzip", "gz":
		return CompressGzip, nil
	case "zstd", "zst", "zstandard":
		return CompressZstd, nil
	case "bzip2", "bz2":
		if write {
			return "", fmt.Errorf("compress %q: bzip2 is read only; write gzip or zstd", s)
		}
		return CompressBzip2, nil
	}
	return "", fmt.Errorf("compress %q: want none, gzip or zstd (and bzip2 on read)", s)
}

// DetectCompression returns the compression whose magic number starts head:
// CompressNone when none does. A zip archive is an error.
func DetectCompression(head []byte) (string, error) {
	switch {
	case bytes.HasPrefix(head, magicGzip):
		return CompressGzip, nil
	case bytes.HasPrefix(head, magicZstd):
		return CompressZstd, nil
	case bytes.HasPrefix(head, magicBzip2) && len(head) >= 4 && '1' <= head[3] && head[3] <= '9':
		return CompressBzip2, nil
	case bytes.HasPrefix(head, magicZip):
		return "", fmt.Errorf("zip archives are not supported: compress the file with gzip, zstd or bzip2")
	}
	return CompressNone, nil
}

// Extension returns the usual file name extension of a compression.
func Extension(compress string) string {
	switch compress {
	case CompressGzip:
		return ".gz"
	case CompressZstd:
		return ".zst"
	case CompressBzip2:
		return ".bz2"
	}
	return ""
}

// decompressor wraps r for reading the compression c.
type decompressor struct {
	io.Reader
	close func()
}

func newDecompressor(r io.Reader, c string) (*decompressor, error) {
	switch c {
	case CompressGzip:
		z, err := gzip.NewReader(r) // multistream: concatenated members read as one
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return &decompressor{Reader: z, close: func() { z.Close() }}, nil
	case CompressZstd:
		z, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		return &decompressor{Reader: z, close: z.Close}, nil
	case CompressBzip2:
		return &decompressor{Reader: bzip2.NewReader(r), close: func() {}}, nil
	}
	return &decompressor{Reader: r, close: func() {}}, nil
}

// openStream detects the compression at the start of raw (unless want says
// it) and returns the decompressed stream. want is "" (detect) or a
// compression that the magic number must confirm.
func openStream(raw io.Reader, want string) (*decompressor, string, error) {
	br := bufio.NewReaderSize(raw, 64<<10)
	if want == CompressNone {
		return &decompressor{Reader: br, close: func() {}}, CompressNone, nil
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

func describeCompression(c string) string {
	if c == CompressNone {
		return "uncompressed data"
	}
	return c
}

// compressor is a compressing writer for one output.
type compressor interface {
	io.Writer
	Close() error // writes the trailer; does not close the underlying writer
}

func newCompressor(w io.Writer, c string) (compressor, error) {
	switch c {
	case CompressGzip:
		return gzip.NewWriterLevel(w, gzip.DefaultCompression)
	case CompressZstd:
		return zstd.NewWriter(w, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.SpeedDefault))
	}
	return nil, nil
}
