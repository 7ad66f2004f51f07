package postgres

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/datasync-go/datasync/connector/internal/netdial"
)

// snapshot is consistent mode's exported snapshot: a repeatable-read
// transaction kept open on one connection from Plan to Source.Close, whose
// snapshot every reader imports, so that all splits see the table as it was
// at one instant (pg_export_snapshot, PostgreSQL 9.2 and later). Planning
// runs in it too.
type snapshot struct {
	mu   sync.Mutex // serializes the use of conn
	conn *pgxpool.Conn
	id   string
}

// snapshot returns the source's snapshot, exporting it the first time.
func (s *Source) snapshot(ctx context.Context) (*snapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.snap != nil {
		return s.snap, nil
	}
	conn, err := s.conns.acquire(ctx)
	if err != nil {
		return nil, err
	}
	var id string
	_, err = conn.Exec(ctx, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
	if err == nil {
		err = conn.QueryRow(ctx, "SELECT pg_export_snapshot()").Scan(&id)
	}
	if err != nil {
		conn.Release()
		return nil, classify(fmt.Errorf("postgres: export a snapshot for consistent mode: %w", err))
	}
	s.snap = &snapshot{conn: conn, id: id}
	return s.snap, nil
}

func (sn *snapshot) close() {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if !broken(sn.conn) {
		ctx, cancel := netdial.CleanupContext()
		_, _ = sn.conn.Exec(ctx, "ROLLBACK")
		cancel()
	}
	sn.conn.Release()
}

// importSQL starts a transaction that sees snapshot id.
func importSQL(id string) string {
	return "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT " + quoteLiteral(id)
}
