package postgres

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/datasync-go/datasync"
)

// splitSpec is a split, as plain data (see datasync.Split).
type splitSpec struct {
	// Mode is how the split is read: keyset (a key range, in pages of
	// keys), nulls (the rows whose key has a NULL), blocks (a range of
	// physical blocks) or stream (one query).
	Mode string `json:"mode"`
	// Key names the split key's columns, checked when the split is opened.
	Key []string `json:"key,omitempty"`
	// Lo and Hi bound the key range: key > Lo and key <= Hi, in binary
	// format; nil for no bound.
	Lo [][]byte `json:"lo,omitempty"`
	Hi [][]byte `json:"hi,omitempty"`
	// From and To bound the blocks: From <= block < To; To 0 is the end of
	// the table.
	From uint32 `json:"from,omitempty"`
	To   uint32 `json:"to,omitempty"`
	// Snapshot is the exported snapshot every split reads in consistent
	// mode.
	Snapshot string `json:"snapshot,omitempty"`
}

const (
	splitKeyset = "keyset"
	splitNulls  = "nulls"
	splitBlocks = "blocks"
	splitStream = "stream"
)

// Plan divides the source into splits, about four per unit of parallelism
// (or SourceConfig.Splits): key ranges of balanced sizes, plus one split
// for the rows whose key is NULL; physical block ranges for a table without
// a key; one split for a query or a view without a key. In consistent mode
// it exports the snapshot that every split reads (and plans in it).
func (s *Source) Plan(ctx context.Context, hint datasync.PlanHint) ([]datasync.Split, error) {
	m, err := s.metadata(ctx)
	if err != nil {
		return nil, err
	}
	n := s.cfg.Splits
	if n == 0 {
		n = max(hint.Parallelism, 1) * 4
	}
	var snapID string
	var conn *pgx.Conn
	if s.cfg.Consistent {
		snap, err := s.snapshot(ctx)
		if err != nil {
			return nil, err
		}
		snap.mu.Lock()
		defer snap.mu.Unlock()
		conn, snapID = snap.conn.Conn(), snap.id
	} else {
		c, err := s.conns.acquire(ctx)
		if err != nil {
			return nil, err
		}
		defer c.Release()
		conn = c.Conn()
	}
	prefix := "query"
	if m.rel != nil {
		prefix = m.rel.display
	}
	var specs []splitSpec
	var est float64
	switch {
	case m.rel == nil || (len(m.key) == 0 && m.mode == modeStream):
		specs = []splitSpec{{Mode: splitStream}}
	case len(m.key) == 0:
		blocks, err := relationBlocks(ctx, conn, m.rel.oid)
		if err != nil {
			return nil, err
		}
		n = int(min(int64(n), max(blocks, 1)))
		for i := range n {
			sp := splitSpec{Mode: splitBlocks, From: uint32(blocks * int64(i) / int64(n))}
			if i < n-1 {
				sp.To = uint32(blocks * int64(i+1) / int64(n))
			}
			specs = append(specs, sp)
		}
		est = m.rel.tuples
	default:
		bounds, e, err := s.boundaries(ctx, conn, m, n)
		if err != nil {
			return nil, err
		}
		est = e
		key := make([]string, len(m.key))
		for i, k := range m.key {
			key[i] = k.name
		}
		for i := 0; i <= len(bounds); i++ {
			sp := splitSpec{Mode: splitKeyset, Key: key}
			if i > 0 {
				sp.Lo = bounds[i-1]
			}
			if i < len(bounds) {
				sp.Hi = bounds[i]
			}
			specs = append(specs, sp)
		}
		if m.nulls {
			specs = append(specs, splitSpec{Mode: splitNulls, Key: key})
		}
	}
	splits := make([]datasync.Split, len(specs))
	for i, sp := range specs {
		sp.Snapshot = snapID
		id := fmt.Sprintf("%s#%d", prefix, i)
		if sp.Mode == splitNulls {
			id = prefix + "#nulls"
		}
		rows := int64(0)
		if est > 0 && sp.Mode != splitNulls {
			rows = int64(est) / int64(len(specs))
		}
		if splits[i], err = datasync.NewSplit(id, sp, rows); err != nil {
			return nil, err
		}
	}
	return splits, nil
}

// relationBlocks returns the number of blocks of the largest table the
// relation reads (itself, or its partitions or inheritance children, whose
// blocks a block range selects in each).
func relationBlocks(ctx context.Context, conn *pgx.Conn, oid uint32) (int64, error) {
	var blocks int64
	err := conn.QueryRow(ctx, `WITH RECURSIVE t(oid) AS (SELECT $1::oid UNION ALL
			SELECT i.inhrelid FROM pg_catalog.pg_inherits i JOIN t ON i.inhparent = t.oid)
		SELECT coalesce(max(pg_relation_size(oid)), 0) / current_setting('block_size')::int8 FROM t`, oid).Scan(&blocks)
	if err != nil {
		return 0, classify(fmt.Errorf("postgres: read the size of the table: %w", err))
	}
	return blocks, nil
}

// Sampling: tables up to exactSampleRows rows (as the statistics say) have
// their boundaries computed from every key; larger ones from a sample of
// about sampleRows rows, taken by blocks (TABLESAMPLE SYSTEM, repeatable so
// that the same table plans the same splits).
var (
	exactSampleRows = 200_000.0
	sampleRows      = 50_000.0
)

// boundaries returns up to n-1 split points of the key, in key order, so that
// the ranges between them hold about as many rows each; and the table's
// estimated rows.
func (s *Source) boundaries(ctx context.Context, conn *pgx.Conn, m *sourceMeta, n int) ([][][]byte, float64, error) {
	est := m.rel.tuples
	if est <= 0 { // never analyzed: guess from the size
		blocks, err := relationBlocks(ctx, conn, m.rel.oid)
		if err != nil {
			return nil, 0, err
		}
		est = float64(blocks) * 50
	}
	if n <= 1 {
		return nil, est, nil
	}
	if len(m.key) == 1 && s.cfg.Where == "" {
		bounds, ok, err := s.intRanges(ctx, conn, m, n, est)
		if err != nil || ok {
			return bounds, est, err
		}
	}
	var keys, desc, notNull []string
	for _, k := range m.key {
		keys = append(keys, k.sql)
		desc = append(desc, k.sql+" DESC")
		notNull = append(notNull, k.sql+" IS NOT NULL")
	}
	where := strings.Join(notNull, " AND ")
	if s.cfg.Where != "" {
		where = "(" + s.cfg.Where + ") AND " + where
	}
	query := func(sample string) string {
		return fmt.Sprintf(`SELECT DISTINCT ON (datasync_bucket) %s FROM (SELECT %s, ntile(%d) OVER (ORDER BY %s) AS datasync_bucket FROM %s %s WHERE %s) s ORDER BY datasync_bucket, %s`,
			strings.Join(keys, ", "), strings.Join(keys, ", "), n, strings.Join(keys, ", "), m.rel.sql, sample, where, strings.Join(desc, ", "))
	}
	var bounds [][][]byte
	var err error
	if est > exactSampleRows && m.ctid && m.version >= 90500 {
		pct := min(100, 100*sampleRows/est)
		bounds, err = keyRows(ctx, conn, query(fmt.Sprintf("TABLESAMPLE SYSTEM (%g) REPEATABLE (0)", pct)), len(m.key))
		if err != nil {
			return nil, 0, err
		}
	}
	if len(bounds) < n/2 { // small, or the sample was too thin: read every key
		if bounds, err = keyRows(ctx, conn, query(""), len(m.key)); err != nil {
			return nil, 0, err
		}
	}
	if len(bounds) > 0 {
		// The last bucket's end is the table's last key: a boundary equal to
		// it would only start an empty range.
		last := bounds[len(bounds)-1]
		bounds = bounds[:len(bounds)-1]
		for len(bounds) > 0 && equalKey(bounds[len(bounds)-1], last) {
			bounds = bounds[:len(bounds)-1]
		}
	}
	out := bounds[:0]
	for _, b := range bounds { // equal keys give equal boundaries: one is enough
		if len(out) == 0 || !equalKey(out[len(out)-1], b) {
			out = append(out, b)
		}
	}
	return out, est, nil
}

// intRanges divides a dense integer key (as many rows as values, about)
// into ranges of equal width. ok is false when the key is not an integer or
// is sparse, as skewed keys are: then sampling decides.
func (s *Source) intRanges(ctx context.Context, conn *pgx.Conn, m *sourceMeta, n int, est float64) ([][][]byte, bool, error) {
	k := m.key[0]
	width := map[class]int{classInt2: 2, classInt4: 4, classInt8: 8}[k.typ.class]
	if width == 0 {
		return nil, false, nil
	}
	var lo, hi *int64
	err := conn.QueryRow(ctx, fmt.Sprintf("SELECT min(%s)::int8, max(%s)::int8 FROM %s", k.sql, k.sql, m.rel.sql)).Scan(&lo, &hi)
	if err != nil {
		return nil, false, classify(fmt.Errorf("postgres: read the key range of %s: %w", m.rel.display, err))
	}
	if lo == nil || hi == nil {
		return nil, true, nil // no rows with a key
	}
	span := float64(*hi) - float64(*lo) + 1
	if span > 2*est || est < float64(n) {
		return nil, false, nil
	}
	var bounds [][][]byte
	for i := 1; i < n; i++ {
		v := *lo + int64(math.Floor(span*float64(i)/float64(n))) - 1
		if v < *lo || v >= *hi || (len(bounds) > 0 && v <= intKey(bounds[len(bounds)-1][0])) {
			continue
		}
		b := make([]byte, 8)
		binary.BigEndian.PutUint64(b, uint64(v))
		bounds = append(bounds, [][]byte{b[8-width:]})
	}
	return bounds, true, nil
}

func intKey(b []byte) int64 {
	switch len(b) {
	case 2:
		return int64(int16(binary.BigEndian.Uint16(b)))
	case 4:
		return int64(int32(binary.BigEndian.Uint32(b)))
	}
	return int64(binary.BigEndian.Uint64(b))
}

// keyRows runs a query whose rows are keys and returns them in binary.
func keyRows(ctx context.Context, conn *pgx.Conn, sql string, width int) ([][][]byte, error) {
	formats := make([]int16, width)
	for i := range formats {
		formats[i] = 1
	}
	res := conn.PgConn().ExecParams(ctx, sql, nil, nil, nil, formats).Read()
	if res.Err != nil {
		return nil, classify(fmt.Errorf("postgres: sample the split key: %w", res.Err))
	}
	return res.Rows, nil // Read copies the values
}

func equalKey(a, b [][]byte) bool {
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}
