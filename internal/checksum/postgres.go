package checksum

import (
	"context"
	"fmt"
	"strings"

	"github.com/datasync-go/datasync"
	"github.com/jackc/pgx/v5"
)

// Postgres returns the Sum of the columns of schema (by name) of every row of
// table in the PostgreSQL database dsn, read in the text format, as psql
// would show them, streaming.
func Postgres(ctx context.Context, dsn, table string, schema datasync.Schema) (Sum, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return Sum{}, err
	}
	// Fix the session settings that change text output: ISO dates, floats
	// with every digit needed to read them back, UTC for zoned types.
	cfg.RuntimeParams["DateStyle"] = "ISO, YMD"
	cfg.RuntimeParams["extra_float_digits"] = "3"
	cfg.RuntimeParams["TimeZone"] = "UTC"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return Sum{}, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	query := fmt.Sprintf("SELECT %s FROM %s", strings.Join(quoteAll(schema.Names(), `"`), ", "), table)
	// nil result formats: every column in text, so that no driver decoding
	// stands between the server's rendering and the canonical one.
	rr := conn.PgConn().ExecParams(ctx, query, nil, nil, nil, nil)
	h := NewHasher(schema)
	var addErr error
	for rr.NextRow() {
		if addErr == nil {
			addErr = h.Add(rr.Values())
		}
	}
	if _, err := rr.Close(); err != nil {
		return Sum{}, fmt.Errorf("read %s: %w", table, err)
	}
	if addErr != nil {
		return Sum{}, fmt.Errorf("%s: %w", table, addErr)
	}
	return h.Sum(), nil
}

func quoteAll(names []string, q string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = q + n + q
	}
	return out
}
