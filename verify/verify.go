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
// The keys of both sides are then sorted in the key's order (numbers by
// value, others by their text) and cut into ranges of Options.RangeRows
// keys; a range whose row count or sum of row hashes differs between the
// sides is reported with its first and last key and, narrowed down, the
// keys missing from the target, extra in it, and changed.
//
// Memory: one entry per row of each side (its key text and 16 bytes), so
// a table of tens of millions of rows needs gigabytes; reading is at the
// speed of the connectors' readers.
package verify

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strconv"
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

// side is what was read of one side: row hashes by key.
type side struct {
	rows  int64
	byKey map[string]rowHash
	dups  []string // keys seen twice
}

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
	var a, b *side
	var errA, errB error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a, errA = readSide(ctx, src, ss, key, o.Parallelism) }()
	go func() { defer wg.Done(); b, errB = readSide(ctx, dst, ss, key, o.Parallelism) }()
	wg.Wait()
	if errA != nil {
		return nil, fmt.Errorf("verify: read the source: %w", errA)
	}
	if errB != nil {
		return nil, fmt.Errorf("verify: read the target: %w", errB)
	}
	if len(a.dups) > 0 {
		return nil, fmt.Errorf("verify: the source has %d keys held by several rows (first: %s): name a unique key", len(a.dups), a.dups[0])
	}
	if len(b.dups) > 0 {
		return nil, fmt.Errorf("verify: the target has %d keys held by several rows (first: %s): name a unique key, or the target has duplicates", len(b.dups), b.dups[0])
	}
	return compareSides(a, b, ss, key, o), nil
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
// source's) and filing it under its key.
func readSide(ctx context.Context, src datasync.Source, schema datasync.Schema, key []int, parallelism int) (*side, error) {
	splits, err := src.Plan(ctx, datasync.PlanHint{Parallelism: parallelism})
	if err != nil {
		return nil, err
	}
	out := &side{byKey: map[string]rowHash{}}
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
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func readSplit(ctx context.Context, src datasync.Source, sp datasync.Split, schema datasync.Schema, key []int, out *side, mu *sync.Mutex) error {
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
	keyHasher := checksum.NewHasher(keySchema)
	keyText := make([]byte, 0, 64)
	var keyRec datasync.Record
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
			h := rowHash{after.Lo - before.Lo, after.Hi - before.Hi}
			keyRec = keyRec[:0]
			for _, k := range key {
				keyRec = append(keyRec, rec[k])
			}
			keyText, err = canonicalKey(keyText[:0], keyHasher, keyRec, keySchema)
			if err != nil {
				return err
			}
			mu.Lock()
			k := string(keyText)
			if _, dup := out.byKey[k]; dup {
				out.dups = append(out.dups, k)
			}
			out.byKey[k] = h
			out.rows++
			mu.Unlock()
		}
		if err == io.EOF {
			return nil
		}
	}
}

// canonicalKey appends the canonical text of a key's values, joined by
// ", " (NULL as NULL).
func canonicalKey(dst []byte, _ *checksum.Hasher, rec datasync.Record, schema datasync.Schema) ([]byte, error) {
	for i, v := range rec {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		if v.IsNull() {
			dst = append(dst, "NULL"...)
			continue
		}
		var err error
		dst, err = checksum.Canonical(dst, schema[i].Kind, v.AppendTo(nil))
		if err != nil {
			return dst, fmt.Errorf("key column %s: %w", schema[i].Name, err)
		}
	}
	return dst, nil
}

// compareSides sorts the union of the keys, cuts it into ranges and
// compares each range's count and sum, then the rows of the ranges that
// differ.
func compareSides(a, b *side, schema datasync.Schema, key []int, o Options) *Report {
	rep := &Report{SourceRows: a.rows, TargetRows: b.rows}
	keys := make([]string, 0, len(a.byKey)+len(b.byKey))
	for k := range a.byKey {
		keys = append(keys, k)
	}
	for k := range b.byKey {
		if _, ok := a.byKey[k]; !ok {
			keys = append(keys, k)
		}
	}
	numeric := len(key) == 1 && (schema[key[0]].Kind == datasync.KindInt || schema[key[0]].Kind == datasync.KindDecimal || schema[key[0]].Kind == datasync.KindFloat)
	sortKeys(keys, numeric)
	for start := 0; start < len(keys); start += o.RangeRows {
		rng := keys[start:min(start+o.RangeRows, len(keys))]
		rep.Ranges++
		var sa, sb rowHash
		var na, nb int64
		for _, k := range rng {
			if h, ok := a.byKey[k]; ok {
				na++
				sa.lo += h.lo
				sa.hi += h.hi
			}
			if h, ok := b.byKey[k]; ok {
				nb++
				sb.lo += h.lo
				sb.hi += h.hi
			}
		}
		if na == nb && sa == sb {
			continue
		}
		d := RangeDiff{From: rng[0], To: rng[len(rng)-1], SourceRows: na, TargetRows: nb}
		for _, k := range rng {
			ha, inA := a.byKey[k]
			hb, inB := b.byKey[k]
			switch {
			case !inB:
				d.Missing++
				if len(d.MissingKeys) < o.MaxKeys {
					d.MissingKeys = append(d.MissingKeys, k)
				}
			case !inA:
				d.Extra++
				if len(d.ExtraKeys) < o.MaxKeys {
					d.ExtraKeys = append(d.ExtraKeys, k)
				}
			case ha != hb:
				d.Changed++
				if len(d.ChangedKeys) < o.MaxKeys {
					d.ChangedKeys = append(d.ChangedKeys, k)
				}
			}
		}
		rep.Diffs = append(rep.Diffs, d)
	}
	return rep
}

// sortKeys sorts keys: a single numeric column by value (NULL first),
// others by their text.
func sortKeys(keys []string, numeric bool) {
	if !numeric {
		slices.Sort(keys)
		return
	}
	type numKey struct {
		text string
		i    int64
		r    *big.Rat // when the text is not an int64
		ok   bool     // a number
	}
	nk := make([]numKey, len(keys))
	for j, k := range keys {
		nk[j].text = k
		if i, err := strconv.ParseInt(k, 10, 64); err == nil {
			nk[j].i, nk[j].ok = i, true
		} else if r, ok := new(big.Rat).SetString(k); ok {
			nk[j].r, nk[j].ok = r, true
		}
	}
	rat := func(k numKey) *big.Rat {
		if k.r != nil {
			return k.r
		}
		return new(big.Rat).SetInt64(k.i)
	}
	slices.SortFunc(nk, func(x, y numKey) int {
		switch {
		case !x.ok || !y.ok:
			if x.ok != y.ok {
				if !x.ok {
					return -1
				}
				return 1
			}
			return strings.Compare(x.text, y.text)
		case x.r == nil && y.r == nil:
			return cmp.Compare(x.i, y.i)
		}
		return rat(x).Cmp(rat(y))
	})
	for j := range nk {
		keys[j] = nk[j].text
	}
}
