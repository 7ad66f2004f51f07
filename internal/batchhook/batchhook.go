// Package batchhook lets package encoded reach the encoded-row state of a
// datasync.Batch without the root exporting it: the root, which cannot be
// imported from here (it imports this package), registers its functions in
// an init, and package encoded fetches them once, typed, with Get.
package batchhook

import "fmt"

// Hooks are the root's functions over its batch type B and record type R.
type Hooks[B, R any] struct {
	// Offered returns the encoding offered to the batch's reader.
	Offered func(b *B) string
	// Encoding returns the encoding of the batch's rows, "" for values.
	Encoding func(b *B) string
	// Append appends one encoded row.
	Append func(b *B, row []byte, size int, decode func(row []byte, dst R, b *B) error)
	// Row returns the bytes of encoded row i.
	Row func(b *B, i int) []byte
}

var registered any

// Set registers the root's hooks; the root calls it once, in an init.
func Set[B, R any](h Hooks[B, R]) { registered = h }

// Get returns the hooks registered for B and R. It panics when there are
// none: a programming error, since the importer of the root runs after the
// root's init.
func Get[B, R any]() Hooks[B, R] {
	h, ok := registered.(Hooks[B, R])
	if !ok {
		panic(fmt.Sprintf("batchhook: no hooks registered for %T (have %T)", (*B)(nil), registered))
	}
	return h
}
