package datasync

import "github.com/datasync-go/datasync/internal/batchhook"

// Encoded rows: a batch may carry rows in its writer's own wire encoding
// instead of values. The API for connectors is package encoded, which reaches
// the functions below through internal/batchhook, so that Batch's everyday
// method set stays free of them.

func init() {
	batchhook.Set(batchhook.Hooks[Batch, Record]{
		Offered:  func(b *Batch) string { return b.offered },
		Encoding: (*Batch).encoding,
		Append:   (*Batch).appendEncoded,
		Row:      (*Batch).encodedRow,
	})
}

// encodingWriter is encoded.Writer, checked structurally: the root cannot
// import package encoded.
type encodingWriter interface {
	AcceptedEncoding() string
}

// decoder is encoded.Decoder.
type decoder = func(row []byte, dst Record, b *Batch) error

// encoding returns the encoding of the batch's rows when they are encoded,
// "" when they are values.
func (b *Batch) encoding() string {
	if b.encoded {
		return b.offered
	}
	return ""
}

// appendEncoded appends one row in the offered encoding, copying it (see
// encoded.Append).
func (b *Batch) appendEncoded(row []byte, size int, decode decoder) {
	if b.offered == "" || (b.rows > 0 && !b.encoded) {
		panic("datasync: encoded.Append on a batch that was offered no encoding or already holds values")
	}
	b.encoded = true
	b.decode = decode
	start := len(b.arena)
	b.arena = append(b.arena, row...)
	b.encStarts = append(b.encStarts, start)
	b.encEnds = append(b.encEnds, len(b.arena))
	b.encDecoded = append(b.encDecoded, false)
	b.rows++ // its values are made only if it is decoded
	b.sized++
	b.bytes += size
}

// encodedRow returns the bytes of encoded row i, aliasing the batch.
func (b *Batch) encodedRow(i int) []byte { return b.arena[b.encStarts[i]:b.encEnds[i]] }

// decodeRow fills the values of encoded row i, once. A row that fails to
// decode stays NULL: its bytes came from the same connector, which encoded
// them, so failure means a bug, and the dirty record still names the row.
func (b *Batch) decodeRow(i int) {
	if b.encDecoded[i] {
		return
	}
	b.encDecoded[i] = true
	end := (i + 1) * b.width
	if end > len(b.values) {
		b.values = append(b.values, make([]Value, end-len(b.values))...)
	}
	row := b.values[end-b.width : end : end]
	clear(row)
	if err := b.decode(b.encodedRow(i), row, b); err != nil {
		clear(row)
	}
}

func (b *Batch) resetEncoded() {
	b.encoded = false
	b.decode = nil
	b.encStarts = b.encStarts[:0]
	b.encEnds = b.encEnds[:0]
	b.encDecoded = b.encDecoded[:0]
}
