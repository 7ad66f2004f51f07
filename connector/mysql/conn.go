package mysql

import (
	"context"
	"crypto/tls"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/go-sql-driver/mysql"

	"github.com/datasync-go/datasync/connector/internal/netdial"
)

// sessionSetup makes a connection exact for datasync: TIMESTAMP values read
// and written in UTC (so they are instants whatever the server's or the
// host's zone, while DATETIME stays a wall clock), text in utf8mb4, strict
// mode (a bad value is an error, not a silent change) and backslash escapes
// (which the literals and LOAD DATA streams of this package use).
const sessionSetup = "SET NAMES utf8mb4, time_zone = '+00:00', sql_mode = CONCAT_WS(',', " +
	"NULLIF(TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ',')), ''), " +
	"'STRICT_ALL_TABLES')"

// withSession returns the statements that set up a connection:
// sessionSetup, then the caller's Session statements, then sessionSetup
// again when there are any. A Session statement can so rely on the settings
// it makes (a time_zone for a SET @since = CURDATE() that follows it), but
// none of the settings exactness depends on outlives the Session
// statements: a TIMESTAMP is read and written in UTC whatever time_zone
// they set. Reading the session's zone and converting instead could not be
// exact: in a zone with summer time the hour repeated in autumn names two
// instants, and MariaDB and MySQL before 8.0.19 have no TIMESTAMP literal
// with an offset.
func withSession(session []string) []string {
	if len(session) == 0 {
		return []string{sessionSetup}
	}
	stmts := make([]string, 0, len(session)+2)
	stmts = append(stmts, sessionSetup)
	stmts = append(stmts, session...)
	return append(stmts, sessionSetup)
}

// savedSession reads what sessionSetup changes, to put it back on a
// connection of the caller's pool.
const savedSession = "SELECT @@SESSION.character_set_client, @@SESSION.character_set_connection, " +
	"@@SESSION.character_set_results, @@SESSION.collation_connection, @@SESSION.time_zone, @@SESSION.sql_mode, " +
	"@@SESSION.net_write_timeout"

// parseDSN parses dsn and forces the parameters exactness depends on. Its
// errors never contain the password.
func parseDSN(dsn string) (*mysql.Config, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		// The driver's messages name the problem, not the DSN's text.
		return nil, fmt.Errorf("dsn: %w", err)
	}
	cfg.ParseTime = false     // temporal values are parsed here, exactly
	cfg.AllowAllFiles = false // LOAD DATA reads registered readers only
	cfg.MultiStatements = false
	cfg.ColumnsWithAlias = false
	cfg.InterpolateParams = true // no statement here has parameters; harmless for callers' Session
	cfg.MaxAllowedPacket = 0     // ask the server
	cfg.Logger = quietLogger{}   // every failure it logs is returned too, with context
	// The charset the DSN names is replaced by utf8mb4 in sessionSetup.
	return cfg, nil
}

type quietLogger struct{}

func (quietLogger) Print(...any) {}

// describeDSN names the server of cfg for error messages, without secrets.
func describeDSN(cfg *mysql.Config) string {
	return fmt.Sprintf("%s@%s(%s)/%s", cfg.User, cfg.Net, cfg.Addr, cfg.DBName)
}

// pool is where a Source or Sink gets its connections: its own *sql.DB built
// from a DSN, or the caller's.
type pool struct {
	db      *sql.DB
	own     bool
	dialer  *netdial.Dialer // dials the connections of an own pool
	session []string        // the caller's Session statements
	where   string          // describes the server for errors

	infoMu sync.Mutex
	infoOK bool
	info   serverInfo
}

// newPool returns a pool for dsn (with tlsConfig, when not nil, in place
// of the one its tls parameter names) or db. It does no I/O.
func newPool(dsn string, tlsConfig *tls.Config, db *sql.DB, session []string) (*pool, error) {
	if db != nil {
		return &pool{db: db, session: session, where: "the given *sql.DB"}, nil
	}
	cfg, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	if tlsConfig != nil {
		cfg.TLS = tlsConfig.Clone() // the driver sets its ServerName
	}
	// Keepalives on every connection, and a pool that closes within
	// seconds even when its connections stall (see netdial). The driver
	// applies the DSN's dial timeout itself.
	dialer := netdial.New(0)
	cfg.DialFunc = dialer.DialContext
	base, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("dsn: %w", err)
	}
	own := sql.OpenDB(&sessionConnector{base: base, stmts: withSession(session)})
	// Readers and writers pin one connection each; keep them for reuse
	// between splits.
	own.SetMaxIdleConns(64)
	return &pool{db: own, own: true, dialer: dialer, session: session, where: describeDSN(cfg)}, nil
}

// close closes an own pool, within seconds: the driver says goodbye
// (COM_QUIT) on each connection, which waits for ever on one whose socket
// buffer a stall has filled.
func (p *pool) close() error {
	if !p.own {
		return nil
	}
	var err error
	p.dialer.Close(func() { err = p.db.Close() })
	return err
}

// sessionConnector runs the session statements on every new connection of
// a pool the package owns, once, instead of on every use.
type sessionConnector struct {
	base  driver.Connector
	stmts []string
}

func (c *sessionConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	ex, ok := conn.(driver.ExecerContext)
	if !ok {
		conn.Close()
		return nil, errors.New("mysql driver connection cannot execute statements")
	}
	for _, s := range c.stmts {
		if _, err := ex.ExecContext(ctx, s, nil); err != nil {
			conn.Close()
			return nil, fmt.Errorf("session statement %q: %w", shorten(s), err)
		}
	}
	return conn, nil
}

func (c *sessionConnector) Driver() driver.Driver { return c.base.Driver() }

// conn is one connection pinned for a reader, a writer or a planning step.
type conn struct {
	*sql.Conn
	restore string // the SET that puts a caller's session back; "" for an own pool
	discard bool   // close the connection rather than return it to the caller's pool
}

// acquire pins a connection and makes its session exact (see sessionSetup).
// netWriteTimeout, when not 0, is set for a reader that streams.
func (p *pool) acquire(ctx context.Context, netWriteTimeout int) (*conn, error) {
	c, err := p.db.Conn(ctx)
	if err != nil {
		return nil, classify(fmt.Errorf("connect to %s: %w", p.where, err))
	}
	pc := &conn{Conn: c}
	fail := func(err error) (*conn, error) {
		pc.discard = true
		pc.release()
		return nil, classify(err)
	}
	if !p.own {
		var cs, cc, cr sql.NullString
		var coll, tz, mode string
		var nwt int
		if err := c.QueryRowContext(ctx, savedSession).Scan(&cs, &cc, &cr, &coll, &tz, &mode, &nwt); err != nil {
			return fail(fmt.Errorf("read the session settings: %w", err))
		}
		pc.restore = fmt.Sprintf("SET character_set_client = %s, character_set_connection = %s, character_set_results = %s, "+
			"collation_connection = %s, time_zone = %s, sql_mode = %s, net_write_timeout = %d",
			nullableLiteral(cs), nullableLiteral(cc), nullableLiteral(cr), quoteString(coll), quoteString(tz), quoteString(mode), nwt)
		// Arbitrary Session statements cannot be undone.
		pc.discard = len(p.session) > 0
		stmts := withSession(p.session)
		for i, s := range stmts {
			if _, err := c.ExecContext(ctx, s); err != nil {
				if i == 0 || i == len(stmts)-1 {
					return fail(fmt.Errorf("set up the session: %w", err))
				}
				return fail(fmt.Errorf("session statement %q: %w", shorten(s), err))
			}
		}
	}
	if netWriteTimeout > 0 {
		if _, err := c.ExecContext(ctx, fmt.Sprintf("SET SESSION net_write_timeout = %d", netWriteTimeout)); err != nil {
			return fail(fmt.Errorf("set net_write_timeout: %w", err))
		}
	}
	return pc, nil
}

// release returns the connection: to the pool with its session put back,
// or closed when it cannot be put back.
func (c *conn) release() error {
	if c == nil || c.Conn == nil {
		return nil
	}
	sc := c.Conn
	c.Conn = nil
	if c.restore != "" && !c.discard {
		ctx, cancel := netdial.CleanupContext()
		if _, err := sc.ExecContext(ctx, c.restore); err != nil {
			c.discard = true
		}
		cancel()
	}
	if c.discard {
		// Returning driver.ErrBadConn from Raw makes database/sql close the
		// connection instead of pooling it.
		_ = sc.Raw(func(any) error { return driver.ErrBadConn })
	}
	err := sc.Close()
	if errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn) {
		err = nil
	}
	return err
}

// shorten returns s cut to 80 bytes for messages.
func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

func nullableLiteral(s sql.NullString) string {
	if !s.Valid {
		return "NULL"
	}
	return quoteString(s.String)
}
