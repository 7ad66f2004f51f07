package datasync

import "unsafe"

// Batch is a reusable set of records bounded by a number of rows and a number
// of bytes (as [Value.Size] counts them). Readers fill batches and writers
// consume them; the pipeline owns them and reuses them, so a Writer must not
// keep a Batch, nor any Record or Value in it, after Write returns.
//
// Variable-width payloads copied in with the Copy methods live in the batch's
// arena, one growing byte slice reused from batch to batch, so that filling a
// batch of thousands of rows costs no allocation per row once the batch has
// grown to its working size. Those values are valid until [Batch.Reset];
// [Record.Clone] makes copies that may be kept.
type Batch struct {
	schema   Schema
	width    int
	values   []Value // rows*width values, row-major
	rows     int
	arena    []byte
	maxRows  int
	maxBytes int
	bytes    int // size of the first sized rows
	sized    int

	// Encoded rows (see encoded.go).
	offered    string
	encoded    bool
	decode     decoder
	encStarts  []int
	encEnds    []int
	encDecoded []bool
}

// NewBatch returns an empty batch for records of the given schema, full at
// maxRows rows or maxBytes bytes, whichever comes first (a single row larger
// than maxBytes still fits, alone). Values below 1 are taken as 1.
func NewBatch(schema Schema, maxRows, maxBytes int) *Batch {
	maxRows = max(maxRows, 1)
	return &Batch{
		schema:   schema,
		width:    len(schema),
		values:   make([]Value, maxRows*len(schema)),
		maxRows:  maxRows,
		maxBytes: max(maxBytes, 1),
	}
}

// Schema returns the schema of the batch's records.
func (b *Batch) Schema() Schema { return b.schema }

// Width returns the number of values in each record.
func (b *Batch) Width() int { return b.width }

// Len returns the number of records in the batch.
func (b *Batch) Len() int { return b.rows }

// MaxRows returns the row bound given to NewBatch.
func (b *Batch) MaxRows() int { return b.maxRows }

// MaxBytes returns the byte bound given to NewBatch.
func (b *Batch) MaxBytes() int { return b.maxBytes }

// Row returns record i (0 <= i < Len()). It aliases the batch's storage. For
// a batch of encoded rows it decodes the row first (see encoded.go).
func (b *Batch) Row(i int) Record {
	if b.encoded {
		b.decodeRow(i)
	}
	return b.values[i*b.width : (i+1)*b.width : (i+1)*b.width]
}

// Append adds a record of NULLs and returns it for the caller to fill. The
// returned Record is valid until the next Append or Reset. Readers call
// [Batch.Full] after each row and stop at true; appending past the bounds
// still works, by growing the batch.
func (b *Batch) Append() Record {
	if b.encoded {
		panic("datasync: Append on a batch of encoded rows")
	}
	end := (b.rows + 1) * b.width
	if end > len(b.values) {
		b.values = append(b.values, make([]Value, end-len(b.values))...)
		b.values = b.values[:cap(b.values)]
	}
	r := b.values[end-b.width : end : end]
	clear(r)
	b.rows++
	return r
}

// AppendRecord appends a copy of r, whose variable-width payloads are copied
// into the arena. r must have Width() values.
func (b *Batch) AppendRecord(r Record) {
	dst := b.Append()
	for i, v := range r {
		dst[i] = b.Copy(v)
	}
}

// RemoveLast removes the last record, for a reader that appended a row and
// then found it could not decode it.
func (b *Batch) RemoveLast() {
	if b.rows == 0 || b.encoded {
		return
	}
	b.rows--
	if b.sized > b.rows {
		b.sized = b.rows
		b.bytes = 0
		for i := 0; i < b.rows; i++ {
			b.bytes += b.Row(i).Size()
		}
	}
}

// Full reports whether the batch has reached its row or byte bound.
func (b *Batch) Full() bool {
	return b.rows >= b.maxRows || b.Bytes() >= b.maxBytes
}

// Bytes returns the size of the batch's records (the sum of [Value.Size]).
func (b *Batch) Bytes() int {
	// Sizes are summed lazily, once per row, so filling a row costs nothing
	// extra however often Full is asked.
	for ; b.sized < b.rows; b.sized++ {
		for _, v := range b.values[b.sized*b.width : (b.sized+1)*b.width] {
			b.bytes += v.Size()
		}
	}
	return b.bytes
}

// Reset empties the batch for reuse. Values that point into its arena become
// invalid.
func (b *Batch) Reset() {
	b.rows, b.sized, b.bytes = 0, 0, 0
	b.arena = b.arena[:0]
	if b.encoded {
		b.resetEncoded()
	}
}

// Copy returns v with its variable-width payload (if any) copied into the
// arena. Use it to keep a value whose memory the caller is about to reuse,
// such as a driver's row buffer.
func (b *Batch) Copy(v Value) Value {
	switch v.kind {
	case KindString, KindBytes, KindDecimal, KindJSON:
		if len(v.str) > 0 {
			v.str = store(b, v.str)
			v.flags |= flagBorrowed
		}
	}
	return v
}

// CopyString returns a String value of p copied into the arena.
func (b *Batch) CopyString(p []byte) Value {
	return Value{kind: KindString, str: store(b, p), flags: flagBorrowed}
}

// CopyBytes returns a Bytes value of p copied into the arena.
func (b *Batch) CopyBytes(p []byte) Value {
	return Value{kind: KindBytes, str: store(b, p), flags: flagBorrowed}
}

// CopyJSON returns a JSON value of p copied into the arena; p must be valid
// JSON (see [JSON]).
func (b *Batch) CopyJSON(p []byte) Value {
	return Value{kind: KindJSON, str: store(b, p), flags: flagBorrowed}
}

// CopyDecimal returns a Decimal value of p, in canonical form, in the arena.
// It fails, copying nothing, when p is not a decimal number (see [Decimal]).
func (b *Batch) CopyDecimal(p []byte) (Value, error) {
	if isCanonicalDecimal(p) {
		return Value{kind: KindDecimal, str: store(b, p), flags: flagBorrowed}, nil
	}
	start := len(b.arena)
	arena, err := appendDecimal(b.arena, p)
	if err != nil {
		return Value{}, &ConversionError{From: KindString, To: KindDecimal, Text: string(p), Err: err}
	}
	b.arena = arena
	return Value{kind: KindDecimal, str: b.view(start), flags: flagBorrowed}, nil
}

// store copies p to the end of b's arena and returns it as a string
// aliasing the arena. Earlier values stay valid when the arena grows: they
// keep the old backing array, which is never written again.
func store[T string | []byte](b *Batch, p T) string {
	if len(p) == 0 {
		return ""
	}
	start := len(b.arena)
	b.arena = append(b.arena, p...)
	return b.view(start)
}

// view returns the arena from start to its end as a string.
func (b *Batch) view(start int) string {
	return unsafe.String(unsafe.SliceData(b.arena[start:]), len(b.arena)-start)
}
