package textcodec

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/text"
)

// Defaults of the read options.
const (
	DefaultSplitSize     = 64 << 20
	DefaultMaxRecordSize = 64 << 20
)

// ReadSpec is ReadOptions checked and compiled. Its columns may still be
// unresolved ("*", or index columns named from the header) until Resolve
// has seen the first file; it is safe for concurrent use.
type ReadSpec struct {
	format     text.FileFormat
	delim      []byte
	nullText   []byte
	escape     int // -1 for none
	bytesFmt   text.BytesFormat
	cs         *charset
	compress   text.Compression // "" to detect
	skipHeader bool
	splitSize  int64
	splittable bool // whether large uncompressed files may be split
	maxRecord  int

	specs []text.ColumnSpec
	star  bool // columns are "*": every field, named from the header

	mu       sync.Mutex
	resolved []column // nil until resolved
	schema   datasync.Schema
}

// column is one compiled column.
type column struct {
	name     string
	kind     datasync.Kind
	index    int    // field index; -1 when by name or constant
	key      string // header name or jsonl key, when by name
	isConst  bool
	constant datasync.Value
	layout   *layout
}

// CompileRead checks the options and compiles them.
func CompileRead(o text.ReadOptions) (*ReadSpec, error) {
	f, err := compileFormat(o.Format, false)
	if err != nil {
		return nil, err
	}
	s := &ReadSpec{
		format: f.format, delim: f.delim, nullText: f.nullText, escape: f.escape,
		bytesFmt: f.bytesFmt, cs: f.cs, compress: f.compress,
		skipHeader: o.SkipHeader,
		splitSize:  o.SplitSize,
		maxRecord:  o.MaxRecordSize,
	}
	if s.splitSize == 0 {
		s.splitSize = DefaultSplitSize
	}
	if s.maxRecord <= 0 {
		s.maxRecord = DefaultMaxRecordSize
	}
	s.splittable = s.format != text.FormatCSV || o.NoQuotedNewlines
	if len(o.Column) == 0 || (len(o.Column) == 1 && o.Column[0].IsStar()) {
		s.star = true
		return s, nil
	}
	var errs []error
	seen := map[string]bool{}
	for i, c := range o.Column {
		if c.IsStar() {
			errs = append(errs, errors.New(`column "*" must be the only column`))
			continue
		}
		col, err := s.compileColumn(i, c)
		if err != nil {
			errs = append(errs, fmt.Errorf("column %d (%s): %w", i, c, err))
			continue
		}
		if col.name != "" {
			if seen[col.name] {
				errs = append(errs, fmt.Errorf("column %d: the name %q is used twice", i, col.name))
			}
			seen[col.name] = true
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	s.specs = o.Column
	return s, nil
}

func (s *ReadSpec) compileColumn(i int, c text.ColumnSpec) (column, error) {
	col := column{name: c.Name, index: -1, kind: datasync.KindString}
	switch {
	case c.Type == datasync.KindNull: // the default: String
	case slices.Contains(datasync.Kinds(), c.Type):
		col.kind = c.Type
	default:
		return col, fmt.Errorf("type %v is not a kind", c.Type)
	}
	l, err := compileLayout(c.Format)
	if err != nil {
		return col, err
	}
	if l != nil {
		switch col.kind {
		case datasync.KindDate, datasync.KindTime, datasync.KindTimestamp:
		default:
			return col, fmt.Errorf("format is for date, time and timestamp columns, not %s", col.kind)
		}
		if col.kind == datasync.KindDate && l.hasTime {
			// DataX's "date" holds a time of day: read it as a timestamp.
			col.kind = datasync.KindTimestamp
		}
	}
	col.layout = l
	switch {
	case c.Value != nil:
		if c.Index != nil {
			return col, errors.New("a column has an index or a value, not both")
		}
		col.isConst = true
		if col.name == "" {
			col.name = "const" + strconv.Itoa(i)
		}
		v, err := parseConstant(*c.Value, col)
		if err != nil {
			return col, err
		}
		col.constant = v
	case c.Index != nil:
		if *c.Index < 0 {
			return col, fmt.Errorf("index %d is negative", *c.Index)
		}
		col.index = *c.Index
	case c.Name != "":
		if s.format != text.FormatJSONL && !s.skipHeader {
			return col, fmt.Errorf("a column given by name needs a header line to find it in: set skipHeader (or give an index)")
		}
		col.key = c.Name
	default:
		return col, errors.New("a column needs an index, a name or a value")
	}
	return col, nil
}

// parseConstant parses the text of a constant column.
func parseConstant(text string, col column) (datasync.Value, error) {
	b := datasync.NewBatch(datasync.Schema{{Name: col.name, Kind: col.kind}}, 1, 1<<20)
	var p fieldParser
	v, err := p.parse(b, []byte(text), &col)
	if err != nil {
		return datasync.Value{}, fmt.Errorf("value %q: %w", text, err)
	}
	return v.Clone(), nil
}

// FileFormat returns the file format.
func (s *ReadSpec) FileFormat() text.FileFormat { return s.format }

// Splittable reports whether a large file in compression c (as detected)
// may be read in byte ranges.
func (s *ReadSpec) Splittable(c text.Compression) bool {
	return s.splitSize > 0 && s.splittable && c == text.CompressionNone
}

// SplitSize returns the target size of byte-range splits.
func (s *ReadSpec) SplitSize() int64 { return s.splitSize }

// Compression returns the compress setting: "" to detect.
func (s *ReadSpec) Compression() text.Compression { return s.compress }

// NeedsProbe reports whether the schema depends on the first file (columns
// "*", or index columns that take their names from the header) and is not
// resolved yet.
func (s *ReadSpec) NeedsProbe() bool {
	s.mu.Lock()
	resolved := s.resolved != nil
	s.mu.Unlock()
	if resolved {
		return false
	}
	if s.star {
		return true
	}
	if !s.skipHeader {
		return false
	}
	for _, c := range s.specs {
		if c.Index != nil && c.Name == "" && c.Value == nil {
			return true
		}
	}
	return false
}

// Probe is what the start of the first file says about its columns.
type Probe struct {
	Compression text.Compression // as detected
	Header      []string         // the header's names, with SkipHeader
	Fields      int              // fields of the first record (or of the header); 0 for jsonl
	Keys        []string         // for jsonl: the keys of the first object
}

// Resolve fixes the columns, with the probe of the first file when
// NeedsProbe says it is needed (nil otherwise), and returns the schema. Once
// resolved, later calls return the same schema.
func (s *ReadSpec) Resolve(p *Probe) (datasync.Schema, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.resolved != nil {
		return s.schema, nil
	}
	var cols []column
	if s.star {
		if p == nil {
			return nil, errors.New(`columns "*" need the first file to count its fields, and there is none`)
		}
		switch {
		case s.format == text.FormatJSONL:
			if len(p.Keys) == 0 {
				return nil, errors.New(`columns "*" of jsonl need a first line that is a JSON object with keys`)
			}
			for i, k := range p.Keys {
				name := k
				if name == "" {
					name = "col" + strconv.Itoa(i) // as an empty header name is
				}
				cols = append(cols, column{name: name, key: k, index: -1, kind: datasync.KindString})
			}
		default:
			n := p.Fields
			if len(p.Header) > 0 {
				n = len(p.Header)
			}
			if n == 0 {
				return nil, errors.New(`columns "*" need a first line to count its fields, and the first file is empty`)
			}
			for i := range n {
				name := "col" + strconv.Itoa(i)
				if i < len(p.Header) && p.Header[i] != "" {
					name = p.Header[i]
				}
				cols = append(cols, column{name: name, index: i, kind: datasync.KindString})
			}
		}
	} else {
		for i, c := range s.specs {
			col, err := s.compileColumn(i, c)
			if err != nil {
				return nil, err
			}
			if col.name == "" {
				col.name = "col" + strconv.Itoa(col.index)
				if p != nil && col.index < len(p.Header) && p.Header[col.index] != "" {
					col.name = p.Header[col.index]
				}
			}
			cols = append(cols, col)
		}
	}
	schema := make(datasync.Schema, len(cols))
	seen := map[string]bool{}
	for i, c := range cols {
		if seen[c.name] {
			return nil, fmt.Errorf("two columns are named %q", c.name)
		}
		seen[c.name] = true
		schema[i] = datasync.Column{Name: c.name, Kind: c.kind, Nullable: !c.isConst, Native: nativeName(c)}
		if c.kind == datasync.KindTimestamp || c.kind == datasync.KindTime {
			schema[i].Precision = 6
		}
	}
	s.resolved, s.schema = cols, schema
	return schema, nil
}

func nativeName(c column) string {
	n := strings.ToLower(c.kind.String())
	if c.layout != nil {
		n += " " + strconv.Quote(c.layout.pattern)
	}
	return n
}

// columns returns the resolved columns, or fails when Resolve has not run.
func (s *ReadSpec) columns() ([]column, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.resolved == nil {
		return nil, errors.New("textcodec: columns not resolved (Source.Schema must run first)")
	}
	return s.resolved, nil
}

// NeedsHeaderNames reports whether columns are found by header name, so
// that every file's header must be read.
func (s *ReadSpec) needsHeaderNames(cols []column) bool {
	if s.format == text.FormatJSONL {
		return false
	}
	for _, c := range cols {
		if c.key != "" && !c.isConst {
			return true
		}
	}
	return false
}

// SkipHeader reports whether files start with a header line.
func (s *ReadSpec) SkipHeader() bool { return s.skipHeader }

// CheckProbe checks that a file whose start p describes has what the
// resolved columns read: the header names of columns given by name, and
// enough fields for the columns given by index.
func (s *ReadSpec) CheckProbe(p *Probe) error {
	cols, err := s.columns()
	if err != nil {
		return err
	}
	if s.format == text.FormatJSONL {
		return nil
	}
	maxIndex := -1
	for _, c := range cols {
		switch {
		case c.isConst:
		case c.key != "":
			i := indexOf(p.Header, c.key)
			if i < 0 {
				return fmt.Errorf("the header has no column %q (it has %s)", c.key, quoteList(p.Header))
			}
			maxIndex = max(maxIndex, i)
		default:
			maxIndex = max(maxIndex, c.index)
		}
	}
	if p.Fields > 0 && maxIndex >= p.Fields {
		return fmt.Errorf("a column reads field %d (from 0) but the first record has %d fields", maxIndex, p.Fields)
	}
	return nil
}
