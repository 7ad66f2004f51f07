package datasync

// Encoded rows let a reader and a writer that share a wire encoding (a
// PostgreSQL source and a PostgreSQL sink over identical column types, say)
// pass rows as that encoding's bytes, skipping a decode and an encode of
// every value. The negotiation is per batch, so a source never needs to know
// its sink:
//
//  1. The split's Writer implements EncodingWriter and names the one
//     encoding it accepts, including whatever makes it exact (such as the
//     column types), or "" for none.
//  2. The pipeline offers that encoding on every batch it hands the reader
//     (Batch.OfferedEncoding).
//  3. A reader that produces exactly that encoding may fill the batch with
//     AppendEncoded; any other reader ignores the offer and appends values.
//  4. The writer checks Batch.Encoding: the offered encoding for encoded
//     rows (read them with EncodedRow), "" for values.
//
// A batch holds either values or encoded rows, never both. Its rows still
// decode to values when someone asks for them (Row, for a rejected row going
// to the dirty-data collector), through the decoder the reader gave.

// EncodingWriter is implemented by a Writer that accepts rows in an encoding
// of its own as well as values.
type EncodingWriter interface {
	Writer
	// AcceptedEncoding names the encoding the writer accepts, "" for none.
	AcceptedEncoding() string
}

// Decoder turns one encoded row back into values, storing variable-width
// payloads in b (see Batch.Copy).
type Decoder func(row []byte, dst Record, b *Batch) error

// OfferedEncoding returns the encoding the batch's writer accepts, "" when it
// accepts none.
func (b *Batch) OfferedEncoding() string { return b.offered }

// Encoding returns the encoding of the batch's rows when they are encoded,
// "" when they are values.
func (b *Batch) Encoding() string {
	if b.encoded {
		return b.offered
	}
	return ""
}

// AppendEncoded appends one row in the offered encoding, copying it. size is
// what the row's values would count for in Value.Size terms; decode turns the
// row back into values when they are needed. It panics when the batch holds
// values or no encoding was offered: that is a bug in the reader.
func (b *Batch) AppendEncoded(row []byte, size int, decode Decoder) {
	if b.offered == "" || (b.rows > 0 && !b.encoded) {
		panic("datasync: AppendEncoded on a batch that was offered no encoding or already holds values")
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

// EncodedRow returns the bytes of encoded row i, aliasing the batch.
func (b *Batch) EncodedRow(i int) []byte { return b.arena[b.encStarts[i]:b.encEnds[i]] }

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
	if err := b.decode(b.EncodedRow(i), row, b); err != nil {
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
