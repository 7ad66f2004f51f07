package postgres

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/progresstable"
)

// DefaultProgressTable is the progress table's name when exactly-once is
// turned on with ProgressTable "default".
const DefaultProgressTable = progresstable.DefaultName

// progress is where a sink with exactly-once on keeps its splits'
// checkpoints: a table in the target database, one row per job and split,
// written in the transaction of the rows it accounts for.
type progress struct {
	table name   // the progress table
	job   string // the job's identity, the first part of the key
}

// progressSettings validates the exactly-once settings; nil when off.
func (c *SinkConfig) progressSettings() (*progress, error) {
	t, job, on, err := progresstable.Settings(c.ProgressTable, c.ProgressJob, c.Table)
	if !on || err != nil {
		return nil, err
	}
	n, err := parseName(t)
	if err != nil {
		return nil, fmt.Errorf("progressTable %q: %v", c.ProgressTable, err)
	}
	return &progress{table: n, job: job}, nil
}

// createSQL creates the progress table when it does not exist.
func (p *progress) createSQL() string {
	return "CREATE TABLE IF NOT EXISTS " + p.table.sql() + ` (
	job text NOT NULL,
	split text NOT NULL,
	checkpoint bytea,
	done boolean NOT NULL DEFAULT false,
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (job, split))`
}

// recordSQL records split's progress: an UPDATE of its row, or an INSERT
// when it has none (no ON CONFLICT, which servers before 9.5 lack; a split
// has one writer at a time, so the two cannot race). Plain literals, as the
// writer's connection speaks the simple protocol inside its transaction.
func (p *progress) recordSQL(split string, sp datasync.SplitProgress) string {
	cp := "NULL"
	if sp.Checkpoint != nil {
		cp = "decode('" + hex.EncodeToString(sp.Checkpoint) + "', 'hex')"
	}
	done := "false"
	if sp.Done {
		done = "true"
	}
	t := p.table.sql()
	key := fmt.Sprintf("job = %s AND split = %s", quoteLiteral(p.job), quoteLiteral(split))
	return fmt.Sprintf("UPDATE %s SET checkpoint = %s, done = %s, updated_at = now() WHERE %s; "+
		"INSERT INTO %s (job, split, checkpoint, done) SELECT %s, %s, %s, %s WHERE NOT EXISTS (SELECT 1 FROM %s WHERE %s)",
		t, cp, done, key, t, quoteLiteral(p.job), quoteLiteral(split), cp, done, t, key)
}

// prepareProgress creates the progress table and reports whether the job
// has progress in it: a run that was interrupted, which this one resumes.
func (s *Sink) prepareProgress(ctx context.Context, c *pgx.Conn) (resuming bool, err error) {
	p := s.progress
	var exists bool
	if err := c.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", p.table.sql()).Scan(&exists); err != nil {
		return false, classify(fmt.Errorf("postgres: look up the progress table %s: %w", p.table.sql(), err))
	}
	if !exists { // created only when missing: a user may write a table made for it, without CREATE
		if _, err := c.Exec(ctx, p.createSQL()); err != nil {
			var pe *pgconn.PgError
			// Two jobs creating it at once: one wins, the other sees the type or key exist.
			if !errors.As(err, &pe) || (pe.Code != "23505" && pe.Code != "42P07") {
				return false, classify(fmt.Errorf("postgres: create the progress table %s: %w", p.table.sql(), err))
			}
		}
	}
	err = c.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+p.table.sql()+" WHERE job = $1)", p.job).Scan(&resuming)
	if err != nil {
		return false, classify(fmt.Errorf("postgres: read the progress table %s: %w", p.table.sql(), err))
	}
	if resuming {
		s.logger.LogAttrs(ctx, slog.LevelInfo, "the job has progress from an interrupted run: resuming it, without preSql and truncate",
			slog.String("progress_table", p.table.sql()), slog.String("job", p.job))
	}
	return resuming, nil
}

// DurableCheckpoint returns the progress committed for split (see
// datasync.CheckpointSink); ok is false when there is none, or when
// exactly-once is off.
func (s *Sink) DurableCheckpoint(ctx context.Context, split string) (datasync.SplitProgress, bool, error) {
	if s.progress == nil {
		return datasync.SplitProgress{}, false, nil
	}
	conn, err := s.conns.acquire(ctx)
	if err != nil {
		return datasync.SplitProgress{}, false, err
	}
	defer conn.Release()
	var sp datasync.SplitProgress
	var cp []byte
	err = conn.QueryRow(ctx, "SELECT checkpoint, done FROM "+s.progress.table.sql()+" WHERE job = $1 AND split = $2",
		s.progress.job, split).Scan(&cp, &sp.Done)
	switch {
	case errors.Is(err, pgx.ErrNoRows) || isNoTable(err) || isUndefinedTable(err):
		return datasync.SplitProgress{}, false, nil
	case err != nil:
		return datasync.SplitProgress{}, false, classify(fmt.Errorf("postgres: read the progress of split %q: %w", split, err))
	}
	if cp != nil {
		sp.Checkpoint = datasync.Checkpoint(cp)
	}
	return sp, true, nil
}

// ClearCheckpoints forgets the job's progress, so that its next run starts
// over (see datasync.CheckpointSink).
func (s *Sink) ClearCheckpoints(ctx context.Context) error {
	if s.progress == nil {
		return nil
	}
	conn, err := s.conns.acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	return s.forgetProgress(ctx, conn.Conn())
}

func (s *Sink) forgetProgress(ctx context.Context, c *pgx.Conn) error {
	_, err := c.Exec(ctx, "DELETE FROM "+s.progress.table.sql()+" WHERE job = $1", s.progress.job)
	if err != nil && !isUndefinedTable(err) {
		return classify(fmt.Errorf("postgres: clear the progress of job %q: %w", s.progress.job, err))
	}
	return nil
}

func isUndefinedTable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "42P01"
}

// FlushCheckpoint commits what was written since the last flush together
// with the split's progress p, in one transaction (see
// datasync.CheckpointWriter). Without exactly-once it is Flush.
func (w *writer) FlushCheckpoint(ctx context.Context, p datasync.SplitProgress) error {
	if w.s.progress == nil {
		return w.Flush(ctx)
	}
	return w.flush(ctx, w.s.progress.recordSQL(w.split, p))
}

// The pipeline finds FlushCheckpoint by its interface.
var _ datasync.CheckpointWriter = (*writer)(nil)

// checkProgress checks, without changing anything, that the progress table
// can be used: the privileges to read and write it when it exists, to
// create it in its schema otherwise.
func (s *Sink) checkProgress(ctx context.Context, c *pgx.Conn) []error {
	p := s.progress
	if p == nil {
		return nil
	}
	var oid *uint32
	if err := c.QueryRow(ctx, "SELECT to_regclass($1)::oid", p.table.sql()).Scan(&oid); err != nil {
		return []error{classify(fmt.Errorf("postgres: look up the progress table %s: %w", p.table.sql(), err))}
	}
	if oid == nil {
		schemaExpr, args := "current_schema()", []any{}
		if len(p.table.parts) > 1 {
			schemaExpr, args = "$1", append(args, p.table.parts[len(p.table.parts)-2])
		}
		var ok *bool
		if err := c.QueryRow(ctx, "SELECT has_schema_privilege("+schemaExpr+", 'CREATE')", args...).Scan(&ok); err != nil {
			return []error{classify(fmt.Errorf("postgres: check the privilege to create the progress table %s: %w", p.table.sql(), err))}
		}
		if ok == nil || !*ok {
			return []error{fmt.Errorf("postgres: the progress table %s does not exist, and the user may not create it", p.table.sql())}
		}
		return nil
	}
	var errs []error
	for _, priv := range []string{"SELECT", "INSERT", "UPDATE", "DELETE"} {
		var ok bool
		if err := c.QueryRow(ctx, "SELECT has_table_privilege($1::oid, $2)", *oid, priv).Scan(&ok); err != nil {
			return append(errs, classify(fmt.Errorf("postgres: check privileges on the progress table: %w", err)))
		}
		if !ok {
			errs = append(errs, fmt.Errorf("postgres: the user has no %s privilege on the progress table %s", priv, p.table.sql()))
		}
	}
	return errs
}
