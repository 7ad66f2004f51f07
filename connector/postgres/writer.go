package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/datasync-go/datasync"
)

// writer writes the batches of one split in transactions that Flush commits.
// Each batch is encoded once, into a buffer the writer keeps, and sent with
// one COPY (binary, or text when some value needs the server to parse it);
// a COPY the server rejects is narrowed down to the rows at fault (see
// narrow.go), each sent again under a savepoint.
type writer struct {
	s        *Sink
	split    string
	conn     *pgxpool.Conn
	rel      *relation
	encoding string // the pass-through encoding accepted, "" for none

	schema datasync.Schema // the schema plan was made for
	plan   *writePlan
	sql    copySQL

	tx      txState
	stage   string // upsert's staging table, once created
	rows    rowBuf
	raw     []byte // scratch for text values
	src     copySource
	rejects []*datasync.RowError
	batch   *datasync.Batch // the batch being written
	all     []int

	// What was sent since the current savepoint, in rows.data (see
	// savepoint.go).
	keptCopies []keptCopy
	keptAll    bool

	attempts int // COPY statements sent, for tests
}

// txState is where the writer's connection is in its transaction.
type txState uint8

const (
	txNone    txState = iota // no transaction open
	txClean                  // savepoint "datasync" holds everything since the last one
	txAborted                // the last statement failed: roll back to the savepoint
)

// copySQL holds the statements of a plan.
type copySQL struct {
	binary, text string // COPY ... FROM STDIN
	merge        string // upsert: staging table into the target
}

// AcceptedEncoding names the binary COPY rows the writer takes as they are
// (see datasync.EncodingWriter), or "" when pass-through is off or the
// column order is not known yet.
func (w *writer) AcceptedEncoding() string { return w.encoding }

// Write writes the rows of b. Rows that cannot be converted for their
// column, or that the server rejects, come back in a *datasync.RowErrors
// with the server's own error; every other row is written exactly once.
func (w *writer) Write(ctx context.Context, b *datasync.Batch) error {
	if b.Len() == 0 {
		return nil
	}
	if err := w.prepare(ctx, b.Schema()); err != nil {
		return err
	}
	w.batch, w.rejects = b, w.rejects[:0]
	defer func() { w.batch = nil }()
	w.all = w.all[:0]
	shared := w.canShareSavepoint()
	if !shared {
		w.forgetKept() // the batch goes under a savepoint of its own
	}
	format := formatBinary
	if enc := b.Encoding(); enc != "" {
		if enc != w.encoding {
			return fmt.Errorf("postgres: a batch of %q rows reached a writer that accepts %q", enc, w.encoding)
		}
		format = formatPassThrough
		for i := range b.Len() {
			w.all = append(w.all, i)
		}
	} else {
		var err error
		if format, err = w.encode(b); err != nil {
			return err
		}
	}
	if err := w.load(ctx, w.all, format, shared); err != nil {
		return err
	}
	switch format {
	case formatPassThrough:
		w.s.passedThrough.Add(int64(len(w.all) - len(w.rejects)))
	case formatText:
		w.s.textRows.Add(int64(len(w.all)))
	}
	if len(w.rejects) > 0 {
		return &datasync.RowErrors{Errors: w.rejects}
	}
	return nil
}

// prepare maps the batch's schema onto the target, once per schema, and
// creates upsert's staging table.
func (w *writer) prepare(ctx context.Context, schema datasync.Schema) error {
	if w.plan != nil && sameSchema(schema, w.schema) {
		return nil
	}
	p, err := w.s.plan(w.rel, schema)
	if err != nil {
		return err
	}
	w.plan, w.schema = p, schema
	target := w.rel.sql
	cols := p.colList
	if w.s.set.mode == Upsert {
		if err := w.createStage(ctx); err != nil {
			return err
		}
		target = quoteIdent(w.stage)
		cols += ", " + quoteIdent(rowColumn)
		w.sql.merge = mergeSQL(w.rel, p, w.stage)
	}
	w.sql.binary = fmt.Sprintf("COPY %s (%s) FROM STDIN (FORMAT binary)", target, cols)
	w.sql.text = fmt.Sprintf("COPY %s (%s) FROM STDIN (FORMAT text)", target, cols)
	return nil
}

// sameSchema reports whether two schemas are the same slice, the common
// case, or equal.
func sameSchema(a, b datasync.Schema) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// rowColumn is the staging table's extra column: the row's index in its
// batch, so that the last of several rows with one key wins, as it would
// had they been upserted one by one.
const rowColumn = "__datasync_row"

func (w *writer) createStage(ctx context.Context) error {
	if w.stage != "" {
		if _, err := w.exec(ctx, "DROP TABLE IF EXISTS "+quoteIdent(w.stage)); err != nil {
			return err
		}
	}
	var r [6]byte
	_, _ = rand.Read(r[:])
	stage := "datasync_stage_" + hex.EncodeToString(r[:])
	// Outside the writer's transaction, so that a rollback keeps it; ON
	// COMMIT DELETE ROWS empties it at each Flush.
	sql := fmt.Sprintf("CREATE TEMP TABLE %s ON COMMIT DELETE ROWS AS SELECT %s, NULL::int8 AS %s FROM %s WITH NO DATA",
		quoteIdent(stage), w.plan.colList, quoteIdent(rowColumn), w.rel.sql)
	if w.tx != txNone {
		sql = w.prefix() + sql // inside the transaction, under its savepoint
	}
	if _, err := w.exec(ctx, sql); err != nil {
		return fmt.Errorf("postgres: create the staging table for upsert: %w", err)
	}
	if w.tx != txNone {
		w.tx = txClean
		w.forgetKept() // the new savepoint holds the CREATE only
	}
	w.stage = stage
	return nil
}

// mergeSQL moves the staging table's rows into the target: the last row of
// each key (rows with a NULL in the key are all kept, as they never
// conflict), inserted, or updating the row with that key.
func mergeSQL(rel *relation, p *writePlan, stage string) string {
	keys := make([]string, len(p.key))
	nullKey := make([]string, len(p.key))
	isKey := make([]bool, len(p.names))
	for i, k := range p.key {
		keys[i] = p.names[k]
		nullKey[i] = p.names[k] + " IS NULL"
		isKey[k] = true
	}
	row := quoteIdent(rowColumn)
	distinct := fmt.Sprintf("%s, CASE WHEN %s THEN %s END", strings.Join(keys, ", "), strings.Join(nullKey, " OR "), row)
	del := fmt.Sprintf("WITH s AS (DELETE FROM %s RETURNING *)", quoteIdent(stage))
	if rel.version < 90500 || forceMergeFallback {
		return mergeFallbackSQL(rel, p, del, distinct, isKey)
	}
	var set []string
	for i, n := range p.names {
		if !isKey[i] {
			set = append(set, fmt.Sprintf("%s = EXCLUDED.%s", n, n))
		}
	}
	action := "DO NOTHING"
	if len(set) > 0 {
		action = "DO UPDATE SET " + strings.Join(set, ", ")
	}
	return fmt.Sprintf("%s INSERT INTO %s (%s) SELECT DISTINCT ON (%s) %s FROM s ORDER BY %s, %s DESC ON CONFLICT (%s) %s",
		del, rel.sql, p.colList, distinct, p.colList, distinct, row, strings.Join(keys, ", "), action)
}

// forceMergeFallback makes servers with ON CONFLICT use the fallback too;
// tests set it.
var forceMergeFallback = false

// mergeFallbackSQL is the merge for servers before 9.5, without ON CONFLICT:
// an UPDATE of the rows whose key exists, then an INSERT of the others, in
// one statement.
func mergeFallbackSQL(rel *relation, p *writePlan, del, distinct string, isKey []bool) string {
	row := quoteIdent(rowColumn)
	var set, match, sel []string
	for i, n := range p.names {
		sel = append(sel, "d."+n)
		if isKey[i] {
			match = append(match, fmt.Sprintf("t.%s = d.%s", n, n))
		} else {
			set = append(set, fmt.Sprintf("%s = d.%s", n, n))
		}
	}
	if len(set) == 0 { // every column is in the key: a no-op update marks the row found
		k := p.names[p.key[0]]
		set = append(set, fmt.Sprintf("%s = d.%s", k, k))
	}
	return fmt.Sprintf("%s, d AS (SELECT DISTINCT ON (%s) * FROM s ORDER BY %s, %s DESC), "+
		"u AS (UPDATE %s t SET %s FROM d WHERE %s RETURNING d.%s AS r) "+
		"INSERT INTO %s (%s) SELECT %s FROM d WHERE d.%s NOT IN (SELECT r FROM u)",
		del, distinct, distinct, row,
		rel.sql, strings.Join(set, ", "), strings.Join(match, " AND "), row,
		rel.sql, p.colList, strings.Join(sel, ", "), row)
}

// Flush commits what was written since the last Flush.
func (w *writer) Flush(ctx context.Context) error {
	if w.tx == txNone {
		return nil
	}
	sql := "COMMIT"
	if w.tx == txAborted {
		sql = "ROLLBACK TO SAVEPOINT datasync; COMMIT"
	}
	tag, err := w.exec(ctx, sql)
	w.tx = txNone
	w.forgetKept()
	if err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	if tag != "COMMIT" {
		return fmt.Errorf("postgres: commit: the server rolled the transaction back (%s)", tag)
	}
	return nil
}

// Close rolls back what was not flushed, drops the staging table and
// returns the connection to the pool.
func (w *writer) Close() error {
	if w.conn == nil {
		return nil
	}
	defer func() {
		w.conn.Release()
		w.conn = nil
	}()
	if broken(w.conn) {
		return nil
	}
	ctx := context.Background()
	var err error
	if w.tx != txNone {
		_, err = w.exec(ctx, "ROLLBACK")
	}
	if w.stage != "" {
		_, derr := w.exec(ctx, "DROP TABLE IF EXISTS "+quoteIdent(w.stage))
		err = errors.Join(err, derr)
	}
	return err
}

// exec runs a simple-protocol statement (several, separated by
// semicolons) and returns the last command tag.
func (w *writer) exec(ctx context.Context, sql string) (string, error) {
	results, err := w.conn.Conn().PgConn().Exec(ctx, sql).ReadAll()
	if err != nil {
		return "", classify(err)
	}
	if len(results) == 0 {
		return "", nil
	}
	return results[len(results)-1].CommandTag.String(), nil
}

// prefix returns the statements that must precede the next one: open the
// transaction (with the session settings text values are read under) and
// set the savepoint, or release the last savepoint and set a new one, or
// undo the failed statement.
func (w *writer) prefix() string {
	switch w.tx {
	case txNone:
		return "BEGIN; SET LOCAL TimeZone = 'UTC'; SET LOCAL IntervalStyle = 'postgres'; SAVEPOINT datasync; "
	case txClean:
		return "RELEASE SAVEPOINT datasync; SAVEPOINT datasync; "
	}
	return "ROLLBACK TO SAVEPOINT datasync; "
}
