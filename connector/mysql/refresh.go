package mysql

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/go-sql-driver/mysql"

	"github.com/datasync-go/datasync"
)

// Atomic refresh (SinkConfig.AtomicRefresh): the writers load a staging
// table made LIKE the target, which Finalize swaps in with one RENAME TABLE
// of both, and Abort drops.

var _ datasync.Aborter = (*Sink)(nil)

// The suffixes of the staging table and of the old table between the
// rename and its drop.
const (
	refreshSuffix    = "_datasync_new"
	refreshOldSuffix = "_datasync_old"
)

// mysqlMaxIdent is the longest table name MySQL takes, in characters.
const mysqlMaxIdent = 64

// withSuffix returns the table t renamed to its name with suffix, shortened
// to fit.
func withSuffix(t tableName, suffix string) tableName {
	r := []rune(t.table)
	if keep := mysqlMaxIdent - len(suffix); len(r) > keep {
		r = r[:keep]
	}
	return tableName{db: t.db, table: string(r) + suffix}
}

// stagingName is the staging table of target.
func stagingName(target tableName) tableName { return withSuffix(target, refreshSuffix) }

// stage (re)creates the staging table LIKE the target (columns, defaults,
// indexes, AUTO_INCREMENT and CHECK constraints; not foreign keys, triggers
// or the AUTO_INCREMENT counter), creating the target first when it is
// missing and CreateTable is set. A staging table left by a job that
// crashed is dropped first, unless resuming: a run that resumes an
// interrupted one keeps loading the staging table that run began (its
// splits' checkpoints are of the rows in it).
func (s *Sink) stage(ctx context.Context, c *conn, info serverInfo, schema datasync.Schema, resuming bool) error {
	_, err := loadTable(ctx, c, info, s.final)
	if errors.Is(err, errNoTable) && s.cfg.CreateTable {
		ddl, err := createTableSQL(s.final, schema)
		if err != nil {
			return fmt.Errorf("mysql sink: create table %s: %w", s.final, err)
		}
		if _, err := c.ExecContext(ctx, ddl); err != nil {
			var my *mysql.MySQLError
			if !errors.As(err, &my) || my.Number != 1050 {
				return classify(fmt.Errorf("mysql sink: create table %s: %w", s.final, err))
			}
		}
		s.logger.LogAttrs(ctx, slog.LevelInfo, "created the target table", slog.String("table", s.final.String()))
	} else if errors.Is(err, errNoTable) {
		return fmt.Errorf("mysql sink: table %s does not exist (set createTable to create it)", s.final)
	} else if err != nil {
		return fmt.Errorf("mysql sink: %w", err)
	}
	if resuming {
		_, err := loadTable(ctx, c, info, s.table)
		if err == nil {
			return nil
		}
		if !errors.Is(err, errNoTable) {
			return fmt.Errorf("mysql sink: %w", err)
		}
	}
	if _, err := c.ExecContext(ctx, "DROP TABLE IF EXISTS "+s.table.quoted()); err != nil {
		return classify(fmt.Errorf("mysql sink: atomicRefresh: drop the staging table %s: %w", s.table, err))
	}
	if _, err := c.ExecContext(ctx, "CREATE TABLE "+s.table.quoted()+" LIKE "+s.final.quoted()); err != nil {
		return classify(fmt.Errorf("mysql sink: atomicRefresh: create the staging table %s: %w", s.table, err))
	}
	return nil
}

// swap puts the staging table in the target's place with one RENAME TABLE
// (atomic: readers wait on its metadata lock, then see the new table), then
// drops the old table. Table privileges in MySQL are granted by name, so
// they apply to the new table unchanged.
func (s *Sink) swap(ctx context.Context) error {
	c, err := s.pool.acquire(ctx, 0)
	if err != nil {
		return fmt.Errorf("mysql sink: %w", err)
	}
	defer c.release()
	old := withSuffix(s.final, refreshOldSuffix)
	if _, err := c.ExecContext(ctx, "DROP TABLE IF EXISTS "+old.quoted()); err != nil {
		return classify(fmt.Errorf("mysql sink: atomicRefresh: drop %s: %w", old, err))
	}
	rename := "RENAME TABLE " + s.final.quoted() + " TO " + old.quoted() + ", " + s.table.quoted() + " TO " + s.final.quoted()
	if _, err := c.ExecContext(ctx, rename); err != nil {
		return classify(fmt.Errorf("mysql sink: atomicRefresh: swap %s in for %s: %w", s.table, s.final, err))
	}
	if _, err := c.ExecContext(ctx, "DROP TABLE "+old.quoted()); err != nil {
		// The new rows are in place: the old table is only left behind.
		s.logger.LogAttrs(ctx, slog.LevelWarn, "atomicRefresh: the table was swapped in, but the old one could not be dropped",
			slog.String("table", old.String()), slog.String("error", err.Error()))
	}
	s.mu.Lock()
	s.plan, s.encodingOK = nil, false
	s.mu.Unlock()
	return nil
}

// Abort drops the staging table of AtomicRefresh, leaving the target as it
// was; without AtomicRefresh there is nothing to undo.
func (s *Sink) Abort(ctx context.Context) error {
	if !s.cfg.AtomicRefresh {
		return nil
	}
	c, err := s.pool.acquire(ctx, 0)
	if err != nil {
		return fmt.Errorf("mysql sink: %w", err)
	}
	defer c.release()
	if _, err := c.ExecContext(ctx, "DROP TABLE IF EXISTS "+s.table.quoted()); err != nil {
		return classify(fmt.Errorf("mysql sink: atomicRefresh: drop the staging table %s: %w", s.table, err))
	}
	return nil
}

// ReplacesTarget reports whether each run empties or replaces the table
// (Truncate, AtomicRefresh): an incremental run into it would leave only
// the rows past its mark, which package state refuses.
func (s *Sink) ReplacesTarget() bool { return s.cfg.AtomicRefresh || s.cfg.Truncate }
