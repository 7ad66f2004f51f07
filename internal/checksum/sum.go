package checksum

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/datasync-go/datasync"
)

// Sum is the checksum of a set of rows: how many, and the sum modulo 2^128
// of their 128-bit row hashes (two independent 64-bit sums). Addition makes
// it independent of row order; unlike XOR, a duplicated row adds its hash a
// second time instead of cancelling out.
type Sum struct {
	Rows int64
	Lo   uint64
	Hi   uint64
}

// Hex returns the 128-bit sum as 32 hexadecimal digits.
func (s Sum) Hex() string { return fmt.Sprintf("%016x%016x", s.Hi, s.Lo) }

// String returns "<rows> rows, sum <hex>".
func (s Sum) String() string { return fmt.Sprintf("%d rows, sum %s", s.Rows, s.Hex()) }

// Mismatch returns "" when got equals want, and otherwise says how they
// differ, for a failed check.
func Mismatch(got, want Sum) string {
	switch {
	case got.Rows != want.Rows:
		return fmt.Sprintf("%d rows, want %d", got.Rows, want.Rows)
	case got != want:
		return fmt.Sprintf("same row count (%d) but the content checksum differs: %s, want %s", got.Rows, got.Hex(), want.Hex())
	}
	return ""
}

// Hasher accumulates the Sum of rows of a schema. It is not safe for
// concurrent use.
type Hasher struct {
	schema datasync.Schema
	buf    []byte // the row's encoding
	text   []byte // one value's canonical text
	sum    Sum

	// AddRecord's reusable buffers: the values' text, where each ends, the
	// fields slicing it.
	rec    []byte
	ends   []int
	fields [][]byte
}

// NewHasher returns a Hasher for rows of schema.
func NewHasher(schema datasync.Schema) *Hasher { return &Hasher{schema: schema} }

// Add adds one row, given as the text of each column in schema order; a nil
// element is NULL (an empty non-nil one is an empty value). Its error names
// the column and the row (counted from 1 in the order rows were added).
//
// The row is encoded, column after column, as 0x00 for NULL or as 0x01, the
// canonical text's length (uvarint) and the text; the first 128 bits of
// the encoding's SHA-256 are the row hash. Length prefixes keep "ab"+"c"
// distinct from "a"+"bc".
func (h *Hasher) Add(fields [][]byte) error {
	if len(fields) != len(h.schema) {
		return fmt.Errorf("row %d has %d columns, want %d", h.sum.Rows+1, len(fields), len(h.schema))
	}
	h.buf = h.buf[:0]
	for i, f := range fields {
		if f == nil {
			h.buf = append(h.buf, 0)
			continue
		}
		var err error
		h.text, err = Canonical(h.text[:0], h.schema[i].Kind, f)
		if err != nil {
			return fmt.Errorf("row %d, column %s: %w", h.sum.Rows+1, h.schema[i].Name, err)
		}
		h.buf = append(h.buf, 1)
		h.buf = binary.AppendUvarint(h.buf, uint64(len(h.text)))
		h.buf = append(h.buf, h.text...)
	}
	digest := sha256.Sum256(h.buf)
	h.sum.Lo += binary.LittleEndian.Uint64(digest[0:8])
	h.sum.Hi += binary.LittleEndian.Uint64(digest[8:16])
	h.sum.Rows++
	return nil
}

// AddRecord adds a row given as datasync values, read through their
// AppendTo text.
func (h *Hasher) AddRecord(r datasync.Record) error {
	if h.rec == nil {
		// Non-nil, so that an empty string slices to an empty non-nil field.
		h.rec = make([]byte, 0, 512)
	}
	h.rec = h.rec[:0]
	h.ends = h.ends[:0]
	for _, v := range r {
		h.rec = v.AppendTo(h.rec)
		h.ends = append(h.ends, len(h.rec))
	}
	h.fields = h.fields[:0]
	start := 0
	for i, v := range r {
		var f []byte
		if !v.IsNull() {
			f = h.rec[start:h.ends[i]:h.ends[i]]
		}
		h.fields = append(h.fields, f)
		start = h.ends[i]
	}
	return h.Add(h.fields)
}

// Sum returns the checksum of the rows added so far.
func (h *Hasher) Sum() Sum { return h.sum }
