package textcodec

import (
	"fmt"
	"io"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/text"
)

// Outputs is where a StreamWriter's bytes go: the files or objects a
// connector's writer creates, one after another.
type Outputs interface {
	// Open starts output n (from 0) and returns where its bytes go.
	Open(n int) (io.Writer, error)
	// Close ends the current output; every byte of it was written.
	Close() error
}

// pushSize is how many encoded bytes a StreamWriter gathers before it
// writes them out.
const pushSize = 256 << 10

// StreamWriter encodes batches into a sequence of outputs, compressed as
// the spec says, each starting with the header line, rolling to the next
// output when one reaches maxBytes.
type StreamWriter struct {
	spec     *WriteSpec
	enc      *Encoder
	outs     Outputs
	maxBytes int64
	noHeader bool
	names    []string // header line and jsonl keys; nil until known
	named    bool

	cur    io.Writer // the open output, nil between outputs
	count  countingWriter
	comp   compressor
	buf    []byte
	rows   int64 // rows in the current output
	opened int
	spill  []byte
	total  int64 // bytes written to all outputs
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// StreamConfig configures a StreamWriter.
type StreamConfig struct {
	// MaxBytes rolls to a new output when the current one reaches it
	// (counted in the bytes written out, after compression); 0 never rolls.
	MaxBytes int64
	// Schema, when known, names the header and jsonl keys before the first
	// batch arrives (an empty split still gets its header).
	Schema datasync.Schema
	// NoHeader leaves the header line out (for parts that are joined later).
	NoHeader bool
}

// NewStreamWriter returns a writer into outs.
func (s *WriteSpec) NewStreamWriter(outs Outputs, cfg StreamConfig) *StreamWriter {
	w := &StreamWriter{spec: s, outs: outs, maxBytes: cfg.MaxBytes, noHeader: cfg.NoHeader}
	w.enc = s.NewEncoder(nil)
	if cfg.Schema != nil || len(s.header) > 0 {
		w.setNames(cfg.Schema.Names())
	}
	return w
}

func (w *StreamWriter) setNames(schemaNames []string) {
	w.names = w.spec.HeaderNames(schemaNames)
	w.named = true
	w.enc.SetNames(w.names)
}

// Write encodes the rows of b. Rows that cannot be written (a value the
// format or the encoding cannot hold) come back in a *datasync.RowErrors;
// every other row is written once.
func (w *StreamWriter) Write(b *datasync.Batch) error {
	if !w.named || (w.spec.format == text.FormatJSONL && len(w.names) < b.Width()) {
		w.setNames(b.Schema().Names())
	}
	var rejected []*datasync.RowError
	for i := range b.Len() {
		if w.cur == nil {
			if err := w.open(); err != nil {
				return err
			}
		}
		row := b.Row(i)
		start := len(w.buf)
		var col int
		var err error
		if w.buf, col, err = w.enc.AppendRow(w.buf, row); err != nil {
			re := &datasync.RowError{Row: int64(i), Err: err}
			if col >= 0 && col < len(b.Schema()) {
				re.Column = b.Schema()[col].Name
				if !row[col].IsNull() && row[col].Kind() != datasync.KindBytes {
					re.Value = row[col].String()
				}
			}
			rejected = append(rejected, re)
			continue
		}
		if w.maxBytes > 0 && w.rows > 0 && w.size() > w.maxBytes {
			// The row starts the next output.
			w.spill = append(w.spill[:0], w.buf[start:]...)
			w.buf = w.buf[:start]
			if err := w.end(); err != nil {
				return err
			}
			if err := w.open(); err != nil {
				return err
			}
			w.buf = append(w.buf, w.spill...)
		}
		w.rows++
		if len(w.buf) >= pushSize {
			if err := w.push(); err != nil {
				return err
			}
		}
	}
	if len(rejected) > 0 {
		return &datasync.RowErrors{Errors: rejected}
	}
	return nil
}

// size is the current output's size, as far as it is known: the bytes
// written out, plus the pending ones when they are not compressed.
func (w *StreamWriter) size() int64 {
	if w.comp != nil {
		return w.count.n
	}
	return w.count.n + int64(len(w.buf))
}

func (w *StreamWriter) open() error {
	out, err := w.outs.Open(w.opened)
	if err != nil {
		return err
	}
	w.opened++
	w.cur = out
	w.count = countingWriter{w: out}
	w.rows = 0
	if w.comp, err = newCompressor(&w.count, w.spec.compress); err != nil {
		return err
	}
	if !w.noHeader && w.spec.HasHeaderLine() && len(w.names) > 0 {
		if w.buf, err = w.enc.AppendHeader(w.buf, w.names); err != nil {
			return err
		}
	}
	return nil
}

// push writes the pending bytes out.
func (w *StreamWriter) push() error {
	if len(w.buf) == 0 || w.cur == nil {
		return nil
	}
	var err error
	if w.comp != nil {
		_, err = w.comp.Write(w.buf)
	} else {
		_, err = w.count.Write(w.buf)
	}
	w.buf = w.buf[:0]
	return err
}

// end finishes the current output.
func (w *StreamWriter) end() error {
	if err := w.push(); err != nil {
		return err
	}
	if w.comp != nil {
		if err := w.comp.Close(); err != nil {
			return fmt.Errorf("finish the compression: %w", err)
		}
		w.comp = nil
	}
	w.total += w.count.n
	w.cur = nil
	return w.outs.Close()
}

// Flush writes the pending bytes to the output (compressors keep their
// own buffers until the output ends).
func (w *StreamWriter) Flush() error { return w.push() }

// Close ends the last output. A writer that wrote no row still makes one
// output (with its header), so that every split leaves a file.
func (w *StreamWriter) Close() error {
	if w.cur == nil && w.opened == 0 {
		if err := w.open(); err != nil {
			return err
		}
	}
	if w.cur == nil {
		return nil
	}
	return w.end()
}

// Outputs returns how many outputs were opened.
func (w *StreamWriter) Outputs() int { return w.opened }

// WriteHeader writes the header line of names to out as a complete output
// of its own (compressed as the spec says): the start of a file whose rows
// are appended from parts written with NoHeader.
func (s *WriteSpec) WriteHeader(out io.Writer, names []string) error {
	if !s.HasHeaderLine() {
		return nil
	}
	names = s.HeaderNames(names)
	if len(names) == 0 {
		return nil
	}
	line, err := s.NewEncoder(nil).AppendHeader(nil, names)
	if err != nil {
		return err
	}
	comp, err := newCompressor(out, s.compress)
	if err != nil {
		return err
	}
	if comp == nil {
		_, err = out.Write(line)
		return err
	}
	if _, err := comp.Write(line); err != nil {
		return err
	}
	return comp.Close()
}
