package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/bench/internal/dataset"
	"github.com/datasync-go/datasync/bench/internal/proc"
	"github.com/datasync-go/datasync/internal/checksum"
	"github.com/jackc/pgx/v5"
)

// needs says which sources and targets the selected scenarios use.
type needs struct{ pgSource, pgTarget, mysqlSource, mysqlTarget, csvSource bool }

func needsOf(selected []scenario) needs {
	var n needs
	for _, s := range selected {
		n.pgSource = n.pgSource || s.From == pgEnd
		n.pgTarget = n.pgTarget || s.To == pgEnd
		n.mysqlSource = n.mysqlSource || s.From == mysqlEnd
		n.mysqlTarget = n.mysqlTarget || s.To == mysqlEnd
		n.csvSource = n.csvSource || s.From == csvEnd
	}
	return n
}

// prepare computes the expected checksum, makes sure every source the
// selected scenarios read holds the dataset (generating it when missing or
// stale, and checking it in any case), and creates the target tables.
func (h *harness) prepare(ctx context.Context, selected []scenario) error {
	cfg := h.e.cfg
	if h.procs.GNUTime = proc.FindGNUTime(ctx); h.procs.GNUTime == "" {
		h.step("note: GNU time is not installed (Debian: apt-get install time): peak RSS below the harness's own is sampled from /proc")
	}
	h.gen = dataset.New(dataset.Spec{Rows: cfg.Rows, Seed: cfg.Seed})
	h.servers = map[string]string{}
	h.step("expected checksum of %d generated rows", cfg.Rows)
	hasher := checksum.NewHasher(dataset.Schema())
	if err := h.gen.Each(func(_ int64, r datasync.Record) error {
		h.size += int64(r.Size())
		return hasher.AddRecord(r)
	}); err != nil {
		return fmt.Errorf("the generator's own rows do not canonicalize: %w", err)
	}
	h.want = hasher.Sum()

	n := needsOf(selected)
	if n.pgSource || n.pgTarget {
		if err := h.preparePostgres(ctx, n); err != nil {
			return fmt.Errorf("PostgreSQL: %w", err)
		}
	}
	if n.mysqlSource || n.mysqlTarget {
		if err := h.prepareMySQL(ctx, n); err != nil {
			return fmt.Errorf("MySQL: %w", err)
		}
	}
	if n.csvSource {
		if err := h.prepareCSV(); err != nil {
			return fmt.Errorf("CSV: %w", err)
		}
	}
	for _, s := range selected {
		if s.To == redisEnd {
			if err := h.prepareRedis(ctx); err != nil {
				return fmt.Errorf("Redis: %w", err)
			}
			break
		}
	}
	return nil
}

func (h *harness) preparePostgres(ctx context.Context, n needs) error {
	e := h.e
	server, err := pgx.Connect(ctx, e.pgServer)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", e.pg.Host, err)
	}
	defer server.Close(ctx)
	var version string
	if err := server.QueryRow(ctx, "SHOW server_version").Scan(&version); err != nil {
		return err
	}
	h.servers["postgres"] = version
	for _, db := range []string{e.cfg.Database, e.cfg.TargetDatabase()} {
		var exists bool
		if err := server.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", db).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			if _, err := server.Exec(ctx, "CREATE DATABASE "+db); err != nil {
				return err
			}
		}
	}
	if n.pgSource {
		src, err := pgx.Connect(ctx, e.pgSource)
		if err != nil {
			return err
		}
		defer src.Close(ctx)
		fp, err := dataset.PostgresFingerprint(ctx, src, dataset.Table)
		if err != nil {
			return err
		}
		if fp != h.gen.Spec().Fingerprint() || e.cfg.Regen {
			h.step("loading the dataset into PostgreSQL %s.%s", e.cfg.Database, dataset.Table)
			if err := dataset.LoadPostgres(ctx, src, dataset.Table, h.gen); err != nil {
				return err
			}
		}
		h.step("checking the PostgreSQL source against the generator")
		if err := h.checkSource(checksum.Postgres(ctx, e.pgSource, dataset.Table, dataset.Schema())); err != nil {
			return err
		}
	}
	// The target database's connection also runs the CHECKPOINTs, so it is
	// opened whenever PostgreSQL is in use.
	if h.pgTarget, err = pgx.Connect(ctx, e.pgTarget); err != nil {
		return err
	}
	if n.pgTarget {
		for _, stmt := range []string{"DROP TABLE IF EXISTS " + dataset.Table, dataset.PostgresDDL(dataset.Table)} {
			if _, err := h.pgTarget.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("create the target table: %w", err)
			}
		}
	}
	return nil
}

func (h *harness) prepareMySQL(ctx context.Context, n needs) error {
	e := h.e
	server, err := sql.Open("mysql", e.mysqlServer)
	if err != nil {
		return err
	}
	defer server.Close()
	var version string
	if err := server.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
		return fmt.Errorf("connect to %s: %w", e.mysql.Addr, err)
	}
	h.servers["mysql"] = version
	if h.localInfile, err = mysqlLocalInfile(ctx, server); err != nil {
		return err
	}
	h.localInfileOK = true
	if !h.localInfile {
		h.step("note: the MySQL server has local_infile=OFF: LOAD DATA LOCAL tools will be reported unavailable, and the source is loaded with INSERTs")
	}
	for _, db := range []string{e.cfg.Database, e.cfg.TargetDatabase()} {
		if _, err := server.ExecContext(ctx, "CREATE DATABASE IF NOT EXISTS "+db+" CHARACTER SET utf8mb4"); err != nil {
			return err
		}
	}
	if n.mysqlSource {
		src, err := sql.Open("mysql", e.mysqlSource)
		if err != nil {
			return err
		}
		defer src.Close()
		fp, err := dataset.MySQLFingerprint(ctx, src, dataset.Table)
		if err != nil {
			return err
		}
		if fp != h.gen.Spec().Fingerprint() || e.cfg.Regen {
			h.step("loading the dataset into MySQL %s.%s", e.cfg.Database, dataset.Table)
			if err := dataset.LoadMySQL(ctx, src, dataset.Table, h.gen, h.localInfile); err != nil {
				return err
			}
		}
		h.step("checking the MySQL source against the generator")
		if err := h.checkSource(checksum.MySQL(ctx, e.mysqlSource, dataset.Table, dataset.Schema())); err != nil {
			return err
		}
	}
	if n.mysqlTarget {
		if h.mysqlTarget, err = sql.Open("mysql", e.mysqlTarget); err != nil {
			return err
		}
		for _, stmt := range []string{"DROP TABLE IF EXISTS " + dataset.Table, dataset.MySQLDDL(dataset.Table)} {
			if _, err := h.mysqlTarget.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("create the target table: %w", err)
			}
		}
	}
	return nil
}

func (h *harness) prepareCSV() error {
	path := h.e.csvSource
	fp, err := dataset.CSVFingerprint(path)
	if err != nil {
		return err
	}
	if _, statErr := os.Stat(path); fp != h.gen.Spec().Fingerprint() || h.e.cfg.Regen || statErr != nil {
		h.step("writing the dataset to %s", path)
		if err := dataset.WriteCSV(path, h.gen); err != nil {
			return err
		}
	}
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	h.csvSize = st.Size()
	h.step("checking the CSV source against the generator")
	return h.checkSource(checksum.Files([]string{path}, dataset.Schema(), checksum.CSV))
}

// checkSource fails when a source does not hold exactly the generated rows:
// every later check compares targets with those.
func (h *harness) checkSource(got checksum.Sum, err error) error {
	if err != nil {
		return err
	}
	if m := checksum.Mismatch(got, h.want); m != "" {
		return fmt.Errorf("the source does not hold the generated dataset (%s); rerun with -regen", m)
	}
	return nil
}
