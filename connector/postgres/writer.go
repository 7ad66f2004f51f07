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
	"github.com/datasync-go/datasync/connector/internal/netdial"
	"github.com/datasync-go/datasync/encoded"
)

// writer writes the batches of one split in transactions that Flush commits.
// Each batch is encoded once, into a buffer the writer keeps (rowBuf), and
// handed to a COPY that stays open across batches (binary, or text when
// some value needs the server to parse it; see stream.go); a COPY the
// server rejects is narrowed down to the rows at fault (see narrow.go).
type writer struct {
	s        *Sink
	split    string
	conn     *pgxpool.Conn
	rel      *relation
	encoding string // the pass-through encoding accepted, "" for none

	schema datasync.Schema // the schema plan was made for
	plan   *writePlan
	sql    copySQL

	tx     txState
	stage  string // upsert's staging table, once created
	rows   rowBuf // every row sent since the savepoint
	window []windowCopy
	cp     *copyStream // the open COPY, if any

	seq        int64           // rows given to the writer so far
	batch      *datasync.Batch // the batch being written
	batchSeq   int64           // the number of its first row
	batchFirst int             // where its rows start in rows.spans
	batchStart int             // and in rows.data

	// A batch written while the last COPY was closing waits for it here,
	// to start the next (see stream.go).
	pending      bool
	pendingFmt   copyFormat
	pendingFirst int // where its rows start in rows.spans
	pendingStart int // and in rows.data

	raw     []byte // scratch for text values
	src     copySource
	indexes []int
	rejects []*datasync.RowError

	dropped  int // bytes the last dropRows moved the rows by
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
// (see encoded.Writer), or "" when pass-through is off or the
// column order is not known yet.
func (w *writer) AcceptedEncoding() string { return w.encoding }

// The pipeline finds AcceptedEncoding by its signature; keep it that of
// encoded.Writer.
var _ encoded.Writer = (*writer)(nil)

// Write writes the rows of b. Rows that cannot be converted for their
// column, or that the server rejects, come back in a *datasync.RowErrors
// with the server's own error; rows of earlier batches the server rejected
// meanwhile come with them, late (see stream.go). Every other row is written
// exactly once.
func (w *writer) Write(ctx context.Context, b *datasync.Batch) error {
	if b.Len() == 0 {
		return nil
	}
	w.rejects = w.rejects[:0]
	if err := w.prepare(ctx, b.Schema()); err != nil {
		return err
	}
	w.batch, w.batchSeq = b, w.seq
	w.seq += int64(b.Len())
	defer func() { w.batch = nil }()
	if w.cp != nil && w.cp.ended() { // rejected already, or closed: its verdict is in
		if err := w.endCopy(ctx); err != nil {
			return err
		}
	}
	if w.pending {
		if err := w.sendPending(ctx); err != nil {
			return err
		}
	}
	w.batchFirst, w.batchStart = len(w.rows.spans), len(w.rows.data)
	if w.rows.data == nil {
		// A window and a typical batch: grown once, not by doubling.
		w.rows.data = make([]byte, 0, w.s.windowBytes()+512<<10)
	}
	format := formatBinary
	if enc := encoded.Of(b); enc != "" {
		if enc != w.encoding {
			return fmt.Errorf("postgres: a batch of %q rows reached a writer that accepts %q", enc, w.encoding)
		}
		format = formatPassThrough
		w.copyEncoded(b)
	} else {
		var err error
		if format, err = w.encode(b); err != nil {
			return err
		}
	}
	sent := len(w.rows.spans) - w.batchFirst
	if err := w.send(ctx, format); err != nil {
		return err
	}
	switch format {
	case formatPassThrough:
		w.s.passedThrough.Add(int64(sent))
	case formatText:
		w.s.textRows.Add(int64(sent))
	}
	if len(w.rejects) > 0 {
		return &datasync.RowErrors{Errors: w.rejects}
	}
	return nil
}

// send hands the batch's rows, the last of w.rows, to the open COPY, or to
// a new one when there is none or it is of the other format. A text COPY
// ends with its batch (text is for the rare values only the server can
// parse); a COPY that fills the window is closed without waiting for the
// server's verdict, and the next batch waits for it as pending.
func (w *writer) send(ctx context.Context, format copyFormat) error {
	if w.batchFirst == len(w.rows.spans) {
		return nil // every row was rejected
	}
	if w.cp != nil && w.cp.closed {
		if format != formatText {
			w.pending, w.pendingFmt, w.pendingFirst, w.pendingStart = true, format, w.batchFirst, w.batchStart
			return nil
		}
		if err := w.endCopy(ctx); err != nil {
			return err
		}
	}
	if w.cp != nil && w.window[len(w.window)-1].format != format {
		if err := w.endCopy(ctx); err != nil {
			return err
		}
	}
	if err := w.handOver(ctx, format, w.batchFirst, w.batchStart); err != nil {
		return err
	}
	if format == formatText {
		return w.endCopy(ctx)
	}
	if len(w.rows.data) >= w.s.windowBytes() {
		w.cp.close()
	}
	return nil
}

// sendPending waits for the verdict of the COPY that was closing when the
// pending batch came, and sends the batch in a new COPY.
func (w *writer) sendPending(ctx context.Context) error {
	if w.cp != nil {
		if err := w.endCopy(ctx); err != nil {
			return err
		}
	}
	w.pending = false
	return w.handOver(ctx, w.pendingFmt, w.pendingFirst, w.pendingStart)
}

// handOver hands the rows of w.rows from spans[first], data[start], which
// no COPY took yet, to the open COPY, or to a new one (under a new
// savepoint when the window is full).
func (w *writer) handOver(ctx context.Context, format copyFormat, first, start int) error {
	for tries := 0; ; tries++ {
		if w.cp == nil {
			first, start = w.newWindow(first, start)
			w.startCopy(ctx, format, first)
		}
		if w.cp.send(ctx, w.rows.data[start:]) {
			w.window[len(w.window)-1].end = len(w.rows.spans)
			return nil
		}
		// The COPY ended before taking the rows: the server rejected a row
		// sent earlier, or ctx ended.
		before := len(w.rows.spans)
		w.dropped = 0
		if err := w.endCopy(ctx); err != nil {
			return err
		}
		first, start = first-(before-len(w.rows.spans)), start-w.dropped
		if tries > 0 || ctx.Err() != nil {
			return fmt.Errorf("postgres: COPY ended before it took a batch: %w", context.Cause(ctx))
		}
	}
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
	if w.cp != nil { // the open COPY is of the old plan's columns
		if err := w.endCopy(ctx); err != nil {
			return err
		}
	}
	w.window = w.window[:0]
	w.rows.dropFirst(len(w.rows.spans))
	w.plan, w.schema = p, schema
	target := w.rel.sql
	cols := p.colList
	if w.s.set.mode == WriteUpsert {
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
		w.window = w.window[:0] // the new savepoint holds the CREATE only
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

// Flush ends the open COPY and commits what was written since the last
// Flush. Rows of earlier batches the server rejected meanwhile come back in
// a *datasync.RowErrors, once every other row is committed.
func (w *writer) Flush(ctx context.Context) error { return w.flush(ctx, "") }

// flush is Flush, running record (statements recording the split's
// progress, or "") in the transaction before its COMMIT.
func (w *writer) flush(ctx context.Context, record string) error {
	w.rejects = w.rejects[:0]
	if w.pending {
		if err := w.sendPending(ctx); err != nil {
			return err
		}
	}
	if w.cp != nil {
		if err := w.endCopy(ctx); err != nil {
			return err
		}
	}
	w.window = w.window[:0]
	w.rows.dropFirst(len(w.rows.spans))
	if w.tx == txNone && record == "" {
		return nil
	}
	sql := "COMMIT"
	if record != "" {
		sql = record + "; COMMIT"
	}
	switch w.tx {
	case txNone:
		sql = "BEGIN; " + sql
	case txAborted:
		sql = "ROLLBACK TO SAVEPOINT datasync; " + sql
	}
	tag, err := w.exec(ctx, sql)
	w.tx = txNone
	if err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	if tag != "COMMIT" {
		return fmt.Errorf("postgres: commit: the server rolled the transaction back (%s)", tag)
	}
	if len(w.rejects) > 0 {
		return &datasync.RowErrors{Errors: w.rejects}
	}
	return nil
}

// Close abandons the open COPY, rolls back what was not flushed, drops the
// staging table and returns the connection to the pool.
func (w *writer) Close() error {
	if w.conn == nil {
		return nil
	}
	defer func() {
		w.conn.Release()
		w.conn = nil
	}()
	if w.cp != nil {
		w.cp.fail()
		w.cp = nil
	}
	w.s.returnRowBuf(w.rows) // nothing reads it any more
	w.rows = rowBuf{}
	w.s.writers.Add(-1)
	if broken(w.conn) {
		return nil
	}
	ctx, cancel := netdial.CleanupContext()
	defer cancel()
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
