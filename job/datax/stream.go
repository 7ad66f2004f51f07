package datax

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/stream"
	"github.com/datasync-go/datasync/job"
)

// streamReaderParams is streamreader's parameter object.
type streamReaderParams struct {
	Column           []streamColumn `json:"column" datasync:"required"`
	SliceRecordCount int64          `json:"sliceRecordCount" datasync:"required"`
}

// streamColumn is one column of streamreader, of a DataX type; random and
// incr are "min,max" and "start,step".
type streamColumn struct {
	Name   string          `json:"name"`
	Type   string          `json:"type" datasync:"required"`
	Value  json.RawMessage `json:"value"`
	Random string          `json:"random"`
	Incr   string          `json:"incr"`
}

// streamTypes are streamreader's column types. Its "date" holds a time of
// day, so it is a Timestamp.
var streamTypes = map[string]datasync.Kind{
	"long": datasync.KindInt, "int": datasync.KindInt, "double": datasync.KindFloat,
	"string": datasync.KindString, "bool": datasync.KindBool, "boolean": datasync.KindBool,
	"date": datasync.KindTimestamp, "bytes": datasync.KindBytes, "decimal": datasync.KindDecimal,
	"json": datasync.KindJSON,
}

// streamWriterParams is streamwriter's parameter object.
type streamWriterParams struct {
	// Print writes the records (the default); false drops them.
	Print          *bool   `json:"print"`
	FieldDelimiter string  `json:"fieldDelimiter"`
	NullFormat     *string `json:"nullFormat"`
	// Path and FileName send the lines to the file FileName in the
	// directory Path instead of standard output, as DataX's streamwriter
	// does: the directory is made and the file replaced when the job
	// starts.
	Path     string `json:"path"`
	FileName string `json:"fileName"`
}

// registerStream registers DataX's "streamreader" and "streamwriter".
func registerStream(r *job.Registry) {
	r.Register("streamreader", job.Connector{Source: job.SourceFunc(newStreamSource).Accepting(acceptedFor("streamreader", nil)...)})
	r.Register("streamwriter", job.Connector{Sink: job.SinkFunc(newStreamSink).Accepting(acceptedFor("streamwriter", nil)...)})
}

// newStreamSource translates the columns' types; a column of an unknown type
// is reported with the connector's own findings on the other columns.
func newStreamSource(p *streamReaderParams) (datasync.Source, error) {
	cfg := stream.SourceConfig{RecordsPerSplit: p.SliceRecordCount}
	var errs []error
	for i, c := range p.Column {
		k, ok := streamTypes[strings.ToLower(strings.TrimSpace(c.Type))]
		if !ok {
			errs = append(errs, &job.ParamError{Path: fmt.Sprintf("column[%d]", i),
				Err: fmt.Errorf("type %q is not one of long, double, string, bool, date, bytes, decimal, json", c.Type)})
			k = datasync.KindString // so that the column's other settings are checked
		}
		col := stream.ColumnSpec{Name: c.Name, Type: k, Value: c.Value}
		if c.Random != "" {
			lo, hi, err := twoNumbers(c.Random)
			if err != nil {
				errs = append(errs, &job.ParamError{Path: fmt.Sprintf("column[%d].random", i), Err: err})
			}
			col.Random = &stream.Range{Min: lo, Max: hi}
		}
		if c.Incr != "" {
			start, step, err := twoNumbers(c.Incr)
			if err != nil {
				errs = append(errs, &job.ParamError{Path: fmt.Sprintf("column[%d].incr", i), Err: err})
			}
			col.Incr = &stream.Sequence{Start: start, Step: step}
		}
		cfg.Column = append(cfg.Column, col)
	}
	src, err := stream.NewSource(cfg)
	if err = errors.Join(append(errs, err)...); err != nil {
		return nil, err
	}
	return src, nil
}

// twoNumbers reads DataX's "a,b" form of random and incr.
func twoNumbers(spec string) (float64, float64, error) {
	a, b, ok := strings.Cut(spec, ",")
	if !ok {
		return 0, 0, fmt.Errorf("%q: want two numbers separated by a comma", spec)
	}
	x, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	y, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("%q: want two numbers separated by a comma", spec)
	}
	return x, y, nil
}

func newStreamSink(p *streamWriterParams) (datasync.Sink, error) {
	cfg := stream.SinkConfig{Discard: p.Print != nil && !*p.Print, FieldDelimiter: p.FieldDelimiter}
	if p.NullFormat != nil {
		if *p.NullFormat == "" {
			return nil, &job.ParamError{Path: "nullFormat", Err: errors.New(`the empty text is not supported: streamwriter prints NULL as some text ("null" by default)`)}
		}
		cfg.NullText = *p.NullFormat
	}
	// DataX writes to the file only when both are given.
	if strings.TrimSpace(p.Path) == "" || strings.TrimSpace(p.FileName) == "" {
		return stream.NewSink(cfg)
	}
	if strings.ContainsAny(p.FileName, `/\`) {
		return nil, &job.ParamError{Path: "fileName", Err: fmt.Errorf("%q must be a name, not a path (put the directory in path)", p.FileName)}
	}
	out := &streamFile{path: filepath.Join(p.Path, p.FileName)}
	cfg.Out = out
	sink, err := stream.NewSink(cfg)
	if err != nil {
		return nil, err
	}
	return &streamFileSink{Sink: sink, file: out}, nil
}

// streamFileSink is a streamwriter that prints to a file.
type streamFileSink struct {
	*stream.Sink
	file *streamFile
}

// Prepare makes the directory and replaces the file, as DataX does when
// the job starts.
func (s *streamFileSink) Prepare(ctx context.Context, schema datasync.Schema) error {
	if err := s.file.open(); err != nil {
		return err
	}
	return s.Sink.Prepare(ctx, schema)
}

// Close closes the file.
func (s *streamFileSink) Close() error { return s.file.Close() }

// streamFile is the file a streamwriter prints to, opened by Prepare.
type streamFile struct {
	path string
	mu   sync.Mutex
	f    *os.File
}

func (f *streamFile) open() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.f != nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
		return fmt.Errorf("streamwriter: %w", err)
	}
	file, err := os.OpenFile(f.path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return fmt.Errorf("streamwriter: %w", err)
	}
	f.f = file
	return nil
}

func (f *streamFile) Write(b []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.f == nil {
		return 0, errors.New("streamwriter: write before the job started")
	}
	return f.f.Write(b)
}

// Close closes the file, if it was opened.
func (f *streamFile) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.f == nil {
		return nil
	}
	err := f.f.Close()
	f.f = nil
	return err
}
