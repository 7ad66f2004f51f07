package dataset

import (
	"io"

	"github.com/datasync-go/datasync"
)

// NewReader returns the dataset's rows as a byte stream in a line format,
// made on demand a chunk at a time (memory stays flat however many rows):
// header, if not nil, comes first, then encode's line for every row. It
// feeds PostgreSQL's COPY, MySQL's LOAD DATA and the CSV file.
func NewReader(g *Generator, header []byte, encode func(dst []byte, r datasync.Record) []byte) io.Reader {
	return &rowReader{g: g, buf: append([]byte(nil), header...), encode: encode, rec: make(datasync.Record, len(Schema()))}
}

type rowReader struct {
	g      *Generator
	encode func([]byte, datasync.Record) []byte
	rec    datasync.Record
	next   int64 // next row to encode
	buf    []byte
	off    int // bytes of buf already read
}

// chunk is about how many bytes Read encodes at a time.
const chunk = 256 << 10

// Read encodes the next chunk of rows when the last one is used up.
func (r *rowReader) Read(p []byte) (int, error) {
	for r.off == len(r.buf) {
		if r.next >= r.g.Rows() {
			return 0, io.EOF
		}
		r.buf, r.off = r.buf[:0], 0
		for len(r.buf) < chunk && r.next < r.g.Rows() {
			r.g.Fill(r.next, r.rec)
			r.buf = r.encode(r.buf, r.rec)
			r.next++
		}
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	return n, nil
}
