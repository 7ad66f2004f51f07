package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"time"

	"github.com/datasync-go/datasync/bench/internal/dataset"
	"github.com/datasync-go/datasync/bench/internal/proc"
	"github.com/datasync-go/datasync/internal/checksum"
	"github.com/jackc/pgx/v5"
)

// harness holds what the runs share: the environment, the dataset and its
// expected checksum, and open connections to the target databases (to empty
// them; verification opens its own).
type harness struct {
	e    *env
	log  io.Writer // progress, on standard error
	gen  *dataset.Generator
	want checksum.Sum // the dataset's checksum: every source and target must match it
	size int64        // the dataset's logical size (datasync.Value.Size summed)

	procs         proc.Runner // through GNU time when installed, for exact peak RSS
	csvSize       int64
	pgTarget      *pgx.Conn // to the target database (also for CHECKPOINTs); nil when PostgreSQL is not in use
	mysqlTarget   *sql.DB   // nil when no selected scenario writes to MySQL
	localInfile   bool      // the MySQL server accepts LOAD DATA LOCAL
	localInfileOK bool      // localInfile is known (MySQL is in use and answered)
	servers       map[string]string
}

// close closes the connections.
func (h *harness) close(ctx context.Context) {
	if h.pgTarget != nil {
		h.pgTarget.Close(ctx)
	}
	if h.mysqlTarget != nil {
		h.mysqlTarget.Close()
	}
}

// step logs a line of progress.
func (h *harness) step(format string, args ...any) {
	fmt.Fprintf(h.log, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}
