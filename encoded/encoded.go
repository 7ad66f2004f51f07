// Package encoded is for connector authors: it lets a reader and a writer
// that share a wire encoding (a PostgreSQL source and a PostgreSQL sink over
// identical column types, say) pass rows as that encoding's bytes, skipping
// a decode and an encode of every value. Users of the pipeline never need it.
//
// The negotiation is per batch, so a source never needs to know its sink:
//
//  1. The split's datasync.Writer implements [Writer] and names the one
//     encoding it accepts, including whatever makes it exact (such as the
//     column types), or "" for none.
//  2. The pipeline offers that encoding on every batch it hands the reader
//     ([Offered]).
//  3. A reader that produces exactly that encoding may fill the batch with
//     [Append]; any other reader ignores the offer and appends values.
//  4. The writer checks [Of]: the offered encoding for encoded rows (read
//     them with [Row]), "" for values.
//
// A batch holds either values or encoded rows, never both. Its rows still
// decode to values when someone asks for them (Batch.Row, for a rejected row
// going to the dirty-data collector), through the [Decoder] the reader gave.
package encoded

import (
	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/batchhook"
)

// Writer is implemented by a datasync.Writer that accepts rows in an
// encoding of its own as well as values.
type Writer interface {
	datasync.Writer
	// AcceptedEncoding names the encoding the writer accepts, "" for none.
	AcceptedEncoding() string
}

// Decoder turns one encoded row back into values, storing variable-width
// payloads in b (see Batch.Copy).
type Decoder func(row []byte, dst datasync.Record, b *datasync.Batch) error

// hooks reach the batch's unexported state; the root registered them in its
// init, which ran before this package's variables were initialised.
var hooks = batchhook.Get[datasync.Batch, datasync.Record]()

// Offered returns the encoding the writer of b accepts, "" when it accepts
// none.
func Offered(b *datasync.Batch) string { return hooks.Offered(b) }

// Of returns the encoding of b's rows when they are encoded, "" when they
// are values.
func Of(b *datasync.Batch) string { return hooks.Encoding(b) }

// Append appends one row in the offered encoding to b, copying it. size is
// what the row's values would count for in Value.Size terms; decode turns the
// row back into values when they are needed. It panics when b holds values
// or no encoding was offered: that is a bug in the reader.
func Append(b *datasync.Batch, row []byte, size int, decode Decoder) {
	hooks.Append(b, row, size, decode)
}

// Row returns the bytes of encoded row i of b, aliasing the batch.
func Row(b *datasync.Batch, i int) []byte { return hooks.Row(b, i) }
