package stream

import (
	"bufio"
	"context"
	"io"
	"os"
	"sync"

	"github.com/datasync-go/datasync"
)

// DefaultNullText is how the sink prints NULL when SinkConfig.NullText is
// empty, as DataX's streamwriter does.
const DefaultNullText = "null"

// SinkConfig configures a Sink.
type SinkConfig struct {
	// Discard drops the records instead of printing them.
	Discard bool `json:"discard,omitempty"`
	// FieldDelimiter separates values on a printed line (default a tab).
	FieldDelimiter string `json:"fieldDelimiter,omitempty"`
	// NullText is how NULL is printed; DefaultNullText ("null") when empty.
	NullText string `json:"nullText,omitempty"`
	// Out is where lines go (default standard output).
	Out io.Writer `json:"-"`
}

// Sink is the streamwriter sink. Lines of different splits never interleave
// within a line; each Write's lines reach Out together.
type Sink struct {
	cfg   SinkConfig
	print bool
	null  string
	mu    sync.Mutex
}

// NewSink returns the sink.
func NewSink(cfg SinkConfig) (*Sink, error) {
	if cfg.FieldDelimiter == "" {
		cfg.FieldDelimiter = "\t"
	}
	if cfg.Out == nil {
		cfg.Out = os.Stdout
	}
	s := &Sink{cfg: cfg, print: !cfg.Discard, null: cfg.NullText}
	if s.null == "" {
		s.null = DefaultNullText
	}
	return s, nil
}

// Prepare does nothing.
func (s *Sink) Prepare(context.Context, datasync.Schema) error { return nil }

// Open returns a writer.
func (s *Sink) Open(context.Context, datasync.Split) (datasync.Writer, error) {
	return &writer{s: s, out: bufio.NewWriterSize(s.cfg.Out, 64<<10)}, nil
}

type writer struct {
	s    *Sink
	out  *bufio.Writer
	line []byte
}

func (w *writer) Write(_ context.Context, b *datasync.Batch) error {
	if !w.s.print {
		return nil
	}
	w.s.mu.Lock() // whole batches, so that lines of two splits never mix
	defer w.s.mu.Unlock()
	for i := range b.Len() {
		w.line = w.line[:0]
		for c, v := range b.Row(i) {
			if c > 0 {
				w.line = append(w.line, w.s.cfg.FieldDelimiter...)
			}
			if v.IsNull() {
				w.line = append(w.line, w.s.null...)
			} else {
				w.line = v.AppendTo(w.line)
			}
		}
		w.line = append(w.line, '\n')
		if _, err := w.out.Write(w.line); err != nil {
			return err
		}
	}
	return w.out.Flush()
}

func (w *writer) Flush(context.Context) error { return nil }
func (w *writer) Close() error                { return nil }
