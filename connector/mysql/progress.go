package mysql

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"

	"github.com/go-sql-driver/mysql"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/netdial"
	"github.com/datasync-go/datasync/connector/internal/progresstable"
)

// DefaultProgressTable is the progress table's name when exactly-once is
// turned on with ProgressTable "default".
const DefaultProgressTable = progresstable.DefaultName

// maxKeyText is the longest job or split identity stored as it is; longer
// ones are stored as a hash, so that the key fits InnoDB's index limit.
const maxKeyText = 255

// progress is where a sink with exactly-once on keeps its splits'
// checkpoints: a table in the target database, one row per job and split,
// written in the transaction of the rows it accounts for.
type progress struct {
	table tableName
	job   string
}

// progressSettings validates the exactly-once settings; nil when off.
func (c *SinkConfig) progressSettings() (*progress, error) {
	t, job, on, err := progresstable.Settings(c.ProgressTable, c.ProgressJob, c.Table)
	if !on || err != nil {
		return nil, err
	}
	n, err := parseTableName(t)
	if err != nil {
		return nil, fmt.Errorf("progressTable %q: %v", c.ProgressTable, err)
	}
	return &progress{table: n, job: keyText(job)}, nil
}

// keyText returns s, or its hash when too long for the key.
func keyText(s string) string {
	if len(s) <= maxKeyText {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:])
}

func (p *progress) createSQL() string {
	return "CREATE TABLE IF NOT EXISTS " + p.table.quoted() + ` (
	job VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	split VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	checkpoint LONGBLOB NULL,
	done TINYINT(1) NOT NULL DEFAULT 0,
	updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	PRIMARY KEY (job, split)) ENGINE=InnoDB`
}

// prepareProgress creates the progress table and reports whether the job
// has progress in it: a run that was interrupted, which this one resumes.
func (s *Sink) prepareProgress(ctx context.Context, c *conn) (resuming bool, err error) {
	p := s.progress
	var exists int
	err = c.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND TABLE_NAME = ?",
		p.table.db, p.table.table).Scan(&exists)
	if err != nil {
		return false, classify(fmt.Errorf("mysql sink: look up the progress table %s: %w", p.table, err))
	}
	if exists == 0 { // created only when missing: a user may write a table made for it, without CREATE
		if _, err := c.ExecContext(ctx, p.createSQL()); err != nil {
			return false, classify(fmt.Errorf("mysql sink: create the progress table %s: %w", p.table, err))
		}
	}
	var n int
	err = c.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+p.table.quoted()+" WHERE job = ?", p.job).Scan(&n)
	if err != nil {
		return false, classify(fmt.Errorf("mysql sink: read the progress table %s: %w", p.table, err))
	}
	if n > 0 {
		s.logger.LogAttrs(ctx, slog.LevelInfo, "the job has progress from an interrupted run: resuming it, without preSql and truncate",
			slog.String("progress_table", p.table.String()), slog.String("job", p.job))
	}
	return n > 0, nil
}

// DurableCheckpoint returns the progress committed for split (see
// datasync.CheckpointSink); ok is false when there is none, or when
// exactly-once is off.
func (s *Sink) DurableCheckpoint(ctx context.Context, split string) (datasync.SplitProgress, bool, error) {
	if s.progress == nil {
		return datasync.SplitProgress{}, false, nil
	}
	c, err := s.pool.acquire(ctx, 0)
	if err != nil {
		return datasync.SplitProgress{}, false, fmt.Errorf("mysql sink: %w", err)
	}
	defer c.release()
	var sp datasync.SplitProgress
	var cp []byte
	err = c.QueryRowContext(ctx, "SELECT checkpoint, done FROM "+s.progress.table.quoted()+" WHERE job = ? AND split = ?",
		s.progress.job, keyText(split)).Scan(&cp, &sp.Done)
	switch {
	case errors.Is(err, sql.ErrNoRows) || isNoSuchTable(err):
		return datasync.SplitProgress{}, false, nil
	case err != nil:
		return datasync.SplitProgress{}, false, classify(fmt.Errorf("mysql sink: read the progress of split %q: %w", split, err))
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
	c, err := s.pool.acquire(ctx, 0)
	if err != nil {
		return fmt.Errorf("mysql sink: %w", err)
	}
	defer c.release()
	return s.forgetProgress(ctx, c)
}

func (s *Sink) forgetProgress(ctx context.Context, c *conn) error {
	_, err := c.ExecContext(ctx, "DELETE FROM "+s.progress.table.quoted()+" WHERE job = ?", s.progress.job)
	if err != nil && !isNoSuchTable(err) {
		return classify(fmt.Errorf("mysql sink: clear the progress of job %q: %w", s.progress.job, err))
	}
	return nil
}

func isNoSuchTable(err error) bool {
	var my *mysql.MySQLError
	return errors.As(err, &my) && my.Number == 1146
}

// FlushCheckpoint commits what was written since the last flush together
// with the split's progress p, in one transaction (see
// datasync.CheckpointWriter). Without exactly-once it is Flush.
func (w *writer) FlushCheckpoint(ctx context.Context, p datasync.SplitProgress) error {
	prog := w.s.progress
	if prog == nil {
		return w.Flush(ctx)
	}
	if !w.inTx {
		if _, err := w.c.ExecContext(ctx, "START TRANSACTION"); err != nil {
			return w.fail("start a transaction", err)
		}
		w.inTx = true
	}
	var cp any
	if p.Checkpoint != nil {
		cp = []byte(p.Checkpoint)
	}
	_, err := w.c.ExecContext(ctx, "INSERT INTO "+prog.table.quoted()+" (job, split, checkpoint, done) VALUES (?, ?, ?, ?) "+
		"ON DUPLICATE KEY UPDATE checkpoint = VALUES(checkpoint), done = VALUES(done), updated_at = CURRENT_TIMESTAMP(6)",
		prog.job, keyText(w.split), cp, p.Done)
	if err != nil {
		return w.fail("record the split's progress", err)
	}
	return w.Flush(ctx)
}

// The pipeline finds FlushCheckpoint by its interface.
var _ datasync.CheckpointWriter = (*writer)(nil)

// checkProgress checks, writing nothing, that an existing progress table
// can be written: statements that touch no row, in a transaction rolled
// back. A missing one is created by Prepare (the CREATE privilege is not
// checked, as for CreateTable).
func (s *Sink) checkProgress(ctx context.Context, c *conn) error {
	p := s.progress
	if p == nil {
		return nil
	}
	var exists int
	err := c.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND TABLE_NAME = ?",
		p.table.db, p.table.table).Scan(&exists)
	if err != nil || exists == 0 {
		return classify(err)
	}
	if _, err := c.ExecContext(ctx, "START TRANSACTION"); err != nil {
		return classify(fmt.Errorf("mysql sink: %w", err))
	}
	defer func() {
		ctx, cancel := netdial.CleanupContext()
		defer cancel()
		_, _ = c.ExecContext(ctx, "ROLLBACK")
	}()
	t := p.table.quoted()
	for _, probe := range []string{
		"INSERT INTO " + t + " (job, split, checkpoint, done) SELECT job, split, checkpoint, done FROM " + t + " WHERE 1 = 0 " +
			"ON DUPLICATE KEY UPDATE checkpoint = VALUES(checkpoint), done = VALUES(done), updated_at = CURRENT_TIMESTAMP(6)",
		"DELETE FROM " + t + " WHERE 1 = 0",
	} {
		if _, err := c.ExecContext(ctx, probe); err != nil {
			return fmt.Errorf("mysql sink: the progress table %s cannot be written: %w", p.table, err)
		}
	}
	return nil
}
