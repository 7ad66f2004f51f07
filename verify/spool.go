package verify

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// entry is one row of a side: its key's sort key and text, and its hash.
type entry struct {
	sk   []byte
	text string
	h    rowHash
}

// spool collects a side's entries and gives them back in key order,
// holding at most limit in memory: beyond that, sorted runs are written to
// temporary files and merged at the end (an external sort).
type spool struct {
	limit int
	dir   string
	buf   []entry
	runs  []*os.File
	rows  int64
}

func newSpool(limit int, dir string) *spool { return &spool{limit: limit, dir: dir} }

// add adds e, spilling a sorted run when the buffer is full.
func (s *spool) add(e entry) error {
	s.buf = append(s.buf, e)
	s.rows++
	if len(s.buf) < s.limit {
		return nil
	}
	return s.spill()
}

func sortEntries(es []entry) {
	slices.SortFunc(es, func(a, b entry) int { return bytes.Compare(a.sk, b.sk) })
}

// spill writes the buffer, sorted, as a run file.
func (s *spool) spill() error {
	sortEntries(s.buf)
	f, err := os.CreateTemp(s.dir, "datasync-verify-*")
	if err != nil {
		return fmt.Errorf("spill to a temporary file: %w", err)
	}
	s.runs = append(s.runs, f)
	w := bufio.NewWriterSize(f, 1<<16)
	var n [binary.MaxVarintLen64]byte
	for _, e := range s.buf {
		w.Write(n[:binary.PutUvarint(n[:], uint64(len(e.sk)))])
		w.Write(e.sk)
		w.Write(n[:binary.PutUvarint(n[:], uint64(len(e.text)))])
		w.WriteString(e.text)
		var h [16]byte
		binary.LittleEndian.PutUint64(h[:8], e.h.lo)
		binary.LittleEndian.PutUint64(h[8:], e.h.hi)
		w.Write(h[:])
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("spill to a temporary file: %w", err)
	}
	clear(s.buf)
	s.buf = s.buf[:0]
	return nil
}

// close removes the run files.
func (s *spool) close() error {
	var errs []error
	for _, f := range s.runs {
		errs = append(errs, f.Close(), os.Remove(f.Name()))
	}
	s.runs = nil
	return errors.Join(errs...)
}

// iterator yields entries in key order.
type iterator interface {
	next() (entry, bool, error)
}

// sorted returns the entries in key order: the buffer, merged with the
// runs.
func (s *spool) sorted() (iterator, error) {
	sortEntries(s.buf)
	its := []iterator{&sliceIter{es: s.buf}}
	for _, f := range s.runs {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		its = append(its, &fileIter{r: bufio.NewReaderSize(f, 1<<16)})
	}
	if len(its) == 1 {
		return its[0], nil
	}
	return newMerge(its)
}

type sliceIter struct {
	es []entry
	i  int
}

func (it *sliceIter) next() (entry, bool, error) {
	if it.i >= len(it.es) {
		return entry{}, false, nil
	}
	it.i++
	return it.es[it.i-1], true, nil
}

type fileIter struct{ r *bufio.Reader }

func (it *fileIter) next() (entry, bool, error) {
	n, err := binary.ReadUvarint(it.r)
	if err == io.EOF {
		return entry{}, false, nil
	}
	if err != nil {
		return entry{}, false, err
	}
	var e entry
	e.sk = make([]byte, n)
	if _, err := io.ReadFull(it.r, e.sk); err != nil {
		return entry{}, false, err
	}
	if n, err = binary.ReadUvarint(it.r); err != nil {
		return entry{}, false, err
	}
	text := make([]byte, n)
	if _, err := io.ReadFull(it.r, text); err != nil {
		return entry{}, false, err
	}
	e.text = string(text)
	var h [16]byte
	if _, err := io.ReadFull(it.r, h[:]); err != nil {
		return entry{}, false, err
	}
	e.h = rowHash{binary.LittleEndian.Uint64(h[:8]), binary.LittleEndian.Uint64(h[8:])}
	return e, true, nil
}

// merge is a k-way merge of sorted iterators.
type merge struct {
	heads []mergeHead
}

type mergeHead struct {
	e  entry
	it iterator
}

func newMerge(its []iterator) (*merge, error) {
	m := &merge{}
	for _, it := range its {
		e, ok, err := it.next()
		if err != nil {
			return nil, err
		}
		if ok {
			m.heads = append(m.heads, mergeHead{e, it})
		}
	}
	heap.Init(m)
	return m, nil
}

func (m *merge) Len() int           { return len(m.heads) }
func (m *merge) Less(i, j int) bool { return bytes.Compare(m.heads[i].e.sk, m.heads[j].e.sk) < 0 }
func (m *merge) Swap(i, j int)      { m.heads[i], m.heads[j] = m.heads[j], m.heads[i] }
func (m *merge) Push(x any)         { m.heads = append(m.heads, x.(mergeHead)) }
func (m *merge) Pop() any {
	h := m.heads[len(m.heads)-1]
	m.heads = m.heads[:len(m.heads)-1]
	return h
}

func (m *merge) next() (entry, bool, error) {
	if len(m.heads) == 0 {
		return entry{}, false, nil
	}
	top := m.heads[0]
	e, ok, err := top.it.next()
	if err != nil {
		return entry{}, false, err
	}
	if ok {
		m.heads[0].e = e
		heap.Fix(m, 0)
	} else {
		heap.Pop(m)
	}
	return top.e, true, nil
}
