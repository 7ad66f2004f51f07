package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Atomic refresh (SinkConfig.AtomicRefresh): the writers load a staging
// table made LIKE the target, which Finalize swaps in by renames in one
// transaction, and Abort drops.

// refreshSuffix names the staging table: the target's name with it.
const refreshSuffix = "_datasync_new"

// refreshOldSuffix names the old table between the renames and its drop,
// inside the swap's transaction.
const refreshOldSuffix = "_datasync_old"

// pgMaxIdent is the longest identifier PostgreSQL keeps (NAMEDATALEN-1).
const pgMaxIdent = 63

// withSuffix returns ident with suffix, shortened so that the whole fits
// an identifier.
func withSuffix(ident, suffix string) string {
	keep := pgMaxIdent - len(suffix)
	if len(ident) > keep {
		cut := keep
		for cut > 0 && !isRuneStart(ident[cut]) {
			cut--
		}
		ident = ident[:cut]
	}
	return ident + suffix
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// writeName is the table the writers write: the target, or with
// AtomicRefresh its staging table, in the same schema.
func (s *Sink) writeName() name {
	if !s.cfg.AtomicRefresh {
		return s.set.table
	}
	n := s.set.table
	last := len(n.parts) - 1
	staged := name{
		parts:  append(append([]string{}, n.parts[:last]...), withSuffix(n.parts[last], refreshSuffix)),
		quoted: append(append([]bool{}, n.quoted[:last]...), true),
	}
	staged.raw = staged.parts
	return staged
}

// loadTarget reads the configured table from the catalog.
func (s *Sink) loadTarget(ctx context.Context, c *pgx.Conn) (*relation, error) {
	return loadRelation(ctx, c, s.set.table, newTypes())
}

// relationSchema returns the schema (namespace) of rel, quoted.
func relationSchema(ctx context.Context, c *pgx.Conn, rel *relation) (string, error) {
	var nsp string
	err := c.QueryRow(ctx, `SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1`, rel.oid).Scan(&nsp)
	if err != nil {
		return "", classify(fmt.Errorf("postgres: read the schema of %s: %w", rel.display, err))
	}
	return quoteIdent(nsp), nil
}

// stage (re)creates the staging table LIKE target, INCLUDING ALL (defaults,
// constraints, indexes, identity, generated columns, storage, comments,
// statistics), in the target's schema, and returns it. A staging table left
// by a job that crashed is dropped first, unless resuming: a run that
// resumes an interrupted one keeps loading the staging table that run
// began (its splits' checkpoints are of the rows in it).
func (s *Sink) stage(ctx context.Context, c *pgx.Conn, target *relation, resuming bool) (*relation, error) {
	if target.kind != 'r' {
		return nil, fmt.Errorf("postgres: atomicRefresh needs a plain table, and %s is not one (relkind %c)", target.display, target.kind)
	}
	nsp, err := relationSchema(ctx, c, target)
	if err != nil {
		return nil, err
	}
	wn := s.writeName()
	staging := nsp + "." + quoteIdent(wn.parts[len(wn.parts)-1])
	if resuming {
		if rel, err := loadRelation(ctx, c, wn, newTypes()); err == nil && rel.oid != target.oid {
			return rel, nil
		} else if err != nil && !isNoTable(err) {
			return nil, err
		}
	}
	if _, err := c.Exec(ctx, "DROP TABLE IF EXISTS "+staging); err != nil {
		return nil, classify(fmt.Errorf("postgres: drop the staging table %s: %w", staging, err))
	}
	if _, err := c.Exec(ctx, "CREATE TABLE "+staging+" (LIKE "+target.sql+" INCLUDING ALL)"); err != nil {
		return nil, classify(fmt.Errorf("postgres: create the staging table %s: %w", staging, err))
	}
	rel, err := loadRelation(ctx, c, wn, newTypes())
	if err != nil {
		return nil, err
	}
	if rel.oid == target.oid {
		return nil, fmt.Errorf("postgres: the staging table %s resolves to the target itself", staging)
	}
	return rel, nil
}

// checkRefresh checks that the target can be refreshed atomically: a plain
// table, in a schema where the user may create the staging table, owned by
// the user (renaming and dropping a table takes its owner).
func (s *Sink) checkRefresh(ctx context.Context, c *pgx.Conn, rel *relation) error {
	if rel.kind != 'r' {
		return fmt.Errorf("postgres: atomicRefresh needs a plain table, and %s is not one", rel.display)
	}
	var create, owner bool
	err := c.QueryRow(ctx, `SELECT has_schema_privilege(c.relnamespace, 'CREATE'), pg_has_role(c.relowner, 'USAGE')
		FROM pg_catalog.pg_class c WHERE c.oid = $1`, rel.oid).Scan(&create, &owner)
	if err != nil {
		return classify(fmt.Errorf("postgres: check the privileges atomicRefresh needs: %w", err))
	}
	var errs []error
	if !create {
		errs = append(errs, fmt.Errorf("postgres: atomicRefresh creates a staging table beside %s, and the user may not create tables in its schema", rel.display))
	}
	if !owner {
		errs = append(errs, fmt.Errorf("postgres: atomicRefresh renames and drops %s, which takes its owner's role, and the user does not have it", rel.display))
	}
	return errors.Join(errs...)
}

// swap puts the staging table in the target's place, in one transaction:
// the target is renamed aside, the staging table takes its name, the
// sequences the old table's columns owned, its identity columns' sequence
// positions, its privileges, owner and index names are carried over, and
// the old table is dropped. Readers block on
// the renames' lock for the transaction's duration and then see the new
// table; a failure rolls everything back, leaving the target as it was.
func (s *Sink) swap(ctx context.Context) error {
	conn, err := s.conns.acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	c := conn.Conn()
	target, err := s.loadTarget(ctx, c)
	if err != nil {
		return err
	}
	staged, err := loadRelation(ctx, c, s.writeName(), newTypes())
	if err != nil {
		return fmt.Errorf("postgres: atomicRefresh: the staging table is gone: %w", err)
	}
	tx, err := c.Begin(ctx)
	if err != nil {
		return classify(fmt.Errorf("postgres: atomicRefresh: begin: %w", err))
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := swapIn(ctx, tx, target, staged); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return classify(fmt.Errorf("postgres: atomicRefresh: commit the swap of %s: %w", target.display, err))
	}
	s.mu.Lock()
	s.rel = nil // the staging table is now the target: read it again when asked
	s.mu.Unlock()
	return nil
}

// swapIn does the swap's statements in tx.
func swapIn(ctx context.Context, tx pgx.Tx, target, staged *relation) error {
	fail := func(what string, err error) error {
		return classify(fmt.Errorf("postgres: atomicRefresh of %s: %s: %w", target.display, what, err))
	}
	exec := func(what, sql string) error {
		if _, err := tx.Exec(ctx, sql); err != nil {
			return fail(what, err)
		}
		return nil
	}
	if err := exec("lock the table", "LOCK TABLE "+target.sql+" IN ACCESS EXCLUSIVE MODE"); err != nil {
		return err
	}
	var nspName, relName, owner string
	var stagedOwner string
	err := tx.QueryRow(ctx, `SELECT n.nspname, c.relname, pg_get_userbyid(c.relowner), pg_get_userbyid(s.relowner)
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace, pg_catalog.pg_class s
		WHERE c.oid = $1 AND s.oid = $2`, target.oid, staged.oid).Scan(&nspName, &relName, &owner, &stagedOwner)
	if err != nil {
		return fail("read the table", err)
	}
	nsp := quoteIdent(nspName)
	oldName := withSuffix(relName, refreshOldSuffix)
	newSQL := nsp + "." + quoteIdent(relName)

	// What to carry over, read before the renames.
	grants, err := collectStrings(ctx, tx, `SELECT 'GRANT ' || a.privilege_type || ' ON TABLE %s TO ' ||
			CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END ||
			CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
		FROM pg_catalog.pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
		WHERE c.oid = $1 AND a.grantee <> c.relowner ORDER BY 1`, target.oid)
	if err != nil {
		return fail("read its privileges", err)
	}
	seqs, err := collectStrings(ctx, tx, `SELECT 'ALTER SEQUENCE ' || d.objid::regclass::text || ' OWNED BY %s.' || quote_ident(a.attname)
		FROM pg_catalog.pg_depend d
		JOIN pg_catalog.pg_class q ON q.oid = d.objid AND q.relkind = 'S'
		JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
		WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass
		AND d.refobjid = $1 AND d.deptype = 'a'`, target.oid)
	if err != nil {
		return fail("read the sequences its columns own", err)
	}
	oldIndexes, err := indexShapes(ctx, tx, target.oid)
	if err != nil {
		return fail("read its indexes", err)
	}
	// Identity columns: the new table's sequences start afresh; they take
	// the old ones' positions.
	var identities []string
	if target.version >= 100000 { // identity columns came with PostgreSQL 10
		identities, err = collectStrings(ctx, tx, `SELECT 'SELECT setval(pg_get_serial_sequence(%s, ' || quote_literal(a.attname) || '), ' ||
			q.last_value || ', ' || q.is_called || ')'
		FROM pg_catalog.pg_attribute a CROSS JOIN LATERAL pg_catalog.pg_sequence_last_value(pg_get_serial_sequence($2, a.attname)::regclass) AS l(v)
		CROSS JOIN LATERAL (SELECT coalesce(l.v, s.seqstart) AS last_value, l.v IS NOT NULL AS is_called
			FROM pg_catalog.pg_sequence s WHERE s.seqrelid = pg_get_serial_sequence($2, a.attname)::regclass) q
		WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped AND a.attidentity <> ''`, target.oid, target.sql)
		if err != nil {
			return fail("read its identity sequences", err)
		}
	}

	if err := exec("rename it aside", "ALTER TABLE "+target.sql+" RENAME TO "+quoteIdent(oldName)); err != nil {
		return err
	}
	if err := exec("rename the staging table", "ALTER TABLE "+staged.sql+" RENAME TO "+quoteIdent(relName)); err != nil {
		return err
	}
	if stagedOwner != owner {
		if err := exec("give the new table the old one's owner", "ALTER TABLE "+newSQL+" OWNER TO "+quoteIdent(owner)); err != nil {
			return err
		}
	}
	for _, g := range grants {
		if err := exec("grant the old table's privileges", strings.Replace(g, "%s", newSQL, 1)); err != nil {
			return err
		}
	}
	for _, q := range seqs {
		if err := exec("move a sequence to the new table", strings.Replace(q, "%s", newSQL, 1)); err != nil {
			return err
		}
	}
	for _, q := range identities {
		if err := exec("carry an identity's position over", strings.Replace(q, "%s", quoteLiteral(newSQL), 1)); err != nil {
			return err
		}
	}
	if err := exec("drop the old table", "DROP TABLE "+nsp+"."+quoteIdent(oldName)); err != nil {
		return err
	}
	newIndexes, err := indexShapes(ctx, tx, staged.oid)
	if err != nil {
		return fail("read the new indexes", err)
	}
	for shape, names := range newIndexes {
		olds := oldIndexes[shape]
		for i, n := range names {
			if i < len(olds) && olds[i] != n {
				if err := exec("give an index its old name", "ALTER INDEX "+nsp+"."+quoteIdent(n)+" RENAME TO "+quoteIdent(olds[i])); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// collectStrings returns the first column of a query's rows.
func collectStrings(ctx context.Context, tx pgx.Tx, sql string, args ...any) ([]string, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// indexShapes returns the names of a table's indexes by their shape: the
// definition without the index's and the table's names.
func indexShapes(ctx context.Context, tx pgx.Tx, oid uint32) (map[string][]string, error) {
	rows, err := tx.Query(ctx, `SELECT c.relname, i.indisunique::text || i.indisprimary::text || regexp_replace(pg_get_indexdef(i.indexrelid), '^.* USING ', '')
		FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
		WHERE i.indrelid = $1 ORDER BY c.relname`, oid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var n, shape string
		if err := rows.Scan(&n, &shape); err != nil {
			return nil, err
		}
		out[shape] = append(out[shape], n)
	}
	return out, rows.Err()
}

// Abort drops the staging table of AtomicRefresh, leaving the target as it
// was; without AtomicRefresh there is nothing to undo.
func (s *Sink) Abort(ctx context.Context) error {
	if !s.cfg.AtomicRefresh {
		return nil
	}
	conn, err := s.conns.acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS "+s.writeName().sql()); err != nil {
		return classify(fmt.Errorf("postgres: atomicRefresh: drop the staging table: %w", err))
	}
	return nil
}

// ReplacesTarget reports whether each run empties or replaces the table
// (Truncate, AtomicRefresh): an incremental run into it would leave only
// the rows past its mark, which package state refuses.
func (s *Sink) ReplacesTarget() bool { return s.cfg.AtomicRefresh || s.cfg.Truncate }
