package mysql

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-sql-driver/mysql"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/netdial"
)

// Sink writes records into a MySQL table. It implements datasync.Sink,
// datasync.Finalizer and datasync.SinkChecker, and is safe for concurrent
// use.
type Sink struct {
	cfg    SinkConfig
	pool   *pool
	table  tableName // the table written: final, or its staging table (AtomicRefresh)
	final  tableName // the table configured
	mode   WriteMode
	load   LoadData
	logger *slog.Logger
	// progress is where checkpoints go with exactly-once on, else nil.
	progress *progress

	mu         sync.Mutex
	plan       *sinkPlan // for the last schema seen
	encoding   string    // the pass-through encoding its writers accept
	encodingOK bool

	stats sinkStats
}

// sinkStats counts what the sink's writers did, for tests and logs.
type sinkStats struct {
	loads       atomic.Int64 // LOAD DATA statements that were kept
	encoded     atomic.Int64 // of which, of encoded rows (the pass-through)
	loadsUndone atomic.Int64 // LOAD DATA statements rolled back for the INSERT path
	inserts     atomic.Int64 // INSERT statements that were kept
	narrowed    atomic.Int64 // INSERT statements undone and halved
}

var (
	_ datasync.Sink        = (*Sink)(nil)
	_ datasync.Finalizer   = (*Sink)(nil)
	_ datasync.SinkChecker = (*Sink)(nil)

	_ datasync.CheckpointSink = (*Sink)(nil)
	_ datasync.ResumePreparer = (*Sink)(nil)
)

// NewSink returns a Sink for cfg. It checks the config but does no I/O.
func NewSink(cfg SinkConfig) (*Sink, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg.Column = append([]string(nil), cfg.Column...)
	cfg.Session = append([]string(nil), cfg.Session...)
	cfg.PreSQL = append([]string(nil), cfg.PreSQL...)
	cfg.PostSQL = append([]string(nil), cfg.PostSQL...)
	p, err := newPool(cfg.DSN, cfg.TLS, cfg.DB, cfg.Session)
	if err != nil {
		return nil, fmt.Errorf("mysql sink: %w", err)
	}
	s := &Sink{cfg: cfg, pool: p, mode: WriteMode(strings.ToLower(string(cfg.WriteMode))), load: LoadData(strings.ToLower(string(cfg.LoadData))), logger: cfg.Logger}
	s.table, _ = parseTableName(cfg.Table) // validated above
	s.progress, _ = cfg.progressSettings()
	s.final = s.table
	if cfg.AtomicRefresh {
		s.table = stagingName(s.final)
	}
	if s.mode == "" {
		s.mode = WriteInsert
	}
	if s.load == "" {
		s.load = LoadDataAuto
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

// Close closes the pool the sink opened from its DSN; a caller's *sql.DB is
// left open.
func (s *Sink) Close() error { return s.pool.close() }

// sinkPlan is how records of one schema are written into the table.
type sinkPlan struct {
	signature  string
	info       serverInfo
	meta       *tableMeta
	targets    []target // by the source's column position
	names      []string // the source's column names
	insertHead string   // INSERT|REPLACE INTO t (...) VALUES
	insertTail string   // ON DUPLICATE KEY UPDATE ..., or ""
	loadTail   string   // what follows LOAD DATA LOCAL INFILE '...'
}

func signature(schema datasync.Schema) string {
	var b strings.Builder
	for _, c := range schema {
		b.WriteString(c.Name)
		b.WriteByte(0)
		b.WriteString(c.Kind.String())
		b.WriteByte(0)
	}
	return b.String()
}

// planFor returns the plan for schema, reading the table once.
func (s *Sink) planFor(ctx context.Context, c *conn, schema datasync.Schema) (*sinkPlan, error) {
	sig := signature(schema)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.plan != nil && s.plan.signature == sig {
		return s.plan, nil
	}
	info, err := s.pool.serverInfo(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("mysql sink: %w", err)
	}
	meta, err := loadTable(ctx, c, info, s.table)
	if err != nil {
		if errors.Is(err, errNoTable) {
			return nil, fmt.Errorf("mysql sink: table %s does not exist (set createTable to create it)", s.table)
		}
		return nil, fmt.Errorf("mysql sink: %w", err)
	}
	p, err := s.buildPlan(info, meta, schema)
	if err != nil {
		return nil, err
	}
	p.signature = sig
	s.plan = p
	return p, nil
}

// buildPlan matches the source's columns to the table's and checks,
// before any row moves, everything that can be checked.
func (s *Sink) buildPlan(info serverInfo, m *tableMeta, schema datasync.Schema) (*sinkPlan, error) {
	fail := func(format string, args ...any) (*sinkPlan, error) {
		return nil, fmt.Errorf("mysql sink: table %s: "+format, append([]any{m.name}, args...)...)
	}
	if len(schema) == 0 {
		return fail("the source has no columns")
	}
	if !m.transactional() {
		return fail("its engine %s cannot roll back, and the sink needs a transactional engine (InnoDB) "+
			"to write every row exactly once while setting rejected rows aside", m.engine)
	}
	var cols []int
	switch {
	case len(s.cfg.Column) == 0:
		for _, c := range schema {
			i := m.find(c.Name)
			if i < 0 {
				return fail("it has no column %q for the source's column of that name (it has %s; or list the target columns in column)",
					c.Name, columnNames(m))
			}
			cols = append(cols, i)
		}
	case isStar(s.cfg.Column):
		for i, c := range m.columns {
			if !c.generated {
				cols = append(cols, i)
			}
		}
		if len(cols) != len(schema) {
			return fail("column is [\"*\"], and its %d writable columns do not match the source's %d columns", len(cols), len(schema))
		}
	default:
		if len(s.cfg.Column) != len(schema) {
			return fail("column lists %d columns but the source has %d (%s): they are matched by position",
				len(s.cfg.Column), len(schema), strings.Join(schema.Names(), ", "))
		}
		for _, name := range s.cfg.Column {
			i := m.find(unquoteIdent(strings.TrimSpace(name)))
			if i < 0 {
				return fail("column %q does not exist (it has %s)", name, columnNames(m))
			}
			cols = append(cols, i)
		}
	}
	p := &sinkPlan{info: info, meta: m, names: schema.Names()}
	seen := map[int]bool{}
	var idents []string
	for j, i := range cols {
		c := m.columns[i]
		if seen[i] {
			return fail("column %q is written twice", c.name)
		}
		seen[i] = true
		if c.generated {
			return fail("column %q is generated and cannot be written", c.name)
		}
		t := newTarget(c, info)
		if !t.accepts(schema[j].Kind) {
			return fail("column %q (%s) cannot take the %s values of the source's column %q", c.name, c.columnType, schema[j].Kind, schema[j].Name)
		}
		p.targets = append(p.targets, t)
		idents = append(idents, quoteIdent(c.name))
	}
	for i, c := range m.columns {
		if !seen[i] && !c.nullable && !c.hasDefault && !c.autoInc && !c.generated {
			return fail("column %q is NOT NULL without a default, and is not written", c.name)
		}
	}
	if s.mode != WriteInsert {
		if len(m.unique) == 0 {
			return fail("writeMode %s needs a primary or unique key, and the table has none", s.mode)
		}
	}
	list := " (" + strings.Join(idents, ", ") + ")"
	verb := "INSERT INTO "
	if s.mode == WriteReplace {
		verb = "REPLACE INTO "
	}
	p.insertHead = verb + m.name.quoted() + list + " VALUES "
	if s.mode == WriteUpdate {
		sets := make([]string, len(idents))
		alias := !info.mariaDB && info.atLeast(8, 0, 19) // VALUES() is deprecated there
		for i, id := range idents {
			if alias {
				sets[i] = id + " = ds_new." + id
			} else {
				sets[i] = id + " = VALUES(" + id + ")"
			}
		}
		if alias {
			p.insertTail = " AS ds_new"
		}
		p.insertTail += " ON DUPLICATE KEY UPDATE " + strings.Join(sets, ", ")
	}
	replace := ""
	if s.mode == WriteReplace {
		replace = " REPLACE"
	}
	p.loadTail = replace + " INTO TABLE " + m.name.quoted() +
		` CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\t' ESCAPED BY '\\' LINES TERMINATED BY '\n'` + list
	return p, nil
}

// Prepare runs once per job, before any row is written: it checks the
// table against the source's schema, then truncates it (Truncate), runs
// PreSQL, and creates the table when it is missing (CreateTable). Nothing
// is changed when a check fails.
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
	c, err := s.pool.acquire(ctx, 0)
	if err != nil {
		return fmt.Errorf("mysql sink: %w", err)
	}
	defer c.release()
	info, err := s.pool.serverInfo(ctx, c)
	if err != nil {
		return fmt.Errorf("mysql sink: %w", err)
	}
	if s.progress != nil {
		found, err := s.prepareProgress(ctx, c)
		if err != nil {
			return err
		}
		resuming = resuming || found
	}
	// After the progress table: a resumed run keeps the staging table it was loading.
	if s.cfg.AtomicRefresh {
		if err := s.stage(ctx, c, info, schema, resuming); err != nil {
			return err
		}
	}
	meta, err := loadTable(ctx, c, info, s.table)
	missing := errors.Is(err, errNoTable)
	if err != nil && !missing {
		return fmt.Errorf("mysql sink: %w", err)
	}
	var ddl string
	if missing {
		if !s.cfg.CreateTable {
			return fmt.Errorf("mysql sink: table %s does not exist (set createTable to create it)", s.table)
		}
		if ddl, err = createTableSQL(s.table, schema); err != nil {
			return fmt.Errorf("mysql sink: create table %s: %w", s.table, err)
		}
	} else if _, err := s.buildPlan(info, meta, schema); err != nil {
		return err
	}
	if s.cfg.Truncate && !missing && !resuming {
		if _, err := c.ExecContext(ctx, "TRUNCATE TABLE "+s.table.quoted()); err != nil {
			return classify(fmt.Errorf("mysql sink: truncate %s: %w", s.table, err))
		}
	}
	for _, stmt := range s.cfg.PreSQL {
		if resuming {
			break // it ran when the interrupted run started
		}
		if _, err := c.ExecContext(ctx, withTable(stmt, s.final)); err != nil {
			return classify(fmt.Errorf("mysql sink: preSql %q: %w", shorten(stmt), err))
		}
	}
	if missing {
		if _, err := c.ExecContext(ctx, ddl); err != nil {
			var my *mysql.MySQLError
			// preSql may have created it meanwhile.
			if !errors.As(err, &my) || my.Number != 1050 {
				return classify(fmt.Errorf("mysql sink: create table %s: %w", s.table, err))
			}
		}
		s.logger.LogAttrs(ctx, slog.LevelInfo, "created the target table", slog.String("table", s.table.String()))
	}
	s.mu.Lock()
	s.plan, s.encodingOK = nil, false // the table may have changed
	s.mu.Unlock()
	_, err = s.planFor(ctx, c, schema)
	return err
}

// Finalize runs PostSQL, once, after every split succeeded; with
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
	c, err := s.pool.acquire(ctx, 0)
	if err != nil {
		return fmt.Errorf("mysql sink: %w", err)
	}
	defer c.release()
	for _, stmt := range s.cfg.PostSQL {
		if _, err := c.ExecContext(ctx, withTable(stmt, s.final)); err != nil {
			return classify(fmt.Errorf("mysql sink: postSql %q: %w", shorten(stmt), err))
		}
	}
	if s.progress != nil {
		return s.forgetProgress(ctx, c)
	}
	return nil
}

// Check checks, without writing or changing anything, that records of
// schema could be written: the connection, the table (or, when it is
// missing and CreateTable is set, that a table can be made from the schema;
// the privilege to create it is not checked), its columns and their types
// against the schema, the key the write mode needs, the privilege to write,
// and whether LOAD DATA LOCAL is available (an error only when LoadData is
// "require"; otherwise the sink uses INSERT, and logs so).
func (s *Sink) Check(ctx context.Context, schema datasync.Schema) error {
	c, err := s.pool.acquire(ctx, 0)
	if err != nil {
		return fmt.Errorf("mysql sink: %w", err)
	}
	defer c.release()
	info, err := s.pool.serverInfo(ctx, c)
	if err != nil {
		return fmt.Errorf("mysql sink: %w", err)
	}
	if err := s.checkProgress(ctx, c); err != nil {
		return err
	}
	meta, err := loadTable(ctx, c, info, s.final)
	if errors.Is(err, errNoTable) {
		if !s.cfg.CreateTable {
			return fmt.Errorf("mysql sink: table %s does not exist (set createTable to create it)", s.table)
		}
		if _, err := createTableSQL(s.table, schema); err != nil {
			return fmt.Errorf("mysql sink: create table %s: %w", s.table, err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("mysql sink: %w", err)
	}
	p, err := s.buildPlan(info, meta, schema)
	if err != nil {
		return err
	}
	// Probe the privileges and LOAD DATA with statements that write no row,
	// in a transaction rolled back.
	if _, err := c.ExecContext(ctx, "START TRANSACTION"); err != nil {
		return classify(fmt.Errorf("mysql sink: %w", err))
	}
	defer func() {
		ctx, cancel := netdial.CleanupContext()
		defer cancel()
		_, _ = c.ExecContext(ctx, "ROLLBACK")
	}()
	probe := strings.Replace(p.insertHead, " VALUES ", " SELECT "+strings.Join(quotedTargets(p), ", ")+" FROM "+meta.name.quoted()+" WHERE 1 = 0", 1)
	if p.insertTail != "" {
		probe += " ON DUPLICATE KEY UPDATE " + strings.SplitN(p.insertTail, " ON DUPLICATE KEY UPDATE ", 2)[1]
		probe = strings.ReplaceAll(probe, "ds_new.", meta.name.quoted()+".")
	}
	if _, err := c.ExecContext(ctx, probe); err != nil {
		return fmt.Errorf("mysql sink: table %s: cannot write (%s): %w", s.table, s.mode, err)
	}
	if s.load == LoadDataOff || s.mode == WriteUpdate {
		return nil
	}
	name := loadReaderName()
	mysql.RegisterReaderHandler(name, func() io.Reader { return strings.NewReader("") })
	defer mysql.DeregisterReaderHandler(name)
	_, err = c.ExecContext(ctx, "LOAD DATA LOCAL INFILE 'Reader::"+name+"'"+p.loadTail)
	switch {
	case err == nil:
		return nil
	case isLoadDisabled(err) && s.load == LoadDataRequire:
		return fmt.Errorf("mysql sink: LOAD DATA LOCAL INFILE is not available and loadData is %q: %w", LoadDataRequire, err)
	case isLoadDisabled(err):
		s.logger.LogAttrs(ctx, slog.LevelInfo, "LOAD DATA LOCAL INFILE is not available: the sink will use multi-row INSERT",
			slog.String("table", s.table.String()), slog.String("error", err.Error()))
		return nil
	}
	return fmt.Errorf("mysql sink: table %s: LOAD DATA LOCAL INFILE fails: %w", s.table, err)
}

func quotedTargets(p *sinkPlan) []string {
	out := make([]string, len(p.targets))
	for i, t := range p.targets {
		out[i] = quoteIdent(t.col.name)
	}
	return out
}
