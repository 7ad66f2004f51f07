package file

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/textcodec"
	"github.com/datasync-go/datasync/connector/text"
)

const tmpSuffix = ".tmp"

// writer writes the files of one split under temporary names; Commit
// renames them into place, Close without Commit removes them. A retried
// split gets a new writer, which starts its files over.
type writer struct {
	s     *Sink
	split datasync.Split
	sw    *textcodec.StreamWriter
	files splitFiles
	// random is the random part of the names with NameRandom.
	random string

	committed bool
	closed    bool
}

// splitFiles are the files a writer creates: the textcodec.Outputs of its
// stream writer.
type splitFiles struct {
	w         *writer
	outs      []*output
	cur       *output
	published []string // final paths a failed commit already renamed into place
}

// output is one file of the split.
type output struct {
	tmp, final string // full paths
	f          *os.File
}

// Open starts file n of the split.
func (fs *splitFiles) Open(n int) (io.Writer, error) {
	final := fs.w.finalPath(n)
	f, err := createTemp(filepath.Dir(final), filepath.Base(final))
	if err != nil {
		return nil, fmt.Errorf("file: %w", err)
	}
	fs.cur = &output{tmp: f.Name(), final: final, f: f}
	fs.outs = append(fs.outs, fs.cur)
	return f, nil
}

// Close ends the current file: its bytes reach the disk before it may be
// renamed into place.
func (fs *splitFiles) Close() error {
	o := fs.cur
	fs.cur = nil
	if o == nil || o.f == nil {
		return nil
	}
	err := o.f.Sync()
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	o.f = nil
	if err != nil {
		return fmt.Errorf("file: %w", err)
	}
	return nil
}

// finalPath returns where file n of the split goes when committed: the
// staged part of a single file, or <FileName>_<split>[_<n+1>]<suffix>.
func (w *writer) finalPath(n int) string {
	s := w.s
	if s.cfg.SingleFile {
		return filepath.Join(s.stagingDir(), safeID(w.split.ID)+".part")
	}
	name := s.cfg.FileName + "_" + safeID(w.split.ID)
	if s.cfg.Naming == NameRandom {
		if w.random == "" {
			w.random = dataXSuffix()
		}
		name = s.cfg.FileName + "__" + w.random
	}
	if s.cfg.MaxFileBytes > 0 {
		name += "_" + strconv.Itoa(n+1)
	}
	return filepath.Join(s.cfg.Path, name+s.suffix)
}

// Write encodes b; rows the format or encoding cannot hold come back as a
// *datasync.RowErrors.
func (w *writer) Write(_ context.Context, b *datasync.Batch) error {
	if w.committed || w.closed {
		return errors.New("file: write after commit or close")
	}
	return w.sw.Write(b)
}

// Flush hands the buffered bytes to the file. Nothing is visible before
// Commit.
func (w *writer) Flush(context.Context) error { return w.sw.Flush() }

// Commit finishes the split's files and renames them into place, as the
// write mode says: truncate replaces a file of the same name, nonConflict
// fails if one exists, append picks a new name.
func (w *writer) Commit(ctx context.Context) error {
	if w.committed {
		return nil
	}
	if err := w.sw.Close(); err != nil {
		return err
	}
	for _, o := range w.files.outs {
		if err := ctx.Err(); err != nil {
			return err
		}
		final, err := w.publish(o)
		if err != nil {
			return err
		}
		w.files.published = append(w.files.published, final)
		o.tmp = ""
	}
	if err := syncDir(filepath.Dir(w.finalPath(0))); err != nil {
		return err
	}
	w.committed = true
	return nil
}

// publish renames one finished file into place and returns its name.
func (w *writer) publish(o *output) (string, error) {
	mode := w.s.mode
	if w.s.cfg.SingleFile {
		mode = text.WriteTruncate // a part replaces the part of an earlier attempt
	}
	switch mode {
	case text.WriteTruncate:
		if err := os.Rename(o.tmp, o.final); err != nil {
			return "", fmt.Errorf("file: %w", err)
		}
		return o.final, nil
	case text.WriteNonConflict:
		if err := linkNew(o.tmp, o.final); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return "", fmt.Errorf("file: writeMode nonConflict: %q appeared while the job ran", o.final)
			}
			return "", fmt.Errorf("file: %w", err)
		}
		return o.final, nil
	}
	// append: never replace a file; take a new name when this one is used.
	final := o.final
	for range 10 {
		err := linkNew(o.tmp, final)
		if err == nil {
			return final, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("file: %w", err)
		}
		ext := w.s.suffix
		base := strings.TrimSuffix(o.final, ext)
		final = base + "_" + randomSuffix() + ext
	}
	return "", fmt.Errorf("file: no free name for %q", o.final)
}

// linkNew renames tmp to final unless final exists. It links and then
// unlinks, which is atomic where hard links work, and falls back to a
// checked rename where they do not.
func linkNew(tmp, final string) error {
	err := os.Link(tmp, final)
	if err == nil {
		return os.Remove(tmp)
	}
	if errors.Is(err, fs.ErrExist) {
		return err
	}
	if _, serr := os.Lstat(final); serr == nil {
		return fs.ErrExist
	}
	return os.Rename(tmp, final)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("file: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("file: sync %q: %w", dir, err)
	}
	return nil
}

// Close releases the writer. Without a successful Commit it removes every
// file the split made, temporary or already renamed by a commit that
// failed midway, so that nothing of a failed split remains.
func (w *writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.committed {
		return nil
	}
	var errs []error
	if o := w.files.cur; o != nil && o.f != nil {
		o.f.Close()
		o.f = nil
	}
	for _, o := range w.files.outs {
		if o.tmp != "" {
			if err := os.Remove(o.tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	for _, p := range w.files.published {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("file: clean up split %q: %w", w.split.ID, errors.Join(errs...))
	}
	return nil
}
