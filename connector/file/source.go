package file

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/textcodec"
	"github.com/datasync-go/datasync/connector/text"
)

// Source reads local text files. It is safe for concurrent use.
type Source struct {
	cfg  SourceConfig
	spec *textcodec.ReadSpec

	mu    sync.Mutex
	files []fileInfo // expanded once, so that every Plan plans the same splits
}

// NewSource checks cfg and returns a Source. It reads nothing yet: paths
// are resolved by Schema, Plan and Check.
func NewSource(cfg SourceConfig) (*Source, error) {
	spec, err := textcodec.CompileRead(cfg.ReadOptions)
	if err != nil {
		return nil, fmt.Errorf("file: %w", err)
	}
	if len(cfg.Path) == 0 {
		return nil, errors.New("file: path is empty: name the files to read")
	}
	return &Source{cfg: cfg, spec: spec}, nil
}

// String describes the source.
func (s *Source) String() string { return fmt.Sprintf("file source %q", s.cfg.Path) }

// list returns the files to read, resolving the paths the first time.
func (s *Source) list() ([]fileInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.files != nil {
		return s.files, nil
	}
	files, err := expand(s.cfg.Path)
	if err != nil {
		return nil, err
	}
	s.files = files
	return files, nil
}

// Schema returns the columns: the configured ones, or, for columns "*" or
// index columns named by the header, those the first file shows.
func (s *Source) Schema(ctx context.Context) (datasync.Schema, error) {
	var probe *textcodec.Probe
	if s.spec.NeedsProbe() {
		files, err := s.list()
		if err != nil {
			return nil, err
		}
		if probe, err = s.probe(files[0].path); err != nil {
			return nil, err
		}
	}
	schema, err := s.spec.Resolve(probe)
	if err != nil {
		return nil, fmt.Errorf("file: %w", err)
	}
	return schema, nil
}

func (s *Source) probe(path string) (*textcodec.Probe, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("file: %w", err)
	}
	defer f.Close()
	p, err := s.spec.ProbeStream(f, path)
	if err != nil {
		return nil, fmt.Errorf("file: %w", err)
	}
	return p, nil
}

// Plan returns one split per file, and byte ranges of SplitSize for large
// uncompressed files that can be split (text, jsonl, and csv with
// NoQuotedNewlines). IDs are file-<n> (and file-<n>-<range>), n counting the
// sorted files from 0.
func (s *Source) Plan(ctx context.Context, _ datasync.PlanHint) ([]datasync.Split, error) {
	files, err := s.list()
	if err != nil {
		return nil, err
	}
	var splits []datasync.Split
	for i, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		specs, err := s.spec.PlanFile(f.path, f.size, func() (*textcodec.Probe, error) { return s.probe(f.path) })
		if err != nil {
			return nil, err
		}
		fileSplits, err := textcodec.Splits("file", i, specs)
		if err != nil {
			return nil, err
		}
		splits = append(splits, fileSplits...)
	}
	return splits, nil
}

// Open returns a reader of split sp from checkpoint from.
func (s *Source) Open(ctx context.Context, sp datasync.Split, from datasync.Checkpoint) (datasync.Reader, error) {
	if _, err := s.Schema(ctx); err != nil {
		return nil, err
	}
	spec, err := textcodec.DecodeSplit(sp, "file")
	if err != nil {
		return nil, fmt.Errorf("file: %w", err)
	}
	r, err := s.spec.OpenReader(ctx, opener(spec), spec, from, textcodec.ReaderOptions{})
	if err != nil {
		return nil, fmt.Errorf("file: %w", err)
	}
	return r, nil
}

// opener reads a file from an offset.
type opener textcodec.SplitSpec

func (o opener) OpenAt(_ context.Context, offset int64) (io.ReadCloser, error) {
	f, err := os.Open(o.Name)
	if err != nil {
		return nil, err
	}
	if !textcodec.SplitSpec(o).Whole() {
		// A byte range was planned for the file as it was then.
		info, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		if info.Size() != o.Size {
			f.Close()
			return nil, &text.FileError{Name: o.Name, Err: fmt.Errorf("its size changed from %d to %d bytes since the job was planned", o.Size, info.Size())}
		}
	}
	if offset > 0 {
		if _, err := f.Seek(offset, io.SeekStart); err != nil {
			f.Close()
			return nil, err
		}
	}
	return f, nil
}

// Check resolves the paths and opens every file, without reading rows: the
// paths must name files this process can read, and the first file must
// have the columns the configuration names.
func (s *Source) Check(ctx context.Context) error {
	files, err := s.list()
	if err != nil {
		return err
	}
	var errs []error
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		fh, err := os.Open(f.path)
		if err != nil {
			errs = append(errs, fmt.Errorf("file: %w", err))
			continue
		}
		fh.Close()
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if _, err := s.Schema(ctx); err != nil {
		return err
	}
	// The first file must have the columns the configuration names.
	p, err := s.probe(files[0].path)
	if err != nil {
		return err
	}
	if err := s.spec.CheckProbe(p); err != nil {
		return fmt.Errorf("file: %s: %w", files[0].path, err)
	}
	return nil
}
