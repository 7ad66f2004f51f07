package mysql

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/datasync-go/datasync"
)

// exactCountBelow is the estimated size under which Plan counts the rows
// exactly: InnoDB's estimate of a small or young table can be far off, and
// counting it is cheap.
const exactCountBelow = 200_000

// Plan divides the table into ranges of its split key with about as many
// rows each, whatever the key's distribution: the boundaries are the keys
// found every N rows in key order, not arithmetic on the key's minimum and
// maximum, so integer, string and composite keys and skewed data all give
// even splits. Rows whose split key is NULL form a split of their own. A
// query, or a table without a split key, is one split.
//
// With an index on the split key, each boundary is the row N places after
// the previous one in the index; without one, a single ROW_NUMBER() window
// query finds them all, and a server without window functions falls back
// to the first way.
func (s *Source) Plan(ctx context.Context, hint datasync.PlanHint) ([]datasync.Split, error) {
	r, err := s.resolve(ctx)
	if err != nil {
		return nil, err
	}
	if r.meta == nil || len(r.split) == 0 {
		split, err := datasync.NewSplit(s.splitPrefix()+"-0", splitSpec{Mode: modeStream}, 0)
		if err != nil {
			return nil, err
		}
		return []datasync.Split{split}, nil
	}
	c, err := s.pool.acquire(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("mysql source: plan: %w", err)
	}
	defer c.release()

	est := max(r.meta.rows, 0)
	if est < exactCountBelow {
		q := "SELECT COUNT(*) FROM " + r.meta.name.quoted()
		if s.cfg.Where != "" {
			q += " WHERE (" + s.cfg.Where + ")"
		}
		if err := c.QueryRowContext(ctx, q).Scan(&est); err != nil {
			return nil, fmt.Errorf("mysql source: plan: count the rows of %s: %w", r.meta.name, classify(err))
		}
	}
	n := int64(s.cfg.Splits)
	if n == 0 {
		minRows := s.cfg.MinSplitRows
		if minRows == 0 {
			minRows = defaultMinSplitRows
		}
		n = min(int64(max(hint.Parallelism, 1)*4), est/minRows)
	}
	n = max(min(n, est), 1)
	step := (est + n - 1) / n
	var bounds [][][]byte
	if n > 1 {
		if bounds, err = s.boundaries(ctx, c, r, n, step); err != nil {
			return nil, fmt.Errorf("mysql source: plan %s: %w", r.meta.name, err)
		}
	}

	key := r.names(r.split)
	var order []string
	mode := modeStream
	if len(r.order) > 0 {
		mode = modeKeyset
		order = append(order, key...)
		for _, p := range r.order {
			if !containsInt(r.split, p) {
				order = append(order, r.meta.columns[p].name)
			}
		}
	}
	prefix := s.splitPrefix()
	var splits []datasync.Split
	add := func(id string, spec splitSpec, rows int64) error {
		split, err := datasync.NewSplit(id, spec, rows)
		if err == nil {
			splits = append(splits, split)
		}
		return err
	}
	for i := 0; i <= len(bounds); i++ {
		spec := splitSpec{Mode: mode, Key: key, Order: order}
		if i > 0 {
			spec.Lo = encodeKey(bounds[i-1])
		}
		if i < len(bounds) {
			spec.Hi = encodeKey(bounds[i])
		}
		rows := step
		if i == len(bounds) {
			rows = max(est-int64(len(bounds))*step, 0)
		}
		if err := add(prefix+"-"+strconv.Itoa(i), spec, rows); err != nil {
			return nil, err
		}
	}
	nullable := false
	for _, p := range r.split {
		nullable = nullable || r.meta.columns[p].nullable
	}
	if nullable {
		spec := splitSpec{Mode: modeStream, Key: key, Null: true}
		if len(r.order) > 0 {
			spec.Mode, spec.Order = modeKeyset, r.names(r.order)
		}
		if err := add(prefix+"-null", spec, 0); err != nil {
			return nil, err
		}
	}
	return splits, nil
}

func (s *Source) splitPrefix() string {
	if s.cfg.QuerySQL != "" {
		return "query"
	}
	return s.table.table
}

// boundaries returns up to n-1 split-key values, in increasing order, about
// step rows apart.
func (s *Source) boundaries(ctx context.Context, c *conn, r *resolved, n, step int64) ([][][]byte, error) {
	key := r.keyCols(r.split, s.pool.own, &s.cfg)
	exprs := make([]string, len(r.split))
	idents := make([]string, len(r.split))
	var notNull []string
	for i, p := range r.split {
		exprs[i] = tableColumn(r.meta.columns[p], &s.cfg, s.pool.own).expr
		idents[i] = key[i].ident
		notNull = append(notNull, key[i].ident+" IS NOT NULL")
	}
	where := strings.Join(notNull, " AND ")
	if s.cfg.Where != "" {
		where += " AND (" + s.cfg.Where + ")"
	}
	if !r.meta.leading[r.split[0]] {
		bounds, err := s.windowBoundaries(ctx, c, r, exprs, idents, where, n, step)
		if err == nil {
			return bounds, nil
		}
		if !noWindowFunctions(err) {
			return nil, err
		}
	}
	dec := newRowDecoder(nil, hiddenKeys(len(r.split)), false)
	var bounds [][][]byte
	var prev [][]byte
	for range n - 1 {
		q := []byte("SELECT " + strings.Join(exprs, ", ") + " FROM " + r.meta.name.quoted() + " WHERE " + where)
		if prev != nil {
			q = append(q, " AND "...)
			q = appendTupleCompare(q, key, prev, ">")
		}
		q = append(q, " ORDER BY "+strings.Join(idents, ", ")+" LIMIT 1 OFFSET "+strconv.FormatInt(step-1, 10)...)
		found, err := scanKey(ctx, c, string(q), dec)
		if err != nil {
			return nil, err
		}
		if !found {
			break
		}
		prev = cloneKey(dec.keys)
		bounds = append(bounds, prev)
	}
	return bounds, nil
}

// windowBoundaries finds the boundaries with one ROW_NUMBER() query, for a
// split key without an index (where each OFFSET query would scan the table).
func (s *Source) windowBoundaries(ctx context.Context, c *conn, r *resolved, exprs, idents []string, where string, n, step int64) ([][][]byte, error) {
	aliased := make([]string, len(exprs))
	outer := make([]string, len(exprs))
	for i, e := range exprs {
		aliased[i] = e + " AS ds_k" + strconv.Itoa(i)
		outer[i] = "ds_k" + strconv.Itoa(i)
	}
	q := "SELECT " + strings.Join(outer, ", ") + " FROM (SELECT " + strings.Join(aliased, ", ") +
		", ROW_NUMBER() OVER (ORDER BY " + strings.Join(idents, ", ") + ") AS ds_rn FROM " + r.meta.name.quoted() +
		" WHERE " + where + ") AS ds_w WHERE ds_rn % " + strconv.FormatInt(step, 10) + " = 0 ORDER BY ds_rn LIMIT " +
		strconv.FormatInt(n-1, 10)
	rows, err := c.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	dec := newRowDecoder(nil, hiddenKeys(len(exprs)), false)
	var bounds [][][]byte
	for rows.Next() {
		if err := rows.Scan(dec.targets...); err != nil {
			return nil, err
		}
		if len(bounds) > 0 && equalKey(bounds[len(bounds)-1], dec.keys) {
			continue // a run of equal keys: one boundary is enough
		}
		bounds = append(bounds, cloneKey(dec.keys))
	}
	return bounds, rows.Err()
}

// noWindowFunctions reports whether err says the server has no window
// functions (MySQL before 8.0, MariaDB before 10.2, some compatible systems).
func noWindowFunctions(err error) bool {
	var my *mysql.MySQLError
	return errors.As(err, &my) && (my.Number == 1064 || my.Number == 1235 || my.Number == 1149)
}

func scanKey(ctx context.Context, c *conn, q string, dec *rowDecoder) (bool, error) {
	rows, err := c.QueryContext(ctx, q)
	if err != nil {
		return false, classify(err)
	}
	defer rows.Close()
	if !rows.Next() {
		return false, classify(rows.Err())
	}
	if err := rows.Scan(dec.targets...); err != nil {
		return false, classify(err)
	}
	return true, nil
}

// hiddenKeys returns the keyOf of a decoder that reads n key columns only.
func hiddenKeys(n int) []int {
	k := make([]int, n)
	for i := range k {
		k[i] = -1
	}
	return k
}

func cloneKey(k [][]byte) [][]byte {
	out := make([][]byte, len(k))
	for i, v := range k {
		out[i] = append([]byte{}, v...)
	}
	return out
}

func equalKey(a, b [][]byte) bool {
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
