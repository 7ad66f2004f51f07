package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"

	"github.com/datasync-go/datasync"
)

// Sink writes records into a PostgreSQL table with binary COPY (see the
// package doc). It implements datasync.Sink, datasync.Finalizer and
// datasync.SinkChecker. Its methods may be called from several goroutines.
type Sink struct {
	cfg    SinkConfig
	set    sinkSettings
	conns  *conns
	logger *slog.Logger
	// progress is where checkpoints go with exactly-once on, else nil.
	progress *progress

	mu     sync.Mutex
	rel    *relation       // the target, once read from the catalog
	schema datasync.Schema // the schema Prepare saw, for pass-through by source names

	spare   []rowBuf     // writers' buffers, kept for the next writers (under mu)
	writers atomic.Int32 // writers open, who share sinkWindowBytes

	passedThrough atomic.Int64 // rows written as they came from a PostgreSQL source
	textRows      atomic.Int64 // rows written with text COPY
}

var (
	_ datasync.Sink        = (*Sink)(nil)
	_ datasync.Finalizer   = (*Sink)(nil)
	_ datasync.SinkChecker = (*Sink)(nil)

	_ datasync.CheckpointSink = (*Sink)(nil)
	_ datasync.ResumePreparer = (*Sink)(nil)
)

// NewSink returns a Sink for cfg. It checks the config and does no I/O.
func NewSink(cfg SinkConfig) (*Sink, error) {
	set, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	c, err := newConns(cfg.DSN, cfg.Pool)
	if err != nil {
		return nil, err
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	prog, _ := cfg.progressSettings() // validated above
	return &Sink{cfg: cfg, set: set, conns: c, logger: logger, progress: prog}, nil
}

// Close closes the pool the Sink opened from its DSN, if any; never a pool
// the caller gave.
func (s *Sink) Close() error {
	s.conns.close()
	return nil
}

// Prepare runs once per job, before any row is written: pre-SQL, creating
// the table when it is missing and CreateTable is set, truncating when
// Truncate is set, then checking that schema's columns map onto the table
// (names, count, types, conflict key). Nothing is written when it fails.
func (s *Sink) Prepare(ctx context.Context, schema datasync.Schema) error {
	return s.prepare(ctx, schema, false)
}

// PrepareResume is Prepare for a run that resumes an interrupted one (see
// datasync.ResumePreparer): without truncate and preSql, which ran when
// that run started.
func (s *Sink) PrepareResume(ctx context.Context, schema datasync.Schema) error {
	return s.prepare(ctx, schema, true)
}

func (s *Sink) prepare(ctx context.Context, schema datasync.Schema, resuming bool) error {
	conn, err := s.conns.acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	c := conn.Conn()
	if s.progress != nil {
		found, err := s.prepareProgress(ctx, c)
		if err != nil {
			return err
		}
		resuming = resuming || found
	}
	for i, q := range s.cfg.PreSQL {
		if resuming {
			break // it ran when the interrupted run started
		}
		if _, err := c.Exec(ctx, s.replaceTable(q)); err != nil {
			return classify(fmt.Errorf("postgres: preSql[%d]: %w", i, err))
		}
	}
	rel, err := s.loadTarget(ctx, c)
	if isNoTable(err) && s.cfg.CreateTable {
		names, err := s.targetNames(schema)
		if err != nil {
			return err
		}
		if _, err := c.Exec(ctx, createTableSQL(s.set.table.sql(), names, schema)); err != nil {
			return classify(fmt.Errorf("postgres: create table %s: %w", s.set.table.sql(), err))
		}
		rel, err = s.loadTarget(ctx, c)
		if err != nil {
			return err
		}
		s.logger.LogAttrs(ctx, slog.LevelInfo, "created the target table", slog.String("table", rel.display))
	} else if err != nil {
		return err
	}
	if _, err := s.plan(rel, schema); err != nil {
		return err
	}
	if s.set.mode == WriteUpsert && (rel.version < 90500 || forceMergeFallback) {
		s.logger.LogAttrs(ctx, slog.LevelWarn, "the server has no INSERT .. ON CONFLICT (before PostgreSQL 9.5): upserts merge with an UPDATE and an INSERT",
			slog.String("table", rel.display), slog.Int("server_version", rel.version))
	}
	if s.cfg.Truncate && !resuming {
		if _, err := c.Exec(ctx, "TRUNCATE TABLE "+rel.sql); err != nil {
			return classify(fmt.Errorf("postgres: truncate %s: %w", rel.display, err))
		}
	}
	if s.cfg.AtomicRefresh {
		if rel, err = s.stage(ctx, c, rel, resuming); err != nil {
			return err
		}
	}
	s.mu.Lock()
	s.rel = rel
	s.schema = schema
	s.mu.Unlock()
	return nil
}

// Finalize runs the post-SQL, once, after every split succeeded; with
// AtomicRefresh it first swaps the staging table in. Then, with
// exactly-once on, it forgets the job's progress, so that its next run
// copies everything again.
func (s *Sink) Finalize(ctx context.Context) error {
	if s.cfg.AtomicRefresh {
		if err := s.swap(ctx); err != nil {
			return err
		}
	}
	if len(s.cfg.PostSQL) == 0 && s.progress == nil {
		return nil
	}
	conn, err := s.conns.acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	for i, q := range s.cfg.PostSQL {
		if _, err := conn.Exec(ctx, s.replaceTable(q)); err != nil {
			return classify(fmt.Errorf("postgres: postSql[%d]: %w", i, err))
		}
	}
	if s.progress != nil {
		return s.forgetProgress(ctx, conn.Conn())
	}
	return nil
}

// Check checks, without writing or changing anything, that records of
// schema can be written: the server is reachable, the table exists (or can
// be created), the columns map onto it with compatible types, the conflict
// key of an upsert is a unique key, and the user has the privileges the job
// needs (INSERT; UPDATE and SELECT for upsert; TRUNCATE; TEMP for upsert's
// staging table; CREATE to create the table).
func (s *Sink) Check(ctx context.Context, schema datasync.Schema) error {
	conn, err := s.conns.acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	c := conn.Conn()
	rel, err := s.loadTarget(ctx, c)
	if isNoTable(err) && s.cfg.CreateTable {
		if _, err := s.targetNames(schema); err != nil {
			return err
		}
		return s.checkCreate(ctx, c)
	}
	if err != nil {
		return err
	}
	errs := s.checkProgress(ctx, c)
	if _, err := s.plan(rel, schema); err != nil {
		errs = append(errs, err)
	}
	privs := []string{"INSERT"}
	if s.set.mode == WriteUpsert {
		privs = append(privs, "UPDATE", "SELECT")
	}
	if s.cfg.Truncate {
		privs = append(privs, "TRUNCATE")
	}
	for _, p := range privs {
		var ok bool
		if err := c.QueryRow(ctx, `SELECT has_table_privilege($1::oid, $2)`, rel.oid, p).Scan(&ok); err != nil {
			return classify(fmt.Errorf("postgres: check privileges: %w", err))
		}
		if !ok {
			errs = append(errs, fmt.Errorf("postgres: the user has no %s privilege on %s", p, rel.display))
		}
	}
	if s.cfg.AtomicRefresh {
		if err := s.checkRefresh(ctx, c, rel); err != nil {
			errs = append(errs, err)
		}
	}
	if s.set.mode == WriteUpsert {
		var ok bool
		if err := c.QueryRow(ctx, `SELECT has_database_privilege(current_database(), 'TEMP')`).Scan(&ok); err != nil {
			return classify(fmt.Errorf("postgres: check privileges: %w", err))
		}
		if !ok {
			errs = append(errs, errors.New("postgres: upsert stages rows in a temporary table, and the user has no TEMP privilege on the database"))
		}
	}
	return errors.Join(errs...)
}

func (s *Sink) checkCreate(ctx context.Context, c *pgx.Conn) error {
	n := s.set.table
	schemaExpr := "current_schema()"
	args := []any{}
	if len(n.parts) > 1 {
		schemaExpr = "$1"
		args = append(args, n.parts[len(n.parts)-2])
	}
	var ok *bool
	if err := c.QueryRow(ctx, `SELECT has_schema_privilege(`+schemaExpr+`, 'CREATE')`, args...).Scan(&ok); err != nil {
		return classify(fmt.Errorf("postgres: check the privilege to create %s: %w", n.sql(), err))
	}
	if ok == nil || !*ok {
		return fmt.Errorf("postgres: table %s does not exist, and the user may not create it", n.sql())
	}
	return nil
}

// replaceTable replaces @table in pre- and post-SQL with the table as
// configured, as DataX does.
func (s *Sink) replaceTable(q string) string { return strings.ReplaceAll(q, "@table", s.cfg.Table) }

// reload reads the table the writers write (the target, or with
// AtomicRefresh the staging table) from the catalog again.
func (s *Sink) reload(ctx context.Context, c *pgx.Conn) (*relation, error) {
	rel, err := loadRelation(ctx, c, s.writeName(), newTypes())
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.rel = rel
	s.mu.Unlock()
	return rel, nil
}

// target returns the target, reading it once.
func (s *Sink) target(ctx context.Context, c *pgx.Conn) (*relation, error) {
	s.mu.Lock()
	rel := s.rel
	s.mu.Unlock()
	if rel != nil {
		return rel, nil
	}
	return s.reload(ctx, c)
}

// targetNames returns the names of the target columns for schema, for
// CREATE TABLE.
func (s *Sink) targetNames(schema datasync.Schema) ([]string, error) {
	switch {
	case s.set.allColumns:
		return nil, fmt.Errorf("postgres: cannot create table %s for column [\"*\"]: name the columns, or give none to use the source's names", s.set.table.sql())
	case len(s.set.columns) == 0:
		return schema.Names(), nil
	case len(s.set.columns) != len(schema):
		return nil, s.countError(len(schema))
	}
	names := make([]string, len(s.set.columns))
	for i, c := range s.set.columns {
		names[i] = c.ident.parts[0]
	}
	return names, nil
}

func (s *Sink) countError(sourceWidth int) error {
	return fmt.Errorf("postgres: the sink's column list has %d names but the source has %d columns", len(s.set.columns), sourceWidth)
}

// writePlan is how records of one schema go into the target.
type writePlan struct {
	cols    []*relColumn // the target column of each schema column
	names   []string
	colList string // the quoted column list
	key     []int  // upsert: the conflict key, as indexes into cols
}

// plan maps schema's columns onto the target and checks their kinds and
// the conflict key.
func (s *Sink) plan(rel *relation, schema datasync.Schema) (*writePlan, error) {
	var idx []int
	var errs []error
	switch {
	case s.set.allColumns:
		for i, c := range rel.cols {
			if !c.generated {
				idx = append(idx, i)
			}
		}
		if len(idx) != len(schema) {
			return nil, fmt.Errorf("postgres: column [\"*\"]: table %s has %d writable columns but the source has %d", rel.display, len(idx), len(schema))
		}
	case len(s.set.columns) > 0:
		if len(s.set.columns) != len(schema) {
			return nil, s.countError(len(schema))
		}
		for _, ref := range s.set.columns {
			i, err := rel.column(ref, "column")
			if err != nil {
				errs = append(errs, err)
			}
			idx = append(idx, i)
		}
	default:
		for _, c := range schema {
			ref := columnRef{text: c.Name, ident: &name{parts: []string{c.Name}, raw: []string{c.Name}, quoted: []bool{false}}}
			i, err := rel.column(ref, "source column")
			if err != nil {
				errs = append(errs, err)
			}
			idx = append(idx, i)
		}
	}
	p := &writePlan{}
	seen := map[int]bool{}
	for j, i := range idx {
		if i < 0 {
			continue
		}
		c := &rel.cols[i]
		if seen[i] {
			errs = append(errs, fmt.Errorf("postgres: column %q of %s receives two source columns", c.name, rel.display))
		}
		seen[i] = true
		if c.generated {
			errs = append(errs, fmt.Errorf("postgres: column %q of %s is generated and cannot be written", c.name, rel.display))
		}
		if !compatible(schema[j].Kind, c.typ) {
			errs = append(errs, fmt.Errorf("postgres: source column %d %q (%s) cannot be written to column %q of %s (%s)",
				j+1, schema[j].Name, schema[j].Kind, c.name, rel.display, c.typ.name))
		}
		p.cols = append(p.cols, c)
		p.names = append(p.names, quoteIdent(c.name))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	p.colList = strings.Join(p.names, ", ")
	if s.set.mode == WriteUpsert {
		key, err := s.conflictKey(rel, idx)
		if err != nil {
			return nil, err
		}
		p.key = key
	}
	return p, nil
}

// conflictKey resolves the upsert's key: configured or the primary key; it
// must be a unique key of the table and among the written columns.
func (s *Sink) conflictKey(rel *relation, written []int) ([]int, error) {
	var key []int
	if len(s.set.conflictKey) > 0 {
		for _, ref := range s.set.conflictKey {
			i, err := rel.column(ref, "conflictKey")
			if err != nil {
				return nil, err
			}
			key = append(key, i)
		}
	} else if rel.hasPK {
		key = rel.keys[0]
	} else {
		return nil, fmt.Errorf("postgres: upsert into %s: the table has no primary key; give conflictKey", rel.display)
	}
	isKey := false
	for _, k := range rel.keys {
		isKey = isKey || (len(k) == len(key) && sameSet(k, key))
	}
	if !isKey {
		return nil, fmt.Errorf("postgres: upsert into %s: no unique index or constraint is on exactly %s", rel.display, colNames(rel, key))
	}
	out := make([]int, len(key))
	for i, k := range key {
		out[i] = slices.Index(written, k)
		if out[i] < 0 {
			return nil, fmt.Errorf("postgres: upsert into %s: conflict key column %q is not written", rel.display, rel.cols[k].name)
		}
	}
	return out, nil
}

func sameSet(a, b []int) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func colNames(rel *relation, idx []int) string {
	names := make([]string, len(idx))
	for i, k := range idx {
		names[i] = quoteIdent(rel.cols[k].name)
	}
	return "(" + strings.Join(names, ", ") + ")"
}

// compatible reports whether values of kind k can be written to a column of
// type t at all (single values may still fail to convert).
func compatible(k datasync.Kind, t *pgType) bool {
	switch k {
	case datasync.KindNull, datasync.KindString, datasync.KindBytes, datasync.KindJSON:
		return true // text the server parses
	}
	numeric := k == datasync.KindBool || k == datasync.KindInt || k == datasync.KindFloat || k == datasync.KindDecimal
	switch t.class {
	case classText, classChar, classBytea, classOther, classInterval, classMacaddr, classBit, classJSON, classJSONB:
		return true
	case classBool, classInt2, classInt4, classInt8, classOID, classFloat4, classFloat8, classNumeric:
		return numeric
	case classMoney:
		return numeric && k != datasync.KindBool
	case classDate, classTimestamp, classTimestamptz:
		return k == datasync.KindDate || k == datasync.KindTimestamp
	case classTime, classTimetz:
		return k == datasync.KindTime
	}
	return false
}

// Open returns a Writer for split sp. Each Flush commits; Close rolls back
// what was not flushed.
func (s *Sink) Open(ctx context.Context, sp datasync.Split) (datasync.Writer, error) {
	conn, err := s.conns.acquire(ctx)
	if err != nil {
		return nil, err
	}
	rel, err := s.target(ctx, conn.Conn())
	if err != nil {
		conn.Release()
		return nil, err
	}
	w := &writer{s: s, split: sp.ID, conn: conn, rel: rel, rows: s.takeRowBuf()}
	s.writers.Add(1)
	if !s.cfg.DisablePassThrough {
		w.encoding = s.encodingFor(rel)
	}
	return w, nil
}

// takeRowBuf returns the buffer of a writer that closed, so that a writer
// per split does not mean buffers grown again per split; or an empty one.
func (s *Sink) takeRowBuf() rowBuf {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.spare); n > 0 {
		r := s.spare[n-1]
		s.spare = s.spare[:n-1]
		return r
	}
	return rowBuf{}
}

// returnRowBuf keeps a closed writer's buffer, unless grown for huge rows,
// for as many writers as may run at once.
func (s *Sink) returnRowBuf(r rowBuf) {
	if cap(r.data) > 2*maxWindowBytes+(8<<20) || cap(r.data) == 0 {
		return
	}
	r.data, r.spans = r.data[:0], r.spans[:0]
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.spare) < maxSpareRowBufs {
		s.spare = append(s.spare, r)
	}
}

// maxSpareRowBufs bounds the buffers a Sink keeps: more than any sensible
// parallelism.
const maxSpareRowBufs = 64

// encodingFor names the pass-through encoding the target accepts: binary
// COPY rows of exactly its columns' types, in order. Without a column list
// the order is the source's, known only once Prepare has run here.
func (s *Sink) encodingFor(rel *relation) string {
	s.mu.Lock()
	schema := s.schema
	s.mu.Unlock()
	if len(s.set.columns) == 0 && !s.set.allColumns && schema == nil {
		return ""
	}
	if schema == nil {
		// The column list alone decides the order. Strings map onto every
		// type: only the order matters here.
		n := len(s.set.columns)
		if s.set.allColumns {
			for _, c := range rel.cols {
				if !c.generated {
					n++
				}
			}
		}
		schema = make(datasync.Schema, n)
		for i := range schema {
			schema[i].Kind = datasync.KindString
		}
	}
	p, err := s.plan(rel, schema)
	if err != nil {
		return ""
	}
	types := make([]*pgType, len(p.cols))
	for i, c := range p.cols {
		types[i] = c.typ
	}
	return encodingName(types)
}
