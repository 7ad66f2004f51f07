package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/netdial"
)

// defaultMaxConns is the size of the pools datasync opens from a DSN that
// does not set pool_max_conns. Connections open lazily, so a job uses about
// as many as it runs splits at once (a reader and a writer each).
const defaultMaxConns = 32

// conns gives out connections from the caller's pool or from one opened, on
// first use, from a DSN.
type conns struct {
	cfg    *pgxpool.Config // nil when the pool is the caller's
	dialer *netdial.Dialer // dials the connections of a pool opened from cfg
	mu     sync.Mutex
	pool   *pgxpool.Pool
	closed bool
}

func newConns(dsn string, pool *pgxpool.Pool) (*conns, error) {
	if pool != nil {
		return &conns{pool: pool}, nil
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: cannot parse the DSN: %s", redact(err, dsn))
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = defaultMaxConns
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		cfg.ConnConfig.RuntimeParams["application_name"] = "datasync"
	}
	// Keepalives on every connection, and a pool that closes within
	// seconds even when its connections stall (see netdial).
	dialer := netdial.New(cfg.ConnConfig.ConnectTimeout)
	cfg.ConnConfig.DialFunc = dialer.DialContext
	return &conns{cfg: cfg, dialer: dialer}, nil
}

// get returns the pool, opening it the first time.
func (c *conns) get() (*pgxpool.Pool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, errors.New("postgres: used after Close")
	}
	if c.pool == nil {
		// NewWithConfig does not connect: the first Acquire does.
		p, err := pgxpool.NewWithConfig(context.Background(), c.cfg)
		if err != nil {
			return nil, fmt.Errorf("postgres: open a pool: %w", err)
		}
		c.pool = p
	}
	return c.pool, nil
}

// acquireWait bounds the wait for a connection of a full pool: a pool
// shared by a source and a sink, too small for the job's readers and writers
// together, would otherwise wait forever.
var acquireWait = time.Minute

// acquire returns a connection, with an error that says what failed.
func (c *conns) acquire(ctx context.Context) (*pgxpool.Conn, error) {
	p, err := c.get()
	if err != nil {
		return nil, err
	}
	actx, cancel := context.WithTimeout(ctx, acquireWait)
	defer cancel()
	conn, err := p.Acquire(actx)
	if err == nil {
		return conn, nil
	}
	if ctx.Err() == nil && actx.Err() != nil {
		// A connection released just as the wait ran out is idle, not
		// acquired, by the time Stat looks: count both, so that the message
		// says the pool was full whenever it had all its connections open.
		st := p.Stat()
		if st.AcquiredConns()+st.IdleConns() >= st.MaxConns() {
			return nil, fmt.Errorf("postgres: no connection of the pool came free in %v: all %d are in use. "+
				"A job's writers hold one each while they write a split, and its readers take one for each read "+
				"(hold one, in consistent mode): give the pool more connections than the parallelism, or lower it", acquireWait, st.MaxConns())
		}
	}
	return nil, classify(fmt.Errorf("postgres: connect: %w", err))
}

// close closes the pool if it was opened from a DSN, within seconds: pgx
// gives a stalled connection 15 s to say goodbye, and its cancel request as
// long again, which netdial cuts short.
func (c *conns) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cfg != nil && c.pool != nil {
		c.dialer.Close(c.pool.Close)
	}
	c.pool = nil
	c.closed = true
}

// redact returns err's text with the DSN, and anything that looks like a
// password in it, removed: parse errors of connection strings quote them.
func redact(err error, dsn string) string {
	msg := err.Error()
	if dsn != "" {
		msg = strings.ReplaceAll(msg, dsn, "<dsn>")
	}
	msg = passwordKV.ReplaceAllString(msg, "password=xxxxx")
	return urlPassword.ReplaceAllString(msg, "$1:xxxxx@")
}

var (
	passwordKV  = regexp.MustCompile(`password\s*=\s*('[^']*'|[^ ]*)`)
	urlPassword = regexp.MustCompile(`(//[^:/@\s]*):[^@/\s]*@`)
)

// classify marks err retryable when reopening the split may succeed: the
// connection dropped or was refused, the server is shutting down or
// restarting, the backend was terminated, a deadlock or serialization
// failure. Errors the server gave for the statement itself are final.
func classify(err error) error {
	if err == nil || !retryable(err) {
		return err
	}
	return datasync.Retryable(err)
}

func retryable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		if strings.HasPrefix(pgErr.Code, "08") {
			return true
		}
		switch pgErr.Code {
		case "57P01", // admin_shutdown: pg_terminate_backend, a fast shutdown
			"57P02", // crash_shutdown
			"57P03", // cannot_connect_now: starting up
			"53300", // too_many_connections
			"40001", // serialization_failure
			"40P01": // deadlock_detected
			return true
		}
		return false
	}
	if pgconn.Timeout(err) || pgconn.SafeToRetry(err) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		return true // no server error above: the network failed
	}
	return datasync.IsRetryable(err)
}

// broken reports whether a connection can no longer be used.
func broken(c *pgxpool.Conn) bool { return c == nil || c.Conn().PgConn().IsClosed() }
