package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/encoded"
)

// Source reads a PostgreSQL table or query (see the package doc). It
// implements datasync.Source and datasync.SourceChecker. Its methods may be
// called from several goroutines.
type Source struct {
	cfg   SourceConfig
	table name
	cols  []columnRef
	key   []columnRef
	conns *conns

	mu   sync.Mutex
	meta *sourceMeta // read from the catalog once
	snap *snapshot   // Consistent: the exported snapshot, once planned

	copyPages atomic.Int64 // pages read with COPY (copyread.go), for tests
}

var (
	_ datasync.Source        = (*Source)(nil)
	_ datasync.SourceChecker = (*Source)(nil)
)

// NewSource returns a Source for cfg. It checks the config and does no I/O.
func NewSource(cfg SourceConfig) (*Source, error) {
	tbl, cols, key, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	c, err := newConns(cfg.DSN, cfg.Pool)
	if err != nil {
		return nil, err
	}
	if cfg.FetchSize == 0 {
		cfg.FetchSize = defaultFetchSize
	}
	return &Source{cfg: cfg, table: tbl, cols: cols, key: key, conns: c}, nil
}

// Close releases what the Source opened: the exported snapshot of
// consistent mode and the pool opened from its DSN; never a pool the caller
// gave.
func (s *Source) Close() error {
	s.mu.Lock()
	snap := s.snap
	s.snap = nil
	s.mu.Unlock()
	if snap != nil {
		snap.close()
	}
	s.conns.close()
	return nil
}

// Schema returns the columns the source reads. It fails, before any row is
// read, when the server cannot be reached, the table or a column does not
// exist, or the query does not parse.
func (s *Source) Schema(ctx context.Context) (datasync.Schema, error) {
	m, err := s.metadata(ctx)
	if err != nil {
		return nil, err
	}
	return m.schema, nil
}

// Check checks that the source can be read: the server is reachable, the
// table and columns exist, the split key can order rows, the user may
// select from the table, and consistent mode can export a snapshot.
func (s *Source) Check(ctx context.Context) error {
	m, err := s.metadata(ctx)
	if err != nil {
		return err
	}
	conn, err := s.conns.acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	var errs []error
	if m.rel != nil {
		var ok bool
		if err := conn.QueryRow(ctx, `SELECT has_table_privilege($1::oid, 'SELECT')`, m.rel.oid).Scan(&ok); err != nil {
			return classify(fmt.Errorf("postgres: check privileges: %w", err))
		}
		if !ok {
			errs = append(errs, fmt.Errorf("postgres: the user has no SELECT privilege on %s", m.rel.display))
		}
	}
	if s.cfg.Consistent {
		var ok bool
		if err := conn.QueryRow(ctx, `SELECT to_regproc('pg_export_snapshot') IS NOT NULL`).Scan(&ok); err != nil {
			return classify(fmt.Errorf("postgres: check snapshot export: %w", err))
		}
		if !ok {
			errs = append(errs, errors.New("postgres: consistent mode needs pg_export_snapshot, which this server does not have"))
		}
	}
	return errors.Join(errs...)
}

// sourceMeta is what the source reads and how.
type sourceMeta struct {
	rel     *relation // nil for querySql
	schema  datasync.Schema
	query   string    // querySql, or the select list and FROM clause of the table
	types   []*pgType // of the columns read
	formats []int16   // result format of each column, then of the hidden ones
	hidden  []string  // columns selected for paging only: key columns not read, tableoid, ctid
	key     []keyPart // the split key, nil when there is none
	unique  bool      // no two rows share a non-NULL key: no tiebreak needed
	nulls   bool      // the key has a column that may be NULL
	ctid    bool      // the relation has ctid: blocks can divide it and break ties
	version int       // server_version_num
	mode    string    // how splits are read: modeKeyset, modeBlocks or modeStream
	// maxTuples is the most rows a block holds (MaxHeapTuplesPerPage).
	maxTuples int
	// encoding names the binary COPY rows of the columns read, "" when a
	// column is read as text (pass-through is then impossible).
	encoding string
	decoder  encoded.Decoder
}

// keyPart is one column of the split key.
type keyPart struct {
	sql    string // quoted column name
	name   string
	typ    *pgType
	result int // its index among the result columns
}

// The ways a split is read.
const (
	modeKeyset = "keyset" // pages of rows ordered by the key
	modeBlocks = "blocks" // pages of physical blocks
	modeStream = "stream" // one query, as a stream
)

// metadata reads the catalog once.
func (s *Source) metadata(ctx context.Context) (*sourceMeta, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.meta != nil {
		return s.meta, nil
	}
	conn, err := s.conns.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	m, err := s.loadMeta(ctx, conn.Conn())
	if err != nil {
		return nil, err
	}
	s.meta = m
	return m, nil
}

func (s *Source) loadMeta(ctx context.Context, conn *pgx.Conn) (*sourceMeta, error) {
	m := &sourceMeta{}
	ts := newTypes()
	var blockSize int
	if err := conn.QueryRow(ctx, `SELECT current_setting('server_version_num')::int, current_setting('block_size')::int`).Scan(&m.version, &blockSize); err != nil {
		return nil, classify(fmt.Errorf("postgres: read the server version: %w", err))
	}
	m.maxTuples = (blockSize - 24) / 28 // (BLCKSZ - page header) / (tuple header + line pointer)
	if s.cfg.QuerySQL != "" {
		m.query = s.cfg.QuerySQL
		m.mode = modeStream
		return m, s.describe(ctx, conn, ts, m, nil)
	}
	rel, err := loadRelation(ctx, conn, s.table, ts)
	if err != nil {
		return nil, err
	}
	m.rel = rel
	m.ctid = rel.kind == 'r' || rel.kind == 'p' || rel.kind == 'm'

	// The columns read, as SQL, and which table column each is.
	var list []string
	var colOf []int
	if len(s.cols) == 0 {
		for i, c := range rel.cols {
			list = append(list, quoteIdent(c.name))
			colOf = append(colOf, i)
		}
	} else {
		for i, ref := range s.cols {
			if j := ref.match(rel.names()); j >= 0 {
				list = append(list, quoteIdent(rel.cols[j].name))
				colOf = append(colOf, j)
				continue
			}
			if ref.ident != nil && !sqlValueFunction(ref.ident.parts[0]) {
				_, err := rel.column(ref, fmt.Sprintf("column[%d]", i))
				return nil, err
			}
			list = append(list, ref.text) // an expression or a constant
			colOf = append(colOf, -1)
		}
	}

	// The split key.
	var keyCols []int
	switch {
	case len(s.key) > 0:
		for _, ref := range s.key {
			i, err := rel.column(ref, "splitPk")
			if err != nil {
				return nil, err
			}
			keyCols = append(keyCols, i)
		}
	case rel.hasPK:
		keyCols = rel.keys[0]
	}
	for _, i := range keyCols {
		c := rel.cols[i]
		if c.typ.class == classOther || c.typ.class == classJSON {
			return nil, fmt.Errorf("postgres: split key column %q of %s has type %s, which cannot order rows: choose another splitPk", c.name, rel.display, c.typ.name)
		}
		m.nulls = m.nulls || !c.notNull
		result := -1
		for j, col := range colOf {
			if col == i && c.typ.binary() {
				result = j
			}
		}
		if result < 0 {
			result = len(list) + len(m.hidden)
			m.hidden = append(m.hidden, quoteIdent(c.name))
		}
		m.key = append(m.key, keyPart{sql: quoteIdent(c.name), name: c.name, typ: c.typ, result: result})
	}
	m.unique = len(keyCols) > 0 && rel.uniqueOn(keyCols)
	switch {
	case !m.ctid:
		m.mode = modeStream
	case len(m.key) > 0:
		m.mode = modeKeyset
	default:
		m.mode = modeBlocks
	}
	if m.ctid && (m.mode == modeBlocks || !m.unique || m.nulls) {
		m.hidden = append(m.hidden, "tableoid", "ctid")
	}
	m.query = fmt.Sprintf("SELECT %s FROM %s", strings.Join(append(list, m.hidden...), ", "), rel.sql)
	if err := s.describe(ctx, conn, ts, m, colOf); err != nil {
		return nil, err
	}
	return m, nil
}

// describe asks the server for the result columns of m.query and fills the
// schema, the types and the formats.
func (s *Source) describe(ctx context.Context, conn *pgx.Conn, ts *types, m *sourceMeta, colOf []int) error {
	sd, err := conn.PgConn().Prepare(ctx, "", m.query, nil)
	if err != nil {
		what := "the query"
		if m.rel != nil {
			what = "the columns of " + m.rel.display
		}
		return classify(fmt.Errorf("postgres: read %s: %w", what, err))
	}
	n := len(sd.Fields) - len(m.hidden)
	oids := make([]uint32, len(sd.Fields))
	mods := make([]int32, len(sd.Fields))
	for i, f := range sd.Fields {
		oids[i], mods[i] = f.DataTypeOID, f.TypeModifier
	}
	typs, err := ts.resolve(ctx, conn, oids, mods)
	if err != nil {
		return err
	}
	// A table column's own type, from the catalog: results name a domain's
	// base type instead, and the sink compares the catalog's.
	for i, j := range colOf {
		if j >= 0 {
			typs[i] = m.rel.cols[j].typ
		}
	}
	m.types = typs[:n]
	keyAt := map[int]int{}
	for k, p := range m.key {
		keyAt[p.result] = k + 1
	}
	for i := range n {
		f := sd.Fields[i]
		c := datasync.Column{Name: f.Name, Nullable: true}
		if colOf != nil {
			if j := colOf[i]; j >= 0 {
				c.Name = m.rel.cols[j].name
				c.Nullable = !m.rel.cols[j].notNull
			} else if f.Name == "?column?" {
				c.Name = s.cfg.Column[i]
			}
		}
		typs[i].column(&c)
		c.Key = keyAt[i]
		m.schema = append(m.schema, c)
	}
	m.formats = make([]int16, len(typs))
	binaryAll := true
	for i, t := range typs {
		if t.binary() {
			m.formats[i] = 1
		} else if i < n {
			binaryAll = false
		}
	}
	if binaryAll {
		m.encoding = encodingName(m.types)
		m.decoder = tupleDecoder(m.types)
	}
	return nil
}

// sqlValueFunction reports whether a bare word in a column list is one of
// SQL's value functions rather than a column name.
func sqlValueFunction(s string) bool {
	switch s {
	case "current_date", "current_time", "current_timestamp", "localtime", "localtimestamp",
		"current_user", "current_role", "session_user", "user", "current_schema", "current_catalog",
		"true", "false", "null":
		return true
	}
	return false
}
