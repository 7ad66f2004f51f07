package textcodec

import (
	"context"
	"fmt"
	"io"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/text"
)

// SplitSpec describes one split of a file source: a whole file, or a byte
// range of a large one. File and OSS sources store it as the split's Spec.
type SplitSpec struct {
	Name   string   `json:"name"`             // the path or object key
	Size   int64    `json:"size"`             // the file's size when planned
	Start  int64    `json:"start,omitempty"`  // the byte range [Start, End); End 0 for the whole file
	End    int64    `json:"end,omitempty"`    //
	Fields int      `json:"fields,omitempty"` // fields per record, for a range starting inside the file
	Header []string `json:"header,omitempty"` // the file's header, for such a range
	ETag   string   `json:"etag,omitempty"`   // the object's version (OSS)
}

// Whole reports whether the split is a whole file.
func (s SplitSpec) Whole() bool { return s.Start == 0 && s.End == 0 }

// PlanFile returns the splits of one file of the given size: the whole
// file, or byte ranges of about SplitSize when the file is large, its format
// splittable, and probe (which reads its start) finds it uncompressed.
func (s *ReadSpec) PlanFile(name string, size int64, probe func() (*Probe, error)) ([]SplitSpec, error) {
	whole := []SplitSpec{{Name: name, Size: size}}
	if s.splitSize <= 0 || !s.splittable || size <= s.splitSize || s.compress == text.CompressionGzip || s.compress == text.CompressionZstd || s.compress == text.CompressionBzip2 {
		return whole, nil
	}
	p, err := probe()
	if err != nil {
		return nil, err
	}
	if p.Compression != text.CompressionNone {
		return whole, nil
	}
	n := (size + s.splitSize - 1) / s.splitSize
	splits := make([]SplitSpec, 0, n)
	for i := range n {
		sp := SplitSpec{Name: name, Size: size, Start: size * i / n, End: size * (i + 1) / n, Fields: p.Fields, Header: p.Header}
		if i == 0 {
			sp.Fields, sp.Header = 0, nil // the first range reads them itself
		}
		splits = append(splits, sp)
	}
	return splits, nil
}

// ProbeStream reads the start of a file's raw bytes: its compression, its
// header (with SkipHeader), and the field count (or, for jsonl, the keys) of
// its first record.
func (s *ReadSpec) ProbeStream(raw io.Reader, name string) (*Probe, error) {
	stream, comp, err := openStream(raw, s.compress, name)
	if err != nil {
		return nil, err
	}
	defer stream.close()
	d := &Decoder{spec: s, name: name, src: stream, buf: make([]byte, 64<<10), dec: s.cs.newDecoder(), maxIndex: -1}
	if err := d.readHead(); err != nil {
		return nil, err
	}
	p := &Probe{Compression: comp, Header: d.pos.Header, Fields: d.pos.Fields}
	if p.Fields > 0 && s.format != text.FormatJSONL {
		return p, nil
	}
	for {
		rec, n, lines, err := d.nextRecord()
		if err == io.EOF {
			return p, nil
		}
		if err != nil {
			return nil, err
		}
		if len(rec) == 0 {
			d.consume(n, lines) // a blank line: look at the next
			continue
		}
		utf, err := d.toUTF8(rec)
		if err != nil {
			return nil, &text.FileError{Name: name, Err: fmt.Errorf("line %d: %w", d.pos.Line+1, err)}
		}
		if s.format == text.FormatJSONL {
			d.probeKeys = &p.Keys
			if err := d.scanJSONLine(utf); err != nil {
				return nil, &text.FileError{Name: name, Err: fmt.Errorf("line %d: %w", d.pos.Line+1, err)}
			}
			return p, nil
		}
		if err := d.split(utf, lines > 1); err != nil {
			return nil, &text.FileError{Name: name, Err: fmt.Errorf("line %d: %w", d.pos.Line+1, err)}
		}
		p.Fields = len(d.fields)
		return p, nil
	}
}

// Opener opens the raw bytes of one file from an offset.
type Opener interface {
	OpenAt(ctx context.Context, offset int64) (io.ReadCloser, error)
}

// CRCReporter is implemented by the streams of an Opener that know the
// CRC-64 of the whole file (OSS objects).
type CRCReporter interface {
	CRC64() (uint64, bool)
}

// Splits returns the splits of the index-th file (or object) of a plan,
// one per spec, with IDs kind-NNNNN, or kind-NNNNN-JJJJ when the file is
// split by byte ranges.
func Splits(kind string, index int, specs []SplitSpec) ([]datasync.Split, error) {
	splits := make([]datasync.Split, 0, len(specs))
	for j, sp := range specs {
		id := fmt.Sprintf("%s-%05d", kind, index)
		if len(specs) > 1 {
			id = fmt.Sprintf("%s-%05d-%04d", kind, index, j)
		}
		split, err := datasync.NewSplit(id, sp, 0)
		if err != nil {
			return nil, err
		}
		splits = append(splits, split)
	}
	return splits, nil
}

// DecodeSplit returns the spec of a split that Splits made; kind ("file",
// "object") names what it reads in the error when it names none.
func DecodeSplit(sp datasync.Split, kind string) (SplitSpec, error) {
	var spec SplitSpec
	if err := sp.DecodeSpec(&spec); err != nil {
		return spec, err
	}
	if spec.Name == "" {
		return spec, fmt.Errorf("split %q names no %s", sp.ID, kind)
	}
	return spec, nil
}
