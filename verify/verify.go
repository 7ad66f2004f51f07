// Package verify compares a job's source with its target without moving
// data: row counts and content checksums per key range, narrowed down to
// the rows that differ.
//
// Both sides are read through their datasync.Source (a target is read as a
// source: the job layer builds one from a writer's settings). Each row's
// values are rendered in one canonical text per kind of the source's
// column (internal/checksum: decimals without trailing zeros, timestamps in
// UTC with microseconds, floats in their shortest form, booleans as 1/0,
// NULL distinct from the empty string), so PostgreSQL, MySQL and text files
// compare equal when their values are equal, whatever types hold them.
// Each row is hashed (128 bits of SHA-256) and filed under its key, the
// values of the key columns in canonical text.
//
// The keys of both sides are then merged in the key's order (numbers by
// value, times in time order, text by its bytes; NULL first) and cut into
// ranges of Options.RangeRows keys; a range whose row count or sum of row hashes differs between the
// sides is reported with its first and last key and, narrowed down, the
// keys missing from the target, extra in it, and changed.
//
// Memory is bounded: each side's entries (key text, sort key and 16 bytes
// per row) are sorted in memory up to Options.MemoryRows and spilled to
// temporary files beyond, then both sides are merged in key order, so a
// table of any size is compared in one pass over each side. Reading is at
// the speed of the connectors' readers, in parallel splits.
package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/checksum"
)

// Options tune Compare.
type Options struct {
	// Key names the columns that identify a row, by the source's column
	// names. Empty: the source schema's key columns (Column.Key), else
	// every column.
	Key []string
	// RangeRows is how many keys a range holds (default 10,000).
	RangeRows int
	// MaxKeys bounds the keys listed per kind of difference in a range
	// (default 20); the counts are always complete.
	MaxKeys int
	// Parallelism is how many splits of each side are read at once
	// (default 4).
	Parallelism int
	// MemoryRows bounds the rows of each side held in memory (default
	// 500,000); beyond it, sorted runs are spilled to temporary files in
	// TempDir (default os.TempDir()) and merged.
	MemoryRows int
	// TempDir is where spilled runs go.
	TempDir string
}

// Report is what Compare found.
type Report struct {
	// SourceRows and TargetRows count the rows of each side.
	SourceRows, TargetRows int64
	// Ranges is how many key ranges were compared.
	Ranges int
	// Diffs are the ranges that differ, in key order.
	Diffs []RangeDiff
}

// Equal reports whether the two sides hold the same rows.
func (r *Report) Equal() bool { return len(r.Diffs) == 0 && r.SourceRows == r.TargetRows }

// RangeDiff is a key range whose rows differ.
type RangeDiff struct {
	// From and To are the first and last key of the range (the key's
	// columns in canonical text, joined by ", ").
	From, To string
	// SourceRows and TargetRows count the range's rows on each side.
	SourceRows, TargetRows int64
	// Missing, Extra and Changed count the keys only in the source, only
	// in the target, and in both with other values.
	Missing, Extra, Changed int
	// MissingKeys, ExtraKeys and ChangedKeys list them, up to
	// Options.MaxKeys each.
	MissingKeys, ExtraKeys, ChangedKeys []string
}

// String describes the range's difference in one line.
func (d RangeDiff) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "keys [%s .. %s]: source %d rows, target %d rows", d.From, d.To, d.SourceRows, d.TargetRows)
	list := func(what string, n int, keys []string) {
		if n == 0 {
			return
		}
		fmt.Fprintf(&b, "; %d %s (%s", n, what, strings.Join(keys, "; "))
		if n > len(keys) {
			b.WriteString("; ...")
		}
		b.WriteString(")")
	}
	list("missing in the target", d.Missing, d.MissingKeys)
	list("extra in the target", d.Extra, d.ExtraKeys)
	list("changed", d.Changed, d.ChangedKeys)
	return b.String()
}

// rowHash is a row's 128-bit hash.
type rowHash struct{ lo, hi uint64 }

// Compare reads src and dst and compares their rows (see the package doc).
// The sources' schemas must have as many columns; columns are matched by
// position, and each is canonicalized by the source column's kind. A
// returned error is a failure to read or a mismatch of shapes, never a
// difference of data: that is in the Report.
func Compare(ctx context.Context, src, dst datasync.Source, o Options) (*Report, error) {
	if o.RangeRows <= 0 {
		o.RangeRows = 10_000
	}
	if o.MaxKeys <= 0 {
		o.MaxKeys = 20
	}
	if o.Parallelism <= 0 {
		o.Parallelism = 4
	}
	ss, err := src.Schema(ctx)
	if err != nil {
		return nil, fmt.Errorf("verify: the source: %w", err)
	}
	ts, err := dst.Schema(ctx)
	if err != nil {
		return nil, fmt.Errorf("verify: the target: %w", err)
	}
	if len(ss) != len(ts) {
		return nil, fmt.Errorf("verify: the source has %d columns (%s) and the target %d (%s)",
			len(ss), strings.Join(ss.Names(), ", "), len(ts), strings.Join(ts.Names(), ", "))
	}
	key, err := keyColumns(ss, o.Key)
	if err != nil {
		return nil, err
	}
	ss = compareSchema(ss, ts)
	if o.MemoryRows <= 0 {
		o.MemoryRows = 500_000
	}
	a, b := newSpool(o.MemoryRows, o.TempDir), newSpool(o.MemoryRows, o.TempDir)
	defer a.close()
	defer b.close()
	var errA, errB error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); errA = readSide(ctx, src, ss, key, o.Parallelism, a) }()
	go func() { defer wg.Done(); errB = readSide(ctx, dst, ss, key, o.Parallelism, b) }()
	wg.Wait()
	if errA != nil {
		return nil, fmt.Errorf("verify: read the source: %w", errA)
	}
	if errB != nil {
		return nil, fmt.Errorf("verify: read the target: %w", errB)
	}
	return compareSides(a, b, o)
}

// compareSchema returns the schema both sides' values are canonicalized
// by: the source's, except where the two sides' kinds differ and one is
// more precise: text against any other kind takes the other (a file's
// "12.50" against a database's decimal), integer against decimal takes
// decimal, a float against a number takes float, integer against bool
// takes bool.
func compareSchema(src, dst datasync.Schema) datasync.Schema {
	out := slices.Clone(src)
	numeric := func(k datasync.Kind) bool {
		return k == datasync.KindInt || k == datasync.KindDecimal || k == datasync.KindFloat
	}
	for i := range out {
		a, b := src[i].Kind, dst[i].Kind
		switch {
		case a == b:
		case a == datasync.KindString || a == datasync.KindNull:
			out[i].Kind = b
		case b == datasync.KindString || b == datasync.KindNull:
		case a == datasync.KindFloat || b == datasync.KindFloat:
			if numeric(a) && numeric(b) {
				out[i].Kind = datasync.KindFloat
			}
		case numeric(a) && numeric(b):
			out[i].Kind = datasync.KindDecimal
		case a == datasync.KindBool && b == datasync.KindInt, a == datasync.KindInt && b == datasync.KindBool:
			out[i].Kind = datasync.KindBool
		}
	}
	return out
}

// keyColumns returns the positions of the key columns.
func keyColumns(s datasync.Schema, names []string) ([]int, error) {
	var key []int
	if len(names) == 0 {
		type kc struct{ pos, col int }
		var ks []kc
		for i, c := range s {
			if c.Key > 0 {
				ks = append(ks, kc{c.Key, i})
			}
		}
		slices.SortFunc(ks, func(a, b kc) int { return a.pos - b.pos })
		for _, k := range ks {
			key = append(key, k.col)
		}
		if len(key) == 0 {
			for i := range s {
				key = append(key, i)
			}
		}
		return key, nil
	}
	for _, n := range names {
		i := slices.IndexFunc(s, func(c datasync.Column) bool { return strings.EqualFold(c.Name, strings.TrimSpace(n)) })
		if i < 0 {
			return nil, fmt.Errorf("verify: key column %q is not a column of the source (%s)", n, strings.Join(s.Names(), ", "))
		}
		key = append(key, i)
	}
	return key, nil
}

// readSide reads every split of src, hashing each row as of schema (the
// compare schema) and spooling it under its key.
func readSide(ctx context.Context, src datasync.Source, schema datasync.Schema, key []int, parallelism int, out *spool) error {
	splits, err := src.Plan(ctx, datasync.PlanHint{Parallelism: parallelism})
	if err != nil {
		return err
	}
	var mu sync.Mutex
	work := make(chan datasync.Split)
	errs := make(chan error, parallelism)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for range min(parallelism, max(len(splits), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for sp := range work {
				if err := readSplit(ctx, src, sp, schema, key, out, &mu); err != nil {
					errs <- fmt.Errorf("split %s: %w", sp.ID, err)
					cancel()
					return
				}
			}
		}()
	}
feed:
	for _, sp := range splits {
		select {
		case work <- sp:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	return ctx.Err()
}

func readSplit(ctx context.Context, src datasync.Source, sp datasync.Split, schema datasync.Schema, key []int, out *spool, mu *sync.Mutex) error {
	r, err := src.Open(ctx, sp, nil)
	if err != nil {
		return err
	}
	defer r.Close()
	rowHasher := checksum.NewHasher(schema)
	keySchema := make(datasync.Schema, len(key))
	for i, k := range key {
		keySchema[i] = schema[k]
	}
	var keyRec datasync.Record
	var sk, text, scratch []byte
	b := datasync.NewBatch(schema, 1024, 4<<20)
	for {
		b.Reset()
		err := r.Read(ctx, b)
		var rowErrs *datasync.RowErrors
		if errors.As(err, &rowErrs) {
			return fmt.Errorf("%d rows cannot be read, first: %w", len(rowErrs.Errors), rowErrs.Errors[0])
		}
		if err != nil && err != io.EOF {
			return err
		}
		for i := range b.Len() {
			rec := b.Row(i)
			if len(rec) != len(schema) {
				return fmt.Errorf("a row has %d columns, want %d", len(rec), len(schema))
			}
			before := rowHasher.Sum()
			if err := rowHasher.AddRecord(rec); err != nil {
				return err
			}
			after := rowHasher.Sum()
			keyRec = keyRec[:0]
			for _, k := range key {
				keyRec = append(keyRec, rec[k])
			}
			var kerr error
			sk, text, scratch, kerr = appendSortKey(sk[:0], text[:0], keyRec, keySchema, scratch)
			if kerr != nil {
				return kerr
			}
			e := entry{sk: bytes.Clone(sk), text: string(text), h: rowHash{after.Lo - before.Lo, after.Hi - before.Hi}}
			mu.Lock()
			err := out.add(e)
			mu.Unlock()
			if err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

// compareSides merges both sides in key order, cuts the keys into ranges
// and compares each range's count and sum; a range that differs is
// narrowed down to its keys.
func compareSides(a, b *spool, o Options) (*Report, error) {
	rep := &Report{SourceRows: a.rows, TargetRows: b.rows}
	ia, err := a.sorted()
	if err != nil {
		return nil, err
	}
	ib, err := b.sorted()
	if err != nil {
		return nil, err
	}
	na, nb := &dedup{it: ia, side: "source"}, &dedup{it: ib, side: "target"}
	ea, okA, err := na.next()
	if err != nil {
		return nil, err
	}
	eb, okB, err := nb.next()
	if err != nil {
		return nil, err
	}
	var cur rangeState
	for okA || okB {
		c := 0
		switch {
		case !okB:
			c = -1
		case !okA:
			c = 1
		default:
			c = bytes.Compare(ea.sk, eb.sk)
		}
		switch {
		case c < 0:
			cur.add(ea.text, &ea, nil, o.MaxKeys)
			ea, okA, err = na.next()
		case c > 0:
			cur.add(eb.text, nil, &eb, o.MaxKeys)
			eb, okB, err = nb.next()
		default:
			cur.add(ea.text, &ea, &eb, o.MaxKeys)
			if ea, okA, err = na.next(); err == nil {
				eb, okB, err = nb.next()
			}
		}
		if err != nil {
			return nil, err
		}
		if cur.keys == o.RangeRows {
			cur.close(rep)
		}
	}
	if cur.keys > 0 {
		cur.close(rep)
	}
	return rep, nil
}

// dedup is an iterator that fails on a key held by two rows of its side.
type dedup struct {
	it   iterator
	side string
	last []byte
	seen bool
}

func (d *dedup) next() (entry, bool, error) {
	e, ok, err := d.it.next()
	if err != nil || !ok {
		return e, ok, err
	}
	if d.seen && bytes.Equal(d.last, e.sk) {
		return e, false, fmt.Errorf("verify: the %s has several rows with the key %s: name a unique key (Options.Key, --key)", d.side, e.text)
	}
	d.last, d.seen = e.sk, true
	return e, true, nil
}

// rangeState is the range being compared.
type rangeState struct {
	keys   int
	sa, sb rowHash
	d      RangeDiff
}

// add adds a key, with its entry on each side (nil where absent).
func (r *rangeState) add(text string, a, b *entry, maxKeys int) {
	if r.keys == 0 {
		r.d.From = text
	}
	r.d.To = text
	r.keys++
	note := func(n *int, list *[]string) {
		*n++
		if len(*list) < maxKeys {
			*list = append(*list, text)
		}
	}
	if a != nil {
		r.d.SourceRows++
		r.sa.lo += a.h.lo
		r.sa.hi += a.h.hi
	}
	if b != nil {
		r.d.TargetRows++
		r.sb.lo += b.h.lo
		r.sb.hi += b.h.hi
	}
	switch {
	case b == nil:
		note(&r.d.Missing, &r.d.MissingKeys)
	case a == nil:
		note(&r.d.Extra, &r.d.ExtraKeys)
	case a.h != b.h:
		note(&r.d.Changed, &r.d.ChangedKeys)
	}
}

// close ends the range: it is a difference when its counts or sums differ.
func (r *rangeState) close(rep *Report) {
	rep.Ranges++
	if r.d.SourceRows != r.d.TargetRows || r.sa != r.sb {
		rep.Diffs = append(rep.Diffs, r.d)
	}
	*r = rangeState{}
}
