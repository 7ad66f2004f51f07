package texttest

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// CompressedLineCount is the number of lines (after the header) of
// CompressedLines.
const CompressedLineCount = 5000

// lines5000Bzip2 is Lines(5000) compressed by bzip2 -9 (Go has no bzip2
// compressor).
//
//go:embed lines5000.csv.bz2
var lines5000Bzip2 []byte

// CompressedLines returns Lines(CompressedLineCount) compressed with
// compress: gzip, zstd or bzip2.
func CompressedLines(compress string) []byte {
	data := Lines(CompressedLineCount)
	var b bytes.Buffer
	switch compress {
	case "gzip":
		w := gzip.NewWriter(&b)
		w.Write(data)
		w.Close()
	case "zstd":
		w, _ := zstd.NewWriter(&b)
		w.Write(data)
		w.Close()
	case "bzip2":
		return bytes.Clone(lines5000Bzip2)
	default:
		panic(fmt.Sprintf("texttest: no compression %q", compress))
	}
	return b.Bytes()
}

// Corruption is a damaged copy of a compressed file.
type Corruption struct {
	Name string // "truncated" or "bit-flipped"
	Data []byte
}

// Corrupt returns damaged copies of a compressed file: cut in its middle,
// and with one bit of its middle byte inverted.
func Corrupt(data []byte) []Corruption {
	flipped := bytes.Clone(data)
	flipped[len(data)/2] ^= 0x10
	return []Corruption{
		{"truncated", bytes.Clone(data[:len(data)/2])},
		{"bit-flipped", flipped},
	}
}
