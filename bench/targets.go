package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/datasync-go/datasync/bench/internal/dataset"
	"github.com/datasync-go/datasync/internal/checksum"
)

// emptyTarget empties the scenario's target before a run: TRUNCATE for a
// table, a fresh empty directory for files. When PostgreSQL is in use it
// also runs a CHECKPOINT, so that a run does not pay for writing out the
// previous run's pages (best effort: it needs a superuser or pg_checkpoint).
func (h *harness) emptyTarget(ctx context.Context, s scenario) error {
	switch s.To {
	case pgEnd:
		if _, err := h.pgTarget.Exec(ctx, "TRUNCATE "+dataset.Table); err != nil {
			return fmt.Errorf("empty the PostgreSQL target: %w", err)
		}
	case mysqlEnd:
		if _, err := h.mysqlTarget.ExecContext(ctx, "TRUNCATE TABLE "+dataset.Table); err != nil {
			return fmt.Errorf("empty the MySQL target: %w", err)
		}
	case redisEnd:
		if err := h.emptyRedis(ctx); err != nil {
			return err
		}
	case csvEnd:
		if err := os.RemoveAll(h.e.csvTargetDir); err != nil {
			return fmt.Errorf("empty the CSV target: %w", err)
		}
		if err := os.MkdirAll(h.e.csvTargetDir, 0o755); err != nil {
			return fmt.Errorf("empty the CSV target: %w", err)
		}
	}
	if h.pgTarget != nil {
		_, _ = h.pgTarget.Exec(ctx, "CHECKPOINT")
	}
	return nil
}

// verifyTarget compares the scenario's target with the dataset. It returns
// "" when they match, and otherwise what differs; err is for a target that
// could not be read at all. dialect is the format of a file target.
func (h *harness) verifyTarget(ctx context.Context, s scenario, dialect checksum.Dialect) (string, error) {
	var got checksum.Sum
	var err error
	switch s.To {
	case pgEnd:
		got, err = checksum.Postgres(ctx, h.e.pgTarget, dataset.Table, dataset.Schema())
	case mysqlEnd:
		got, err = checksum.MySQL(ctx, h.e.mysqlTarget, dataset.Table, dataset.Schema())
	case csvEnd:
		var paths []string
		if paths, err = targetFiles(h.e.csvTargetDir); err == nil {
			if len(paths) == 0 {
				return "the target directory holds no file", nil
			}
			got, err = checksum.Files(paths, dataset.Schema(), dialect)
		}
	case redisEnd:
		return h.verifyRedis(ctx)
	default:
		return "", fmt.Errorf("no verification for a %s target", s.To)
	}
	if err != nil {
		return "", err
	}
	return checksum.Mismatch(got, h.want), nil
}

// verifyDiscard checks a memory -> discard run by what the sink counted:
// it keeps no content to checksum, so the count and the bytes must match.
func (h *harness) verifyDiscard(res childResult) string {
	switch {
	case res.RecordsWritten != h.want.Rows:
		return fmt.Sprintf("%d rows written, want %d", res.RecordsWritten, h.want.Rows)
	case res.BytesWritten != h.size:
		return fmt.Sprintf("%d bytes written, want %d", res.BytesWritten, h.size)
	}
	return ""
}

// targetFiles lists the regular files of dir, in name order, skipping
// hidden ones (a writer's temporary files).
func targetFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, e := range entries {
		if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
			paths = append(paths, filepath.Join(dir, e.Name()))
		}
	}
	slices.Sort(paths)
	return paths, nil
}
